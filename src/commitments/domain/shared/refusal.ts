import type { CommitmentSnapshot } from './snapshot.js';
import type { IsoInstant, PartyCode } from './vocabulary.js';
import { utcDateOf } from './world-time.js';

/** Why a step is illegal, in an analyst's words, and what to do about it. */
export interface Refusal {
  readonly reason: string;
  readonly hint?: string;
}

export function refuse(reason: string, hint?: string): Refusal {
  return hint === undefined ? { reason } : { reason, hint };
}

/** The first refusal of `checks`, run in order; null when every one passes. */
export function firstRefusal(...checks: Array<() => Refusal | null>): Refusal | null {
  for (const check of checks) {
    const refusal = check();
    if (refusal) return refusal;
  }
  return null;
}

export function dateOfOrNull(instant: IsoInstant | null): string {
  return instant === null ? 'an unknown date' : utcDateOf(instant);
}

export function refuseIfSuperseded(snapshot: CommitmentSnapshot): Refusal | null {
  if (snapshot.supersededBy === null) return null;
  return refuse(
    `it was superseded by '${snapshot.supersededBy}' on ${dateOfOrNull(snapshot.supersededAt)}, and a superseded commitment takes no further developments`,
    'Only statements, compliance assessments, follow-ups and retractions can still be recorded on it.',
  );
}

export function refuseIfCompleted(snapshot: CommitmentSnapshot): Refusal | null {
  if (snapshot.completedAt === null) return null;
  return refuse(
    `it had already been completed on ${dateOfOrNull(snapshot.completedAt)}`,
    'Only statements, compliance assessments, follow-ups and retractions can still be recorded on it.',
  );
}

export function notAParty(party: PartyCode): Refusal {
  return refuse(`${party} was not a party to it by then`, `Record the accession of ${party} first.`);
}
