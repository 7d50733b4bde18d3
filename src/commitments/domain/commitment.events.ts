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
 * Where a fact comes from: a registered source cited by `sourceId` (with `locator`, where in it), or a
 * source described where it is cited by its `title` (and publisher, date, URL) — one or the other. A
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

/** Why the record was corrected: the corrections log's codes. */
export const CORRECTION_REASONS = [
  'misattributed',
  'wrong_date',
  'wrong_party',
  'not_in_source',
  'duplicate',
  'source_withdrawn',
  'superseded_by_better_source',
  'other',
] as const;
export type CorrectionReason = (typeof CORRECTION_REASONS)[number];

export function isCorrectionReason(value: unknown): value is CorrectionReason {
  return (CORRECTION_REASONS as readonly unknown[]).includes(value);
}

/** A coded reason and a free-text note (required with `other`). */
export interface Correction {
  reason: CorrectionReason;
  note?: string;
}

export interface Metric {
  readonly name: string;
  readonly value: number;
  readonly unit?: string;
  readonly period?: string;
}

export interface Speaker {
  readonly name: string;
  readonly role?: string;
  readonly party: PartyCode;
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

/** Consents that confirm an earlier signature: the party must have signed first. */
export const CONSENTS_AFTER_SIGNATURE: readonly ConsentAction[] = ['ratification', 'acceptance', 'approval'];

export function isConsentAction(action: AccessionAction | undefined): action is ConsentAction {
  return action !== undefined && action !== 'joining';
}

export const RESERVATION_KINDS = ['reservation', 'declaration', 'objection'] as const;
export type ReservationKind = (typeof RESERVATION_KINDS)[number];

/** Emmett-style event: a stable type string and the data that came with it. */
export interface DomainEvent<Type extends string, Data> {
  readonly type: Type;
  readonly data: Readonly<Data>;
}

interface WorldFact {
  source: Source;
  meeting?: string;
}

/**
 * `id` is always present in the event, even though the API body may omit it: the handler resolves
 * the id (generated from the title) before deciding, so the stream's first event names its subject.
 */
export type CommitmentProposed = DomainEvent<
  'CommitmentProposed',
  WorldFact & {
    id: string;
    title: string;
    kind: CommitmentKind;
    parties: readonly PartyCode[];
    proposedBy: PartyCode;
    topics?: readonly string[];
    summary?: string;
    dueDate?: IsoDate;
    entryIntoForce?: EntryIntoForceRule;
  }
>;

export type StatementRecorded = DomainEvent<
  'StatementRecorded',
  WorldFact & { speaker: Speaker; stance: Stance; summary: string }
>;

export type CommitmentAdopted = DomainEvent<
  'CommitmentAdopted',
  WorldFact & { adoptedBy: readonly PartyCode[]; witnessedBy?: readonly PartyCode[]; documentTitle?: string }
>;

export type ProgressReported = DomainEvent<
  'ProgressReported',
  WorldFact & { summary: string; metrics?: readonly Metric[] }
>;

export type CommitmentCompleted = DomainEvent<'CommitmentCompleted', WorldFact & { summary?: string }>;

/** `effectiveOn` absent: the withdrawal takes effect on the date it occurred. */
export type PartyWithdrew = DomainEvent<
  'PartyWithdrew',
  WorldFact & { party: PartyCode; effectiveOn?: IsoDate; reason?: string }
>;

/**
 * `action` absent or `joining`: a plain accession, active from `effectiveOn` or the date it occurred.
 * Any other action is an instrument of consent deposited on the date it occurred; without `effectiveOn`
 * it takes effect as the agreement's entry-into-force rule says (see `status-rules.ts`).
 */
export type PartyJoined = DomainEvent<
  'PartyJoined',
  WorldFact & { party: PartyCode; effectiveOn?: IsoDate; action?: AccessionAction }
>;

/** The party signed: it is a signatory, not bound. */
export type PartySigned = DomainEvent<'PartySigned', WorldFact & { party: PartyCode }>;

/** `objectsTo` (objections only): the party whose reservation is objected to. */
export type ReservationMade = DomainEvent<
  'ReservationMade',
  WorldFact & { party: PartyCode; kind: ReservationKind; text: string; objectsTo?: PartyCode }
>;

/** Withdraws the reservation, declaration or objection recorded as event `eventId`. */
export type ReservationWithdrawn = DomainEvent<'ReservationWithdrawn', WorldFact & { eventId: string }>;

/** `party` absent: the whole commitment is suspended. */
export type CommitmentSuspended = DomainEvent<
  'CommitmentSuspended',
  WorldFact & { party?: PartyCode; reason: string }
>;

/** `party` absent: resumes a suspension of the whole commitment. */
export type CommitmentResumed = DomainEvent<'CommitmentResumed', WorldFact & { party?: PartyCode }>;

export type ComplianceAssessed = DomainEvent<
  'ComplianceAssessed',
  Partial<WorldFact> & { party: PartyCode; score: ComplianceScore; rationale: string; period?: string }
>;

export type CommitmentSuperseded = DomainEvent<'CommitmentSuperseded', WorldFact & { supersededBy: string }>;

export type DeadlineSet = DomainEvent<
  'DeadlineSet',
  Partial<WorldFact> & { dueDate: IsoDate; reason?: string }
>;

/** An internal task, not a world fact: no source, and its occurredAt is the time it was scheduled. */
export type FollowUpScheduled = DomainEvent<
  'FollowUpScheduled',
  { reviewOn: IsoDate; note: string; assignee?: string }
>;

/** Leaves `eventId` out of the fold; the retracted event itself stays in the stream for the audit trail. */
export type EntryRetracted = DomainEvent<'EntryRetracted', Correction & { eventId: string }>;

/** The proposal's details that a correction may change: nothing else in the history touches them. */
export type CorrectableDetails = Partial<
  Pick<CommitmentProposed['data'], 'title' | 'kind' | 'proposedBy' | 'summary' | 'topics'>
>;

/**
 * Corrects details of the proposal, which cannot be retracted (everything depends on it). Like a
 * retraction it corrects the record rather than reporting something that happened in the world: it holds
 * for every `asOf`, and from when it was recorded for `knownAt`.
 */
export type ProposalCorrected = DomainEvent<
  'ProposalCorrected',
  Correction & { corrections: CorrectableDetails; source?: Source }
>;

export type CommitmentEvent =
  | CommitmentProposed
  | StatementRecorded
  | CommitmentAdopted
  | ProgressReported
  | CommitmentCompleted
  | PartyWithdrew
  | PartyJoined
  | CommitmentSuspended
  | CommitmentResumed
  | ComplianceAssessed
  | CommitmentSuperseded
  | DeadlineSet
  | FollowUpScheduled
  | EntryRetracted
  | ProposalCorrected
  | PartySigned
  | ReservationMade
  | ReservationWithdrawn;

export type CommitmentEventType = CommitmentEvent['type'];

const eventTypeRegistry: { readonly [Type in CommitmentEventType]: true } = {
  CommitmentProposed: true,
  StatementRecorded: true,
  CommitmentAdopted: true,
  ProgressReported: true,
  CommitmentCompleted: true,
  PartyWithdrew: true,
  PartyJoined: true,
  CommitmentSuspended: true,
  CommitmentResumed: true,
  ComplianceAssessed: true,
  CommitmentSuperseded: true,
  DeadlineSet: true,
  FollowUpScheduled: true,
  EntryRetracted: true,
  ProposalCorrected: true,
  PartySigned: true,
  ReservationMade: true,
  ReservationWithdrawn: true,
};

/** Every event type string, in declaration order; the registry above makes a missing one a compile error. */
export const COMMITMENT_EVENT_TYPES: readonly CommitmentEventType[] = Object.freeze(
  Object.keys(eventTypeRegistry) as CommitmentEventType[],
);

export function isCommitmentEventType(value: string): value is CommitmentEventType {
  return Object.prototype.hasOwnProperty.call(eventTypeRegistry, value);
}

/**
 * An event as stored in a commitment's stream.
 * - `version`: position in the stream, first event = 1.
 * - `occurredAt`: world time (when it happened), ISO UTC; it orders the fold.
 * - `recordedAt`: server time of the append, ISO UTC; it filters `knownAt` reads.
 * - `recordedBy`: name of the API key that appended it.
 */
export interface RecordedCommitmentEvent {
  readonly eventId: string;
  readonly version: number;
  readonly occurredAt: IsoInstant;
  readonly recordedAt: IsoInstant;
  readonly recordedBy?: string;
  readonly event: CommitmentEvent;
}

/**
 * Events as stored, in today's shape. Retractions recorded before reasons were coded carry free text as
 * their `reason`: they read back as `other` with that text as the note. Stored events are never rewritten.
 */
export function upcast(type: string, data: unknown): unknown {
  if (type !== 'EntryRetracted') return data;
  const { reason } = data as { reason: unknown };
  return isCorrectionReason(reason) ? data : { ...(data as object), reason: 'other', note: String(reason) };
}
