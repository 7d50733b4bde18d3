/** Why a step is illegal, in an analyst's words, and what to do about it. */
export interface Refusal {
  readonly reason: string;
  readonly hint?: string;
}

export function refuse(reason: string, hint?: string): Refusal {
  return hint === undefined ? { reason } : { reason, hint };
}
