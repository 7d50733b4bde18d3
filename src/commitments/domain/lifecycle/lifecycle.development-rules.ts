import { bodyOf, type Command, type CommandAddress } from '../shared/command.js';
import { IllegalTransitionError } from '../shared/commitment.errors.js';
import type {
  Descriptions,
  CommandRules,
  SnapshotChanges,
  TransitionRules,
} from '../shared/development-rules.js';
import type { DomainEvent, Provenance, AnyEvent, RecordedEvent } from '../shared/domain-event.js';
import { everyPartyWithdrawnOn } from '../shared/participation.js';
import { type PartyRecord, withMembershipChange } from '../shared/party-record.js';
import {
  dateOfOrNull,
  firstRefusal,
  type Refusal,
  refuse,
  refuseIfCompleted,
  refuseIfSuperseded,
} from '../shared/refusal.js';
import { type CommitmentSnapshot, recordOf } from '../shared/snapshot.js';
import type { CommitmentKind, EntryIntoForceRule, IsoDate, PartyCode, Stance } from '../shared/vocabulary.js';
import { utcDateOf } from '../shared/world-time.js';

/**
 * The developments of a commitment's own life: its proposal, statements on it, adoption, progress,
 * completion and supersession. Its dates to watch are schedule/'s; a party's standing is membership/'s.
 */

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
 * `id` is always present in the event, even though the API body may omit it: the handler resolves
 * the id (generated from the title) before deciding, so the stream's first event names its subject.
 */
