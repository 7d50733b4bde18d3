import {
  CommitmentAdopted,
  CommitmentCompleted,
  CommitmentEvent,
  CommitmentKind,
  CommitmentProposed,
  CommitmentResumed,
  CommitmentSuperseded,
  CommitmentSuspended,
  ComplianceAssessed,
  ComplianceScore,
  DeadlineSet,
  EntryRetracted,
  FollowUpScheduled,
  IsoDate,
  IsoInstant,
  PartyCode,
  PartyJoined,
  PartyWithdrew,
  ProgressReported,
  RecordedCommitmentEvent,
  Stance,
  StatementRecorded,
} from './commitment.events.js';
import {
  CommitmentAlreadyExistsError,
  CommitmentNotFoundError,
  EventNotFoundError,
  IllegalTransitionError,
} from './commitment.errors.js';

interface Command<Type extends string, Data> {
  readonly type: Type;
  readonly data: Readonly<Data>;
}

/**
 * Every command names its commitment and when the development occurred in the world (ISO UTC;
 * a bare date means 00:00 UTC that day). For follow-ups, retractions, and deadlines sent without
 * `occurredAt`, the handler passes the request time. The event that `decide` returns carries no
 * `occurredAt`: append it with the command's `occurredAt` on the envelope.
 */
export interface CommandAddress {
  commitmentId: string;
  occurredAt: IsoInstant;
}

export type ProposeCommitment = Command<
  'ProposeCommitment',
  CommandAddress & Omit<CommitmentProposed['data'], 'id'>
>;
export type RecordStatement = Command<'RecordStatement', CommandAddress & StatementRecorded['data']>;
export type AdoptCommitment = Command<'AdoptCommitment', CommandAddress & CommitmentAdopted['data']>;
export type ReportProgress = Command<'ReportProgress', CommandAddress & ProgressReported['data']>;
export type CompleteCommitment = Command<'CompleteCommitment', CommandAddress & CommitmentCompleted['data']>;
export type RecordWithdrawal = Command<'RecordWithdrawal', CommandAddress & PartyWithdrew['data']>;
export type RecordAccession = Command<'RecordAccession', CommandAddress & PartyJoined['data']>;
export type SuspendCommitment = Command<'SuspendCommitment', CommandAddress & CommitmentSuspended['data']>;
export type ResumeCommitment = Command<'ResumeCommitment', CommandAddress & CommitmentResumed['data']>;
export type AssessCompliance = Command<'AssessCompliance', CommandAddress & ComplianceAssessed['data']>;
/** `successorExists` is looked up by the handler before deciding, so that `decide` stays pure. */
export type SupersedeCommitment = Command<
  'SupersedeCommitment',
  CommandAddress & CommitmentSuperseded['data'] & { successorExists: boolean }
>;
export type SetDeadline = Command<'SetDeadline', CommandAddress & DeadlineSet['data']>;
export type ScheduleFollowUp = Command<'ScheduleFollowUp', CommandAddress & FollowUpScheduled['data']>;
export type RetractEntry = Command<'RetractEntry', CommandAddress & EntryRetracted['data']>;

export type CommitmentCommand =
  | ProposeCommitment
  | RecordStatement
  | AdoptCommitment
  | ReportProgress
  | CompleteCommitment
  | RecordWithdrawal
  | RecordAccession
  | SuspendCommitment
  | ResumeCommitment
  | AssessCompliance
  | SupersedeCommitment
  | SetDeadline
  | ScheduleFollowUp
  | RetractEntry;

export type CommitmentCommandType = CommitmentCommand['type'];

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const HAS_ZONE = /(?:Z|[+-]\d{2}:?\d{2})$/i;
const DAY_MS = 86_400_000;

/** Milliseconds since the epoch; a bare date is 00:00 UTC that day, a date-time without zone is UTC. */
export function instantMs(value: string): number {
  return memoized(instants, value, () =>
    DATE_ONLY.test(value)
      ? Date.parse(`${value}T00:00:00Z`)
      : Date.parse(HAS_ZONE.test(value) ? value : `${value}Z`),
  );
}

/** A date or date-time as a canonical ISO UTC instant (`…T…Z`); a bare date becomes 00:00 UTC. */
export function toIsoInstant(value: string): IsoInstant {
  return new Date(instantMs(value)).toISOString();
}

/** The UTC calendar date of an instant (a bare date is returned as is). */
export function utcDateOf(value: string): IsoDate {
  if (DATE_ONLY.test(value)) return value;
  return memoized(utcDates, value, () => new Date(instantMs(value)).toISOString().slice(0, 10));
}

/**
 * Every fold parses the same few timestamps again and again (a write folds its stream several times), so
 * the two pure parsers remember their answers; the memory is bounded and starts over when full.
 */
const MEMO_LIMIT = 50_000;
const instants = new Map<string, number>();
const utcDates = new Map<string, IsoDate>();

function memoized<T>(memo: Map<string, T>, key: string, compute: () => T): T {
  const known = memo.get(key);
  if (known !== undefined) return known;
  const value = compute();
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, value);
  return value;
}

/**
 * The last millisecond a time-travel bound includes: a bare date means the end of that UTC day
 * (`asOf=2025-10-26` includes everything that happened on the 26th), a date-time means itself.
 */
export function inclusiveUpperBoundMs(bound: string): number {
  if (DATE_ONLY.test(bound)) return instantMs(bound) + DAY_MS - 1;
  return instantMs(bound);
}

