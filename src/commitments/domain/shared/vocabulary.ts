/**
 * The words every family of developments uses, and the closed lists the snapshot stores. A list only one
 * family uses and the snapshot does not store lives with that family.
 */

/** A calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;

/** An instant, ISO 8601 in UTC (`2025-10-26T09:30:00.000Z`). */
export type IsoInstant = string;

/** `^[A-Z][A-Z0-9-]{1,15}$`: ISO 3166 alpha-2 for states, short names for organisations. */
export type PartyCode = string;

export const COMMITMENT_KINDS = [
  'plan_of_action',
  'code_of_conduct',
  'statement',
  'declaration',
  'agreement',
  'initiative',
  'pledge',
  'proposal',
] as const;
export type CommitmentKind = (typeof COMMITMENT_KINDS)[number];

export const STANCES = [
  'supports',
  'reaffirms',
  'urges',
  'welcomes',
  'notes',
  'concerned',
  'opposes',
] as const;
export type Stance = (typeof STANCES)[number];

/** G7/G20 Research Group scale: -1 not complied, 0 partial or work in progress, 1 complied. */
export type ComplianceScore = -1 | 0 | 1;

/**
 * Where a development comes from: a registered source cited by `sourceId` (with `locator`, where in it),
 * or a source described where it is cited by its `title` (and publisher, date, URL) — one or the other. A
 * quote from a registered source records whether it was found in the source's text when the development
 * was recorded (`quoteVerified`; false when the source has no text to check against).
 */
export interface Source {
  readonly sourceId?: string;
  readonly title?: string;
  readonly publisher?: string;
  readonly url?: string;
  readonly publishedAt?: IsoDate;
  readonly quote?: string;
  readonly locator?: string;
  readonly quoteVerified?: boolean;
}

/**
 * When an agreement enters into force: `daysAfter` days or `monthsAfter` calendar months (exactly one)
 * after the date of deposit of the `instruments`-th instrument of consent to be bound.
 */
export interface EntryIntoForceRule {
  readonly instruments: number;
  readonly daysAfter?: number;
  readonly monthsAfter?: number;
}

/** How a party joins: `joining` is a plain accession; the others are instruments of consent to be bound. */
export const ACCESSION_ACTIONS = [
  'ratification',
  'acceptance',
  'approval',
  'accession',
  'succession',
  'definitive_signature',
  'joining',
] as const;
export type AccessionAction = (typeof ACCESSION_ACTIONS)[number];
export type ConsentAction = Exclude<AccessionAction, 'joining'>;

export function isConsentAction(action: AccessionAction | undefined): action is ConsentAction {
  return action !== undefined && action !== 'joining';
}

export const RESERVATION_KINDS = ['reservation', 'declaration', 'objection'] as const;
export type ReservationKind = (typeof RESERVATION_KINDS)[number];
