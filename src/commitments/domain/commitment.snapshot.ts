import type {
  CorrectableDetails,
  CommitmentKind,
  CommitmentProposed,
  ComplianceScore,
  IsoDate,
  IsoInstant,
  PartyCode,
  RecordedCommitmentEvent,
  Stance,
} from './commitment.events.js';
import { isConsentAction } from './commitment.events.js';
import { type PartyRecord, recordIn, withMembershipChange } from './party-record.js';
import {
  type EntryIntoForce,
  type ReservationRecord,
  withConsent,
  withReservation,
  withReservationWithdrawn,
  withSignature,
} from './treaty.snapshot.js';
import { instantMs, utcDateOf } from './world-time.js';

/** Where the commitment stands before suspension, completion, supersession and withdrawal are considered. */
export type CommitmentStage = 'proposed' | 'under_negotiation' | 'adopted' | 'in_progress';

export type { ConsentRecord, MembershipChange, PartyRecord } from './party-record.js';
export type { EntryIntoForce, ReservationRecord } from './treaty.snapshot.js';

export interface ScheduledReview {
  readonly reviewOn: IsoDate;
  readonly note: string;
}

/**
 * The shape of {@link CommitmentSnapshot} as stored: a stored snapshot of another schema is not trusted,
 * and is folded again from its stream. Raise it whenever the snapshot gains, loses or changes a field.
 */
export const SNAPSHOT_SCHEMA = 4;

/**
 * The fold of a commitment's live events (retractions applied) in world order. Plain JSON, so it can be
 * stored and turned into a view later. Date-dependent facts (participation, `withdrawn`, `overdue`, the
 * next review) are not baked in: the status rules evaluate them on a reference date.
 *
 * `version` is the stream version of the last event considered and `eventCount` how many were
 * considered, counting retractions and retracted entries: for a plain read they are the stream's
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
  /** occurredAt of the latest live entry of any kind: where world order ends. */
  readonly lastOccurredAt: IsoInstant;
  readonly version: number;
  readonly eventCount: number;
}

export function recordOf(snapshot: CommitmentSnapshot, party: PartyCode): PartyRecord | undefined {
  return recordIn(snapshot.parties, party);
}

function proposedSnapshot(
  recorded: RecordedCommitmentEvent,
  data: CommitmentProposed['data'],
): CommitmentSnapshot {
  return {
    id: data.id,
    title: data.title,
    kind: data.kind,
    proposedBy: data.proposedBy,
    topics: [...(data.topics ?? [])],
    summary: data.summary ?? null,
    meeting: data.meeting ?? null,
    proposedAt: recorded.occurredAt,
    stage: 'proposed',
    adoptedAt: null,
    completedAt: null,
    suspendedSince: null,
    supersededBy: null,
    supersededAt: null,
    dueDate: data.dueDate ?? null,
    dueReason: null,
    missedDeadlines: 0,
    // Under an entry-into-force rule the named parties negotiate: each is bound only by its own consent.
    parties: [...new Set(data.parties)].map((party) => ({
      party,
      changes: data.entryIntoForce
        ? []
        : [{ kind: 'joined', effectiveOn: null, announcedAt: recorded.occurredAt }],
      suspendedSince: null,
    })),
    entryIntoForce: data.entryIntoForce
      ? { rule: data.entryIntoForce, instrumentsDeposited: 0, reachedOn: null, inForceOn: null }
      : null,
    reservations: [],
    witnesses: [],
    stances: {},
    scores: {},
    reviews: [],
    lastDevelopmentAt: recorded.occurredAt,
    lastOccurredAt: recorded.occurredAt,
    version: recorded.version,
    eventCount: 1,
  };
}

function withPartySuspension(
  parties: readonly PartyRecord[],
  party: PartyCode,
  since: IsoInstant | null,
): PartyRecord[] {
  return parties.map((record) => (record.party === party ? { ...record, suspendedSince: since } : record));
}

function withReview(reviews: readonly ScheduledReview[], review: ScheduledReview): ScheduledReview[] {
  const after = reviews.findIndex((known) => known.reviewOn > review.reviewOn);
  return after === -1 ? [...reviews, review] : [...reviews.slice(0, after), review, ...reviews.slice(after)];
}

/** The snapshot fields a correction of the proposal sets (only those it names). */
function correctedDetails(corrections: CorrectableDetails): Partial<CommitmentSnapshot> {
  return {
    ...(corrections.title !== undefined ? { title: corrections.title } : {}),
    ...(corrections.kind !== undefined ? { kind: corrections.kind } : {}),
    ...(corrections.proposedBy !== undefined ? { proposedBy: corrections.proposedBy } : {}),
    ...(corrections.summary !== undefined ? { summary: corrections.summary } : {}),
    ...(corrections.topics !== undefined ? { topics: [...corrections.topics] } : {}),
  };
}

function later(a: IsoInstant, b: IsoInstant): IsoInstant {
  return instantMs(b) < instantMs(a) ? a : b;
}

/**
 * Applies one live event, next in world order, to the snapshot, without judging it (see
 * `checkTransition`). Returns null only while nothing has been proposed yet; an event before the
 * proposal is then skipped.
 */