/** The date participation and `overdue` are evaluated on: the `asOf` date if given, otherwise today (UTC). */
export function referenceDateFor(asOf: string | undefined, now: Date): IsoDate {
  return asOf === undefined ? now.toISOString().slice(0, 10) : utcDateOf(asOf);
}

export type CommitmentStatus =
  | 'proposed'
  | 'under_negotiation'
  | 'adopted'
  | 'in_progress'
  | 'completed'
  | 'suspended'
  | 'superseded'
  | 'withdrawn';

/** Where the commitment stands before suspension, completion, supersession and withdrawal are considered. */
export type CommitmentStage = 'proposed' | 'under_negotiation' | 'adopted' | 'in_progress';

export type Participation = 'active' | 'withdrawing' | 'withdrawn' | 'suspended';

/** `effectiveOn: null` marks a party named in the proposal: a party from the start. */
export interface MembershipChange {
  readonly kind: 'joined' | 'withdrew';
  readonly effectiveOn: IsoDate | null;
  readonly announcedAt: IsoInstant;
}

/** Membership changes are kept in world order so participation can be evaluated on any reference date. */
export interface PartyRecord {
  readonly party: PartyCode;
  readonly changes: readonly MembershipChange[];
  readonly suspendedSince: IsoInstant | null;
}

/**
 * The fold of a commitment's live events (retractions applied) in world order. Plain JSON, so it can be
 * stored and turned into a view later with `toCommitmentView`. Date-dependent facts (participation,
 * `withdrawn`, `overdue`, `nextReviewOn`) are not baked in: they are evaluated on a reference date.
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
  readonly missedDeadlines: number;
  readonly parties: readonly PartyRecord[];
  /** Latest stance per speaking party, parties of the commitment or not. */
  readonly stances: Readonly<Record<PartyCode, Stance>>;
  /** Latest compliance score per assessed party. */
  readonly scores: Readonly<Record<PartyCode, ComplianceScore>>;
  readonly reviewDates: readonly IsoDate[];
  /** occurredAt of the latest world development; follow-ups are internal tasks and do not count. */
  readonly lastDevelopmentAt: IsoInstant;
  readonly version: number;
  readonly eventCount: number;
}

/** A party's standing on a date; `null` from `participationOn` means it is not (yet) a party then. */
export interface PartyStanding {
  readonly participation: Participation;
  readonly joinedAt: IsoDate | null;
  readonly withdrewAt: IsoDate | null;
}

function recordOf(snapshot: CommitmentSnapshot, party: PartyCode): PartyRecord | undefined {
  return snapshot.parties.find((record) => record.party === party);
}

/**
 * A party's participation on `date`. Membership changes apply from their `effectiveOn`, in the order
 * they were announced; a change that takes effect clears any earlier-announced change still pending
 * (a rejoining announced before a pending withdrawal takes effect rescinds it).
 */
export function participationOn(
  snapshot: CommitmentSnapshot,
  party: PartyCode,
  date: IsoDate,
): PartyStanding | null {
  const record = recordOf(snapshot, party);
  if (!record) return null;
  let everEffective = false;
  let member = false;
  let joinedAt: IsoDate | null = null;
  let withdrewAt: IsoDate | null = null;
  let pendingWithdrawal: IsoDate | null = null;
  for (const change of record.changes) {
    if (change.effectiveOn === null || change.effectiveOn <= date) {
      everEffective = true;
      member = change.kind === 'joined';
      if (member) {
        joinedAt = change.effectiveOn;
        withdrewAt = null;
      } else {
        withdrewAt = change.effectiveOn;
      }
      pendingWithdrawal = null;
    } else if (change.kind === 'withdrew' && pendingWithdrawal === null) {
      pendingWithdrawal = change.effectiveOn;
    }
  }
  if (!everEffective) return null;
  if (!member) return { participation: 'withdrawn', joinedAt, withdrewAt };
  if (pendingWithdrawal !== null)
    return { participation: 'withdrawing', joinedAt, withdrewAt: pendingWithdrawal };
  return { participation: record.suspendedSince ? 'suspended' : 'active', joinedAt, withdrewAt: null };
}

function everyPartyWithdrawnOn(snapshot: CommitmentSnapshot, date: IsoDate): boolean {
  const standings = snapshot.parties
    .map((record) => participationOn(snapshot, record.party, date))
    .filter((standing): standing is PartyStanding => standing !== null);
  return standings.length > 0 && standings.every((standing) => standing.participation === 'withdrawn');
}

/**
 * The status ignoring the whole-commitment withdrawal rule: what a read-model row can store at write
 * time. Combine with `withdrawnFrom` to get `statusOn` at read time.
 */
export function baseStatus(snapshot: CommitmentSnapshot): Exclude<CommitmentStatus, 'withdrawn'> {
  if (snapshot.supersededBy !== null) return 'superseded';
  if (snapshot.completedAt !== null) return 'completed';
  if (snapshot.suspendedSince !== null) return 'suspended';
  return snapshot.stage;
}

/**
 * The status on `date`. Supersession and completion are terminal and win over withdrawals still taking
 * effect; a commitment all of whose parties have withdrawn (effective by `date`) is `withdrawn`, and
 * returns to its previous status as soon as one party is active again.
 */
export function statusOn(snapshot: CommitmentSnapshot, date: IsoDate): CommitmentStatus {
  const status = baseStatus(snapshot);
  if (status === 'superseded' || status === 'completed') return status;
  return everyPartyWithdrawnOn(snapshot, date) ? 'withdrawn' : status;
}