export type CommitmentProposed = DomainEvent<
  'CommitmentProposed',
  Provenance & {
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
  Provenance & { speaker: Speaker; stance: Stance; summary: string }
>;

export type CommitmentAdopted = DomainEvent<
  'CommitmentAdopted',
  Provenance & { adoptedBy: readonly PartyCode[]; witnessedBy?: readonly PartyCode[]; documentTitle?: string }
>;

export type ProgressReported = DomainEvent<
  'ProgressReported',
  Provenance & { summary: string; metrics?: readonly Metric[] }
>;

export type CommitmentCompleted = DomainEvent<'CommitmentCompleted', Provenance & { summary?: string }>;

export type CommitmentSuperseded = DomainEvent<'CommitmentSuperseded', Provenance & { supersededBy: string }>;

export type LifecycleEvent =
  | CommitmentProposed
  | StatementRecorded
  | CommitmentAdopted
  | ProgressReported
  | CommitmentCompleted
  | CommitmentSuperseded;

export const lifecycleDescriptions: Descriptions<LifecycleEvent> = {
  CommitmentProposed: () => 'the proposal',
  StatementRecorded: ({ data }) => `the statement by ${data.speaker.name} (${data.speaker.party})`,
  CommitmentAdopted: () => 'the adoption',
  ProgressReported: () => 'the progress report',
  CommitmentCompleted: () => 'the completion',
  CommitmentSuperseded: ({ data }) => `the supersession by '${data.supersededBy}'`,
};

export type ProposeCommitment = Command<
  'ProposeCommitment',
  CommandAddress & Omit<CommitmentProposed['data'], 'id'>
>;
export type RecordStatement = Command<'RecordStatement', CommandAddress & StatementRecorded['data']>;
export type AdoptCommitment = Command<'AdoptCommitment', CommandAddress & CommitmentAdopted['data']>;
export type ReportProgress = Command<'ReportProgress', CommandAddress & ProgressReported['data']>;
export type CompleteCommitment = Command<'CompleteCommitment', CommandAddress & CommitmentCompleted['data']>;
/** `successorExists` is looked up by the handler before deciding, so that `decide` stays pure. */
export type SupersedeCommitment = Command<
  'SupersedeCommitment',
  CommandAddress & CommitmentSuperseded['data'] & { successorExists: boolean }
>;

export type LifecycleCommand =
  | ProposeCommitment
  | RecordStatement
  | AdoptCommitment
  | ReportProgress
  | CompleteCommitment
  | SupersedeCommitment;

/** The proposal opens the stream: the decider itself refuses a second one (commitment.decider.ts). */
export const lifecycleCommands: CommandRules<LifecycleCommand, LifecycleEvent> = {
  ProposeCommitment: {
    eventFor: ({ data }) => ({
      type: 'CommitmentProposed',
      data: { id: data.commitmentId, ...bodyOf(data, 'id') },
    }),
  },
  RecordStatement: { eventFor: ({ data }) => ({ type: 'StatementRecorded', data: bodyOf(data) }) },
  AdoptCommitment: { eventFor: ({ data }) => ({ type: 'CommitmentAdopted', data: bodyOf(data) }) },
  ReportProgress: { eventFor: ({ data }) => ({ type: 'ProgressReported', data: bodyOf(data) }) },
  CompleteCommitment: { eventFor: ({ data }) => ({ type: 'CommitmentCompleted', data: bodyOf(data) }) },
  SupersedeCommitment: {
    eventFor: ({ data }) => ({ type: 'CommitmentSuperseded', data: bodyOf(data, 'successorExists') }),
    decide(command, event, decision) {
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
      decision.refuseIfIllegalInWorldOrder(event);
      return event;
    },
  },
};

/** How a commitment's own life changes its snapshot; the proposal starts it. */

export function proposedSnapshot(
  recorded: RecordedEvent<AnyEvent>,
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

export const lifecycleChanges: SnapshotChanges<LifecycleEvent> = {
  CommitmentProposed: () => ({}),
  StatementRecorded: (base, { event }) => ({
    stances: { ...base.stances, [event.data.speaker.party]: event.data.stance },
  }),
  CommitmentAdopted: (base, { event, occurredAt }) => {
    const date = utcDateOf(occurredAt);
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
  },
  ProgressReported: (base) => ({
    stage:
      base.stage === 'proposed' || base.stage === 'under_negotiation' ? 'under_negotiation' : 'in_progress',
  }),
  CommitmentCompleted: (_base, { occurredAt }) => ({ completedAt: occurredAt }),
  CommitmentSuperseded: (_base, { event, occurredAt }) => ({
    supersededBy: event.data.supersededBy,
    supersededAt: occurredAt,
  }),
};

/** What may follow what in a commitment's life (see transitions.ts). */

/** Shared with the suspensions (membership/): no development of a commitment every party has left. */
export function refuseIfWithdrawn(snapshot: CommitmentSnapshot, date: IsoDate): Refusal | null {
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

export const lifecycleTransitions: TransitionRules<LifecycleEvent> = {
  CommitmentProposed: (snapshot) => refuse(`it was already proposed on ${utcDateOf(snapshot.proposedAt)}`),
  StatementRecorded: () => null,
  CommitmentAdopted: (snapshot, _recorded, date) =>
    firstRefusal(
      () => refuseIfSuperseded(snapshot),
      () => refuseIfCompleted(snapshot),
      () => refuseIfWithdrawn(snapshot, date),
      () => refuseIfSuspended(snapshot),
      () =>
        snapshot.stage === 'adopted' || snapshot.stage === 'in_progress'
          ? refuse(`it had already been adopted on ${dateOfOrNull(snapshot.adoptedAt)}`)
          : null,
    ),
  ProgressReported: (snapshot, _recorded, date) =>
    firstRefusal(
      () => refuseIfSuperseded(snapshot),
      () => refuseIfCompleted(snapshot),
      () => refuseIfWithdrawn(snapshot, date),
      () => refuseIfSuspended(snapshot),
    ),
  CommitmentCompleted: (snapshot, _recorded, date) =>
    firstRefusal(
      () => refuseIfSuperseded(snapshot),
      () => refuseIfCompleted(snapshot),
      () => refuseIfWithdrawn(snapshot, date),
      () => refuseIfSuspended(snapshot),
      () =>
        snapshot.stage === 'proposed' || snapshot.stage === 'under_negotiation'
          ? refuse('it has not been adopted by then', 'Record the adoption first (backdated if needed).')
          : null,
    ),
  CommitmentSuperseded: (snapshot, { event }) => {
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
  },
};
