import { type PartyRecord, recordIn } from './party-record.js';
import type {
  CommitmentKind,
  ComplianceScore,
  EntryIntoForceRule,
  IsoDate,
  IsoInstant,
  PartyCode,
  ReservationKind,
  Stance,
} from './vocabulary.js';

/** Where the commitment stands before suspension, completion, supersession and withdrawal are considered. */
export type CommitmentStage = 'proposed' | 'under_negotiation' | 'adopted' | 'in_progress';

export interface ScheduledReview {
  readonly reviewOn: IsoDate;
  readonly note: string;
}

/**
 * An agreement's entry-into-force rule and how far it got: `reachedOn` is the date of deposit of the
 * rule's N-th instrument, `inForceOn` the date the agreement enters into force (both null until then).
 */
export interface EntryIntoForce {
  readonly rule: EntryIntoForceRule;
  readonly instrumentsDeposited: number;
  readonly reachedOn: IsoDate | null;
  readonly inForceOn: IsoDate | null;
}

/** A reservation, declaration or objection, known by the event that made it. */
export interface ReservationRecord {
  readonly eventId: string;
  readonly party: PartyCode;
  readonly kind: ReservationKind;
  readonly text: string;
  readonly objectsTo?: PartyCode;
  readonly madeOn: IsoDate;
  readonly withdrawnOn: IsoDate | null;
}

/**
 * The shape of {@link CommitmentSnapshot} as stored: a stored snapshot of another schema is not trusted,
 * and is folded again from its stream. Raise it whenever the snapshot gains, loses or changes a field.
 */
export const SNAPSHOT_SCHEMA = 4;

/**
 * The fold of a commitment's live events (retractions applied) in world order. Plain JSON, so it can be
 * stored and turned into a view later. Date-dependent values (participation, `withdrawn`, `overdue`, the
 * next review) are not baked in: the status rules evaluate them on a reference date.
 *
 * `version` is the stream version of the last event considered and `eventCount` how many were
 * considered, counting retractions and retracted events: for a plain read they are the stream's
 * version and length (so `version` can serve as the ETag); under time travel they describe the
 * events that passed the filters.
 */
export interface CommitmentSnapshot {
  readonly id: string;
  readonly title: string;
  readonly kind: CommitmentKind;
  readonly proposedBy: PartyCode;
  readonly topics: readonly string[];
  readonly summary: string | null;
  readonly meeting: string | null;
  readonly proposedAt: IsoInstant;
  readonly stage: CommitmentStage;
  readonly adoptedAt: IsoInstant | null;
  readonly completedAt: IsoInstant | null;
  readonly suspendedSince: IsoInstant | null;
  readonly supersededBy: string | null;
  readonly supersededAt: IsoInstant | null;
  readonly dueDate: IsoDate | null;
  /** The reason given with the deadline in force, when a `DeadlineSet` (not the proposal) set it. */
  readonly dueReason: string | null;
  readonly missedDeadlines: number;
  readonly parties: readonly PartyRecord[];
  /** Parties named as witnesses of a live adoption, in order of first mention. */
  readonly witnesses: readonly PartyCode[];
  /** Latest stance per speaking party, parties of the commitment or not. */
  readonly stances: Readonly<Record<PartyCode, Stance>>;
  /** Latest compliance score per assessed party. */
  readonly scores: Readonly<Record<PartyCode, ComplianceScore>>;
  /** Null for a commitment without an entry-into-force rule: then no treaty rule applies. */
  readonly entryIntoForce: EntryIntoForce | null;
  /** Reservations, declarations and objections, in world order. */
  readonly reservations: readonly ReservationRecord[];
  /** Every scheduled review that was not retracted, by date (same-day reviews in world order). */
  readonly reviews: readonly ScheduledReview[];
  /** occurredAt of the latest world development; follow-ups are internal tasks and do not count. */
  readonly lastDevelopmentAt: IsoInstant;
  /** occurredAt of the latest live event of any kind: where world order ends. */
  readonly lastOccurredAt: IsoInstant;
  readonly version: number;
  readonly eventCount: number;
}

export function recordOf(snapshot: CommitmentSnapshot, party: PartyCode): PartyRecord | undefined {
  return recordIn(snapshot.parties, party);
}