/**
 * The date from which, unless something new is recorded, the commitment stays `withdrawn` because
 * every party's withdrawal has taken effect; `null` if that never happens with the events known
 * (or the status is terminal). May lie in the past. A read-model row can store it and evaluate
 * `withdrawn_from <= today ? 'withdrawn' : base_status` at read time. The rare window in which
 * every party is withdrawn until an already-announced future accession takes effect is not
 * captured here; `statusOn` captures it.
 */
export function withdrawnFrom(snapshot: CommitmentSnapshot): IsoDate | null {
  const status = baseStatus(snapshot);
  if (status === 'superseded' || status === 'completed') return null;
  const turningPoints = [
    ...new Set(
      snapshot.parties.flatMap((record) =>
        record.changes.flatMap((change) => (change.effectiveOn === null ? [] : [change.effectiveOn])),
      ),
    ),
  ].sort();
  let from: IsoDate | null = null;
  for (let i = turningPoints.length - 1; i >= 0; i--) {
    if (!everyPartyWithdrawnOn(snapshot, turningPoints[i])) break;
    from = turningPoints[i];
  }
  return from;
}

/** `dueDate` is before `date` and the status on `date` is not completed, superseded or withdrawn. */
export function overdueOn(snapshot: CommitmentSnapshot, date: IsoDate): boolean {
  if (snapshot.dueDate === null || snapshot.dueDate >= date) return false;
  const status = statusOn(snapshot, date);
  return status !== 'completed' && status !== 'superseded' && status !== 'withdrawn';
}

/** The earliest scheduled review on or after `date`; reviews already past are not "next". */
export function nextReviewOn(snapshot: CommitmentSnapshot, date: IsoDate): IsoDate | null {
  return snapshot.reviewDates.find((reviewOn) => reviewOn >= date) ?? null;
}

/** Mean of the latest scores of the assessed parties (withdrawn parties' scores included); null when none. */
export function complianceOf(snapshot: CommitmentSnapshot): number | null {
  const scores = Object.values(snapshot.scores);
  if (scores.length === 0) return null;
  return scores.reduce<number>((sum, score) => sum + score, 0) / scores.length;
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
    missedDeadlines: 0,
    parties: [...new Set(data.parties)].map((party) => ({
      party,
      changes: [{ kind: 'joined', effectiveOn: null, announcedAt: recorded.occurredAt }],
      suspendedSince: null,
    })),
    stances: {},
    scores: {},
    reviewDates: [],
    lastDevelopmentAt: recorded.occurredAt,
    version: recorded.version,
    eventCount: 1,
  };
}

function withMembershipChange(
  parties: readonly PartyRecord[],
  party: PartyCode,
  change: MembershipChange,
): PartyRecord[] {
  const existing = parties.find((record) => record.party === party);
  if (!existing) return [...parties, { party, changes: [change], suspendedSince: null }];
  return parties.map((record) =>
    record.party !== party
      ? record
      : {
          ...record,
          changes: [...record.changes, change],
          // Rejoining starts afresh: the party "returns as active".
          suspendedSince: change.kind === 'joined' ? null : record.suspendedSince,
        },
  );
}

function withPartySuspension(
  parties: readonly PartyRecord[],
  party: PartyCode,
  since: IsoInstant | null,
): PartyRecord[] {
  return parties.map((record) => (record.party === party ? { ...record, suspendedSince: since } : record));
}

/**
 * Applies one live event to the snapshot, without judging it (see `checkTransition`). Returns null only
 * while nothing has been proposed yet; an event before the proposal is then skipped.
 */