export function apply(
  snapshot: CommitmentSnapshot | null,
  recorded: RecordedCommitmentEvent,
): CommitmentSnapshot | null {
  if (snapshot === null) {
    const { event } = recorded;
    return event.type === 'CommitmentProposed' ? proposedSnapshot(recorded, event.data) : null;
  }
  const next = { ...snapshot };
  applyInPlace(next, recorded);
  return next;
}

/** A snapshot being folded, owned by the fold alone. */
export type WorkingSnapshot = { -readonly [Field in keyof CommitmentSnapshot]: CommitmentSnapshot[Field] };

/**
 * {@link apply} on a working copy that no one else holds, changing it in place: a fold copies the
 * snapshot once rather than once per event (on a long stream, that copy was most of the fold's time).
 */
export function applyInPlace(target: WorkingSnapshot, recorded: RecordedCommitmentEvent): void {
  const { event, occurredAt } = recorded;
  const changes =
    event.type === 'ProposalCorrected'
      ? correctedDetails(event.data.corrections)
      : changesOf(target, recorded);
  target.version = Math.max(target.version, recorded.version);
  target.eventCount += 1;
  if (event.type !== 'ProposalCorrected') {
    if (event.type !== 'FollowUpScheduled')
      target.lastDevelopmentAt = later(target.lastDevelopmentAt, occurredAt);
    target.lastOccurredAt = later(target.lastOccurredAt, occurredAt);
  }
  Object.assign(target, changes);
}

/** The fields a live fact changes, given the snapshot before it (world-order bookkeeping aside). */
function changesOf(base: CommitmentSnapshot, recorded: RecordedCommitmentEvent): Partial<CommitmentSnapshot> {
  const { event, occurredAt } = recorded;
  const date = utcDateOf(occurredAt);
  switch (event.type) {
    case 'CommitmentProposed':
      return {};
    case 'StatementRecorded':
      return { stances: { ...base.stances, [event.data.speaker.party]: event.data.stance } };
    case 'CommitmentAdopted': {
      // Adopting makes a party of anyone who was not one yet (under an entry-into-force rule, only consent does).
      const newcomers = base.entryIntoForce
        ? []
        : event.data.adoptedBy.filter((party) => !recordOf(base, party));
      const parties = [...new Set(newcomers)].reduce<readonly PartyRecord[]>(
        (records, party) =>
          withMembershipChange(records, party, {
            kind: 'joined',
            effectiveOn: date,
            announcedAt: occurredAt,
          }),
        base.parties,
      );
      return {
        stage: 'adopted',
        adoptedAt: occurredAt,
        // A commitment is known by the meeting that adopted it; the proposal's meeting is the fallback.
        meeting: event.data.meeting ?? base.meeting,
        parties,
        witnesses: [...new Set([...base.witnesses, ...(event.data.witnessedBy ?? [])])],
      };
    }
    case 'ProgressReported':
      return {
        stage:
          base.stage === 'proposed' || base.stage === 'under_negotiation'
            ? 'under_negotiation'
            : 'in_progress',
      };
    case 'CommitmentCompleted':
      return { completedAt: occurredAt };
    case 'PartyWithdrew':
      return {
        parties: withMembershipChange(base.parties, event.data.party, {
          kind: 'withdrew',
          effectiveOn: event.data.effectiveOn ?? date,
          announcedAt: occurredAt,
        }),
      };
    case 'PartyJoined':
      if (isConsentAction(event.data.action)) {
        return withConsent(base, event.data.party, {
          action: event.data.action,
          depositedOn: date,
          effectiveOn: event.data.effectiveOn ?? null,
          announcedAt: occurredAt,
        });
      }
      return {
        parties: withMembershipChange(base.parties, event.data.party, {
          kind: 'joined',
          effectiveOn: event.data.effectiveOn ?? date,
          announcedAt: occurredAt,
        }),
      };
    case 'CommitmentSuspended':
      return event.data.party === undefined
        ? { suspendedSince: occurredAt }
        : { parties: withPartySuspension(base.parties, event.data.party, occurredAt) };
    case 'CommitmentResumed':
      return event.data.party === undefined
        ? { suspendedSince: null }
        : { parties: withPartySuspension(base.parties, event.data.party, null) };
    case 'ComplianceAssessed':
      return { scores: { ...base.scores, [event.data.party]: event.data.score } };
    case 'CommitmentSuperseded':
      return { supersededBy: event.data.supersededBy, supersededAt: occurredAt };
    case 'DeadlineSet': {
      const missed = base.dueDate !== null && base.dueDate < date && base.completedAt === null;
      return {
        dueDate: event.data.dueDate,
        dueReason: event.data.reason ?? null,
        missedDeadlines: base.missedDeadlines + (missed ? 1 : 0),
      };
    }
    case 'FollowUpScheduled':
      return {
        reviews: withReview(base.reviews, { reviewOn: event.data.reviewOn, note: event.data.note }),
      };
    case 'PartySigned':
      return { parties: withSignature(base.parties, event.data.party, date) };
    case 'ReservationMade':
      return {
        reservations: withReservation(base.reservations, event.data, recorded.eventId, date),
      };
    case 'ReservationWithdrawn':
      return {
        reservations: withReservationWithdrawn(base.reservations, event.data.eventId, date),
      };
    case 'EntryRetracted':
    case 'ProposalCorrected':
      return {};
    default: {
      const unreachable: never = event;
      throw new Error(`Unknown commitment event ${JSON.stringify(unreachable)}`);
    }
  }
}