export function apply(
  snapshot: CommitmentSnapshot | null,
  recorded: RecordedCommitmentEvent,
): CommitmentSnapshot | null {
  const { event, occurredAt } = recorded;
  if (snapshot === null)
    return event.type === 'CommitmentProposed' ? proposedSnapshot(recorded, event.data) : null;
  const base: CommitmentSnapshot = {
    ...snapshot,
    version: Math.max(snapshot.version, recorded.version),
    eventCount: snapshot.eventCount + 1,
    lastDevelopmentAt:
      event.type === 'FollowUpScheduled' || instantMs(occurredAt) < instantMs(snapshot.lastDevelopmentAt)
        ? snapshot.lastDevelopmentAt
        : occurredAt,
  };
  const date = utcDateOf(occurredAt);
  switch (event.type) {
    case 'CommitmentProposed':
      return base;
    case 'StatementRecorded':
      return { ...base, stances: { ...base.stances, [event.data.speaker.party]: event.data.stance } };
    case 'CommitmentAdopted': {
      // Adopting makes a party of anyone who was not one yet.
      const newcomers = event.data.adoptedBy.filter((party) => !recordOf(base, party));
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
        ...base,
        stage: 'adopted',
        adoptedAt: occurredAt,
        // A commitment is known by the meeting that adopted it; the proposal's meeting is the fallback.
        meeting: event.data.meeting ?? base.meeting,
        parties,
      };
    }
    case 'ProgressReported':
      return {
        ...base,
        stage:
          base.stage === 'proposed' || base.stage === 'under_negotiation'
            ? 'under_negotiation'
            : 'in_progress',
      };
    case 'CommitmentCompleted':
      return { ...base, completedAt: occurredAt };
    case 'PartyWithdrew':
      return {
        ...base,
        parties: withMembershipChange(base.parties, event.data.party, {
          kind: 'withdrew',
          effectiveOn: event.data.effectiveOn ?? date,
          announcedAt: occurredAt,
        }),
      };
    case 'PartyJoined':
      return {
        ...base,
        parties: withMembershipChange(base.parties, event.data.party, {
          kind: 'joined',
          effectiveOn: event.data.effectiveOn ?? date,
          announcedAt: occurredAt,
        }),
      };
    case 'CommitmentSuspended':
      return event.data.party === undefined
        ? { ...base, suspendedSince: occurredAt }
        : { ...base, parties: withPartySuspension(base.parties, event.data.party, occurredAt) };
    case 'CommitmentResumed':
      return event.data.party === undefined
        ? { ...base, suspendedSince: null }
        : { ...base, parties: withPartySuspension(base.parties, event.data.party, null) };
    case 'ComplianceAssessed':
      return { ...base, scores: { ...base.scores, [event.data.party]: event.data.score } };
    case 'CommitmentSuperseded':
      return { ...base, supersededBy: event.data.supersededBy, supersededAt: occurredAt };
    case 'DeadlineSet': {
      const missed = base.dueDate !== null && base.dueDate < date && base.completedAt === null;
      return {
        ...base,
        dueDate: event.data.dueDate,
        missedDeadlines: base.missedDeadlines + (missed ? 1 : 0),
      };
    }
    case 'FollowUpScheduled':
      return { ...base, reviewDates: [...new Set([...base.reviewDates, event.data.reviewOn])].sort() };
    case 'EntryRetracted':
      return base;
    default: {
      const unreachable: never = event;
      throw new Error(`Unknown commitment event ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Why a step is illegal, in an analyst's words, and what to do about it. */
export interface Refusal {
  readonly reason: string;
  readonly hint?: string;
}

function refuse(reason: string, hint?: string): Refusal {
  return hint === undefined ? { reason } : { reason, hint };
}

function dateOfOrNull(instant: IsoInstant | null): string {
  return instant === null ? 'an unknown date' : utcDateOf(instant);
}

function refuseIfSuperseded(snapshot: CommitmentSnapshot): Refusal | null {
  if (snapshot.supersededBy === null) return null;
  return refuse(
    `it was superseded by '${snapshot.supersededBy}' on ${dateOfOrNull(snapshot.supersededAt)}, and a superseded commitment takes no further developments`,
    'Only statements, compliance assessments, follow-ups and retractions can still be recorded on it.',
  );
}

function refuseIfCompleted(snapshot: CommitmentSnapshot): Refusal | null {
  if (snapshot.completedAt === null) return null;
  return refuse(
    `it had already been completed on ${dateOfOrNull(snapshot.completedAt)}`,
    'Only statements, compliance assessments, follow-ups and retractions can still be recorded on it.',
  );
}

function refuseIfWithdrawn(snapshot: CommitmentSnapshot, date: IsoDate): Refusal | null {
  if (!everyPartyWithdrawnOn(snapshot, date)) return null;
  return refuse(
    'every party had withdrawn from it by then',
    'Record an accession first if a party has rejoined.',
  );
}

function refuseIfSuspended(snapshot: CommitmentSnapshot): Refusal | null {
  if (snapshot.suspendedSince === null) return null;
  return refuse(
    `it was suspended on ${utcDateOf(snapshot.suspendedSince)} and had not been resumed by then`,
    'Record the resumption first.',
  );
}

function firstRefusal(...checks: Array<() => Refusal | null>): Refusal | null {
  for (const check of checks) {
    const refusal = check();
    if (refusal) return refusal;
  }
  return null;
}

function notAParty(party: PartyCode): Refusal {
  return refuse(`${party} was not a party to it by then`, `Record the accession of ${party} first.`);
}

/**
 * Whether `recorded` may follow `snapshot` (the fold of everything before it in world order).
 * Effective dates are judged on the step's own date. Returns null when legal.
 */
export function checkTransition(
  snapshot: CommitmentSnapshot | null,
  recorded: RecordedCommitmentEvent,
): Refusal | null {
  const { event } = recorded;
  if (snapshot === null) {
    return event.type === 'CommitmentProposed'
      ? null
      : refuse('it had not been proposed yet by then', 'Every entry must be dated on or after the proposal.');
  }
  const date = utcDateOf(recorded.occurredAt);
  switch (event.type) {
    case 'CommitmentProposed':
      return refuse(`it was already proposed on ${utcDateOf(snapshot.proposedAt)}`);
    case 'StatementRecorded':
    case 'FollowUpScheduled':
    case 'EntryRetracted':
      return null;
    case 'ComplianceAssessed':
      return recordOf(snapshot, event.data.party) ? null : notAParty(event.data.party);
    case 'CommitmentAdopted':
      return firstRefusal(
        () => refuseIfSuperseded(snapshot),
        () => refuseIfCompleted(snapshot),
        () => refuseIfWithdrawn(snapshot, date),
        () => refuseIfSuspended(snapshot),
        () =>
          snapshot.stage === 'adopted' || snapshot.stage === 'in_progress'
            ? refuse(`it had already been adopted on ${dateOfOrNull(snapshot.adoptedAt)}`)
            : null,
      );
    case 'ProgressReported':
      return firstRefusal(
        () => refuseIfSuperseded(snapshot),
        () => refuseIfCompleted(snapshot),
        () => refuseIfWithdrawn(snapshot, date),
        () => refuseIfSuspended(snapshot),
      );
    case 'CommitmentCompleted':
      return firstRefusal(
        () => refuseIfSuperseded(snapshot),
        () => refuseIfCompleted(snapshot),
        () => refuseIfWithdrawn(snapshot, date),
        () => refuseIfSuspended(snapshot),
        () =>
          snapshot.stage === 'proposed' || snapshot.stage === 'under_negotiation'
            ? refuse('it has not been adopted by then', 'Record the adoption first (backdated if needed).')
            : null,
      );
    case 'PartyWithdrew':
      return firstRefusal(
        () => refuseIfSuperseded(snapshot),
        () => refuseIfCompleted(snapshot),
        () => {
          const standing = participationOn(snapshot, event.data.party, date);
          if (standing === null) return notAParty(event.data.party);
          if (standing.participation === 'withdrawn') {
            return refuse(
              `${event.data.party} had already withdrawn (effective ${standing.withdrewAt ?? 'from the start'})`,
              `Record its accession first if ${event.data.party} rejoined in between.`,
            );
          }
          return null;
        },
      );
    case 'PartyJoined':
      return firstRefusal(
        () => refuseIfSuperseded(snapshot),
        () => refuseIfCompleted(snapshot),
        () => {
          const standing = participationOn(snapshot, event.data.party, date);
          if (standing?.participation === 'active' || standing?.participation === 'suspended') {
            return refuse(
              `${event.data.party} was already a party to it by then`,
              standing.participation === 'suspended'
                ? `Record a resumption by ${event.data.party} instead.`
                : undefined,
            );
          }
          return null;
        },
      );
    case 'CommitmentSuspended':
      return firstRefusal(
        () => refuseIfSuperseded(snapshot),
        () => refuseIfCompleted(snapshot),
        () => refuseIfWithdrawn(snapshot, date),
        () => {
          const party = event.data.party;
          if (party === undefined) {
            return snapshot.suspendedSince === null
              ? null
              : refuse(`it had already been suspended on ${utcDateOf(snapshot.suspendedSince)}`);
          }
          const standing = participationOn(snapshot, party, date);
          if (standing === null || standing.participation === 'withdrawn') return notAParty(party);
          if (standing.participation === 'suspended') {
            return refuse(
              `${party} had already suspended its part on ${dateOfOrNull(recordOf(snapshot, party)?.suspendedSince ?? null)}`,
            );
          }
          return null;
        },
      );
    case 'CommitmentResumed':
      return firstRefusal(
        () => refuseIfSuperseded(snapshot),
        () => {
          const party = event.data.party;
          if (party === undefined) {
            return snapshot.suspendedSince !== null
              ? null
              : refuse(
                  'the commitment as a whole was not suspended by then',
                  'A resumption must match an earlier suspension: name the party if only one party suspended its part.',
                );
          }
          return recordOf(snapshot, party)?.suspendedSince
            ? null
            : refuse(
                `${party} had not suspended its part by then`,
                'A resumption must match an earlier suspension: leave the party out to resume the whole commitment.',
              );
        },
      );
    case 'CommitmentSuperseded':
      if (event.data.supersededBy === snapshot.id) {
        return refuse('a commitment cannot supersede itself', "Name the successor commitment's id.");
      }
      return firstRefusal(
        () =>
          snapshot.supersededBy === null
            ? null
            : refuse(
                `it had already been superseded by '${snapshot.supersededBy}' on ${dateOfOrNull(snapshot.supersededAt)}`,
              ),
        () =>
          snapshot.completedAt === null
            ? null
            : refuse(
                `it had already been completed on ${utcDateOf(snapshot.completedAt)}, and a completed commitment is not superseded`,
                'Mention the follow-on commitment in a statement instead.',
              ),
      );
    case 'DeadlineSet':
      return firstRefusal(
        () => refuseIfSuperseded(snapshot),
        () => refuseIfCompleted(snapshot),
      );
    default: {
      const unreachable: never = event;
      throw new Error(`Unknown commitment event ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Live facts in world order: retractions and the entries they retract left out. */
export function liveEventsInWorldOrder(
  events: readonly RecordedCommitmentEvent[],
): RecordedCommitmentEvent[] {
  const retracted = new Set(
    events.flatMap((recorded) =>
      recorded.event.type === 'EntryRetracted' ? [recorded.event.data.eventId] : [],
    ),
  );
  // Each instant is parsed once, not once per comparison: folds run several times per write.
  return events
    .filter((recorded) => recorded.event.type !== 'EntryRetracted' && !retracted.has(recorded.eventId))
    .map((recorded) => ({ recorded, at: instantMs(recorded.occurredAt) }))
    .sort((a, b) => a.at - b.at || a.recorded.version - b.recorded.version)
    .map(({ recorded }) => recorded);
}

/**
 * Time-travel filters. `asOf` (date or date-time; a date means the end of that UTC day) keeps facts
 * with `occurredAt ≤ asOf`. `knownAt` (same forms) keeps events, retractions included, with
 * `recordedAt ≤ knownAt`. Both together: bitemporal.
 */
export interface TimeTravel {
  readonly asOf?: string;
  readonly knownAt?: string;
}

/**
 * The events a read takes into account. A retraction is honoured when it was known at `knownAt` and its
 * target passes the filters, whatever the retraction's own `occurredAt`: a retraction corrects the
 * record of the world rather than reporting something that happened in it, so an entry retracted today
 * is left out of `asOf` views of the past too. `knownAt` views still show what was believed then.
 */
export function eventsConsidered(
  events: readonly RecordedCommitmentEvent[],
  { asOf, knownAt }: TimeTravel = {},
): RecordedCommitmentEvent[] {
  const occurredBy = asOf === undefined ? Infinity : inclusiveUpperBoundMs(asOf);
  const recordedBy = knownAt === undefined ? Infinity : inclusiveUpperBoundMs(knownAt);
  const known = events.filter((recorded) => instantMs(recorded.recordedAt) <= recordedBy);
  const facts = new Set(
    known
      .filter(
        (recorded) =>
          recorded.event.type !== 'EntryRetracted' && instantMs(recorded.occurredAt) <= occurredBy,
      )
      .map((recorded) => recorded.eventId),
  );
  return known.filter((recorded) =>
    recorded.event.type === 'EntryRetracted'
      ? facts.has(recorded.event.data.eventId)
      : facts.has(recorded.eventId),
  );
}

/**
 * The commitment as it stood (`asOf`) and/or as it was known (`knownAt`); without options, as it stands.
 * Never judges legality (a read must not fail on history). Returns null when no proposal survives the
 * filters: the commitment is unknown at that time.
 */
export function foldCommitment(
  events: readonly RecordedCommitmentEvent[],
  timeTravel: TimeTravel = {},
): CommitmentSnapshot | null {
  const considered = eventsConsidered(events, timeTravel);
  let snapshot: CommitmentSnapshot | null = null;
  for (const recorded of liveEventsInWorldOrder(considered)) snapshot = apply(snapshot, recorded);
  if (snapshot === null) return null;
  return {
    ...snapshot,
    version: considered.reduce((version, recorded) => Math.max(version, recorded.version), 0),
    eventCount: considered.length,
  };
}

/** An entry that is illegal where it stands in the world-order fold. */
export interface IllegalStep extends Refusal {
  readonly recorded: RecordedCommitmentEvent;
}

/** Every illegal step of the stream's fold, in world order (empty for a legal history). */
export function findIllegalSteps(events: readonly RecordedCommitmentEvent[]): IllegalStep[] {
  const illegal: IllegalStep[] = [];
  let snapshot: CommitmentSnapshot | null = null;
  for (const recorded of liveEventsInWorldOrder(events)) {
    const refusal = checkTransition(snapshot, recorded);
    if (refusal) illegal.push({ recorded, ...refusal });
    snapshot = apply(snapshot, recorded);
  }
  return illegal;
}

/** The stream as the decider sees it: its events in stream order. */
export interface CommitmentState {
  readonly id: string | null;
  readonly events: readonly RecordedCommitmentEvent[];
}

export const initialState: CommitmentState = { id: null, events: [] };

export function evolve(state: CommitmentState, recorded: RecordedCommitmentEvent): CommitmentState {
  const id = state.id ?? (recorded.event.type === 'CommitmentProposed' ? recorded.event.data.id : null);
  return { id, events: [...state.events, recorded] };
}

export interface DecisionContext {
  readonly now: Date;
}

function bodyOf<Data extends CommandAddress, Dropped extends string = never>(
  data: Data,
  ...dropped: Dropped[]
): Omit<Data, keyof CommandAddress | Dropped> {
  const omitted = new Set<string>(['commitmentId', 'occurredAt', ...dropped]);
  return Object.fromEntries(
    Object.entries(data).filter(([key, value]) => !omitted.has(key) && value !== undefined),
  ) as Omit<Data, keyof CommandAddress | Dropped>;
}

/** The event a command asks to record, before any rule is checked. */
export function eventFor(command: CommitmentCommand): CommitmentEvent {
  switch (command.type) {
    case 'ProposeCommitment':
      return {
        type: 'CommitmentProposed',
        data: { id: command.data.commitmentId, ...bodyOf(command.data, 'id') },
      };
    case 'RecordStatement':
      return { type: 'StatementRecorded', data: bodyOf(command.data) };
    case 'AdoptCommitment':
      return { type: 'CommitmentAdopted', data: bodyOf(command.data) };
    case 'ReportProgress':
      return { type: 'ProgressReported', data: bodyOf(command.data) };
    case 'CompleteCommitment':
      return { type: 'CommitmentCompleted', data: bodyOf(command.data) };
    case 'RecordWithdrawal':
      return { type: 'PartyWithdrew', data: bodyOf(command.data) };
    case 'RecordAccession':
      return { type: 'PartyJoined', data: bodyOf(command.data) };
    case 'SuspendCommitment':
      return { type: 'CommitmentSuspended', data: bodyOf(command.data) };
    case 'ResumeCommitment':
      return { type: 'CommitmentResumed', data: bodyOf(command.data) };
    case 'AssessCompliance':
      return { type: 'ComplianceAssessed', data: bodyOf(command.data) };
    case 'SupersedeCommitment':
      return { type: 'CommitmentSuperseded', data: bodyOf(command.data, 'successorExists') };
    case 'SetDeadline':
      return { type: 'DeadlineSet', data: bodyOf(command.data) };
    case 'ScheduleFollowUp':
      return { type: 'FollowUpScheduled', data: bodyOf(command.data) };
    case 'RetractEntry':
      return { type: 'EntryRetracted', data: bodyOf(command.data) };
    default: {
      const unreachable: never = command;
      throw new Error(`Unknown commitment command ${JSON.stringify(unreachable)}`);
    }
  }
}

function describeEntry(event: CommitmentEvent): string {
  switch (event.type) {
    case 'CommitmentProposed':
      return 'the proposal';
    case 'StatementRecorded':
      return `the statement by ${event.data.speaker.name} (${event.data.speaker.party})`;
    case 'CommitmentAdopted':
      return 'the adoption';
    case 'ProgressReported':
      return 'the progress report';
    case 'CommitmentCompleted':
      return 'the completion';
    case 'PartyWithdrew':
      return `the withdrawal of ${event.data.party}`;
    case 'PartyJoined':
      return `the accession of ${event.data.party}`;
    case 'CommitmentSuspended':
      return event.data.party === undefined ? 'the suspension' : `the suspension by ${event.data.party}`;
    case 'CommitmentResumed':
      return event.data.party === undefined ? 'the resumption' : `the resumption by ${event.data.party}`;
    case 'ComplianceAssessed':
      return `the compliance assessment of ${event.data.party}`;
    case 'CommitmentSuperseded':
      return `the supersession by '${event.data.supersededBy}'`;
    case 'DeadlineSet':
      return `the new deadline of ${event.data.dueDate}`;
    case 'FollowUpScheduled':
      return `the follow-up for ${event.data.reviewOn}`;
    case 'EntryRetracted':
      return 'the retraction';
    default: {
      const unreachable: never = event;
      throw new Error(`Unknown commitment event ${JSON.stringify(unreachable)}`);
    }
  }
}

function sentence(text: string | undefined): string {
  return text === undefined ? '' : ` ${text}`;
}

/**
 * Refuses `attempt` when the fold of `eventsAfter` has an illegal step that the current history
 * does not already have (an old, already-recorded illegality must not block every later write).
 */
function refuseIfFoldTurnsIllegal(
  current: readonly RecordedCommitmentEvent[],
  eventsAfter: readonly RecordedCommitmentEvent[],
  attempt: string,
  candidateId: string | null,
  remedyForLaterEntry: string,
): void {
  const illegalAfter = findIllegalSteps(eventsAfter);
  // The usual case, a legal history, costs one fold; the history before is folded only to tell old faults from new.
  if (illegalAfter.length === 0) return;
  const alreadyIllegal = new Set(findIllegalSteps(current).map((illegal) => illegal.recorded.eventId));
  const step = illegalAfter.find((illegal) => !alreadyIllegal.has(illegal.recorded.eventId));
  if (!step) return;
  if (step.recorded.eventId === candidateId) {
    throw new IllegalTransitionError(`Cannot ${attempt}: ${step.reason}.${sentence(step.hint)}`);
  }
  throw new IllegalTransitionError(
    `Cannot ${attempt}: ${describeEntry(step.recorded.event)} on ${utcDateOf(step.recorded.occurredAt)} ` +
      `(event ${step.recorded.eventId}) would no longer be legal: ${step.reason}. ${remedyForLaterEntry}`,
  );
}

const CANDIDATE_EVENT_ID = 'candidate';

function candidateFor(
  state: CommitmentState,
  command: CommitmentCommand,
  event: CommitmentEvent,
  ctx: DecisionContext,
): RecordedCommitmentEvent {
  if (Number.isNaN(instantMs(command.data.occurredAt))) {
    throw new IllegalTransitionError(
      `Cannot record a development dated '${command.data.occurredAt}': it is not a date.`,
    );
  }
  const lastVersion = state.events.reduce((version, recorded) => Math.max(version, recorded.version), 0);
  return {
    eventId: CANDIDATE_EVENT_ID,
    version: lastVersion + 1,
    occurredAt: toIsoInstant(command.data.occurredAt),
    recordedAt: ctx.now.toISOString(),
    event,
  };
}

function recordDevelopment(
  state: CommitmentState,
  command: CommitmentCommand,
  ctx: DecisionContext,
): CommitmentEvent {
  const event = eventFor(command);
  const candidate = candidateFor(state, command, event, ctx);
  const attempt = `record ${describeEntry(event)} of '${command.data.commitmentId}' on ${utcDateOf(candidate.occurredAt)}`;
  refuseIfFoldTurnsIllegal(
    state.events,
    [...state.events, candidate],
    attempt,
    candidate.eventId,
    'Date this entry differently, or retract that later entry first.',
  );
  return event;
}

function supersede(
  command: SupersedeCommitment,
  state: CommitmentState,
  ctx: DecisionContext,
): CommitmentEvent {
  const { commitmentId, supersededBy } = command.data;
  if (supersededBy === commitmentId) {
    throw new IllegalTransitionError(
      `Cannot record the supersession of '${commitmentId}' by itself: a commitment cannot supersede itself. Name the successor commitment's id.`,
    );
  }
  if (!command.data.successorExists) {
    throw new IllegalTransitionError(
      `Cannot record the supersession of '${commitmentId}' by '${supersededBy}': no commitment '${supersededBy}' is tracked. Record the successor's proposal first.`,
    );
  }
  return recordDevelopment(state, command, ctx);
}

function retract(command: RetractEntry, state: CommitmentState, ctx: DecisionContext): CommitmentEvent {
  const { commitmentId, eventId } = command.data;
  const target = state.events.find((recorded) => recorded.eventId === eventId);
  if (!target) throw new EventNotFoundError(commitmentId, eventId);
  const entry = `${describeEntry(target.event)} of '${commitmentId}' dated ${utcDateOf(target.occurredAt)} (event ${eventId})`;
  if (target.event.type === 'EntryRetracted') {
    throw new IllegalTransitionError(
      `Cannot retract ${entry}: a retraction cannot itself be retracted. If the original entry was right after all, record it again.`,
    );
  }
  const earlier = state.events.find(
    (recorded) => recorded.event.type === 'EntryRetracted' && recorded.event.data.eventId === eventId,
  );
  if (earlier) {
    throw new IllegalTransitionError(
      `Cannot retract ${entry}: it was already retracted by event ${earlier.eventId}.`,
    );
  }
  if (target.event.type === 'CommitmentProposed') {
    throw new IllegalTransitionError(
      `Cannot retract ${entry}: every other entry in its history depends on the proposal, so a commitment cannot be un-proposed. ` +
        'Retract the mistaken developments instead, or record what replaced it as a supersession.',
    );
  }
  const event = eventFor(command);
  const candidate = candidateFor(state, command, event, ctx);
  refuseIfFoldTurnsIllegal(
    state.events,
    [...state.events, candidate],
    `retract ${entry}`,
    candidate.eventId,
    'It depends on the entry you are retracting: retract that later entry first.',
  );
  return event;
}

/**
 * Decides which event a command records, given the stream so far. Pure: the clock arrives in `ctx`
 * (only to stamp the candidate's `recordedAt` while checking). Returns exactly one event, or throws
 * `CommitmentAlreadyExistsError`, `CommitmentNotFoundError`, `EventNotFoundError` or
 * `IllegalTransitionError` when the new event, inserted at its place in world order, would make the
 * fold illegal.
 */
export function decide(
  command: CommitmentCommand,
  state: CommitmentState,
  ctx: DecisionContext,
): CommitmentEvent[] {
  if (command.type === 'ProposeCommitment') {
    if (state.events.length > 0) throw new CommitmentAlreadyExistsError(command.data.commitmentId);
    return [eventFor(command)];
  }
  if (state.events.length === 0) throw new CommitmentNotFoundError(command.data.commitmentId);
  switch (command.type) {
    case 'SupersedeCommitment':
      return [supersede(command, state, ctx)];
    case 'RetractEntry':
      return [retract(command, state, ctx)];
    case 'RecordStatement':
    case 'AdoptCommitment':
    case 'ReportProgress':
    case 'CompleteCommitment':
    case 'RecordWithdrawal':
    case 'RecordAccession':
    case 'SuspendCommitment':
    case 'ResumeCommitment':
    case 'AssessCompliance':
    case 'SetDeadline':
    case 'ScheduleFollowUp':
      return [recordDevelopment(state, command, ctx)];
    default: {
      const unreachable: never = command;
      throw new Error(`Unknown commitment command ${JSON.stringify(unreachable)}`);
    }
  }
}

export interface PartyView {
  party: PartyCode;
  participation: Participation;
  stance?: Stance;
  score?: ComplianceScore;
  joinedAt?: IsoDate;
  withdrewAt?: IsoDate;
}

/** Exactly the body of `GET /commitments/:id`; absent scalars are null, never undefined. */
export interface CommitmentView {
  id: string;
  title: string;
  kind: CommitmentKind;
  status: CommitmentStatus;
  parties: PartyView[];
  proposedBy: PartyCode;
  topics: string[];
  summary: string | null;
  meeting: string | null;
  proposedAt: IsoInstant;
  adoptedAt: IsoInstant | null;
  completedAt: IsoInstant | null;
  supersededBy: string | null;
  dueDate: IsoDate | null;
  missedDeadlines: number;
  overdue: boolean;
  compliance: number | null;
  nextReviewOn: IsoDate | null;
  lastDevelopmentAt: IsoInstant;
  version: number;
  eventCount: number;
}

/**
 * The API view of a snapshot, with participation, status, `overdue` and `nextReviewOn` evaluated on
 * `referenceDate` (today, or the `asOf` date; an instant is reduced to its UTC date). Parties whose
 * accession has not taken effect by then are not listed yet; speakers who are not parties keep their
 * stance in the snapshot only.
 */
export function toCommitmentView(snapshot: CommitmentSnapshot, referenceDate: IsoDate): CommitmentView {
  const date = utcDateOf(referenceDate);
  const parties = snapshot.parties.flatMap((record): PartyView[] => {
    const standing = participationOn(snapshot, record.party, date);
    if (standing === null) return [];
    const view: PartyView = { party: record.party, participation: standing.participation };
    const stance = snapshot.stances[record.party];
    const score = snapshot.scores[record.party];
    if (stance !== undefined) view.stance = stance;
    if (score !== undefined) view.score = score;
    if (standing.joinedAt !== null) view.joinedAt = standing.joinedAt;
    if (standing.withdrewAt !== null) view.withdrewAt = standing.withdrewAt;
    return [view];
  });
  return {
    id: snapshot.id,
    title: snapshot.title,
    kind: snapshot.kind,
    status: statusOn(snapshot, date),
    parties,
    proposedBy: snapshot.proposedBy,
    topics: [...snapshot.topics],
    summary: snapshot.summary,
    meeting: snapshot.meeting,
    proposedAt: snapshot.proposedAt,
    adoptedAt: snapshot.adoptedAt,
    completedAt: snapshot.completedAt,
    supersededBy: snapshot.supersededBy,
    dueDate: snapshot.dueDate,
    missedDeadlines: snapshot.missedDeadlines,
    overdue: overdueOn(snapshot, date),
    compliance: complianceOf(snapshot),
    nextReviewOn: nextReviewOn(snapshot, date),
    lastDevelopmentAt: snapshot.lastDevelopmentAt,
    version: snapshot.version,
    eventCount: snapshot.eventCount,
  };
}
