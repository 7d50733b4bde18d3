import type { DomainEvent, Provenance } from '../shared/domain-event.js';
import type { Descriptions } from '../shared/development-rules.js';
import type {
  CommitmentKind,
  ComplianceScore,
  EntryIntoForceRule,
  IsoDate,
  PartyCode,
  Stance,
} from '../shared/vocabulary.js';

/**
 * The developments of a commitment's own life: its proposal, statements on it, adoption, progress,
 * completion, suspension and resumption, compliance assessments, supersession, deadlines, follow-ups.
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

/** `party` absent: the whole commitment is suspended. */
export type CommitmentSuspended = DomainEvent<
  'CommitmentSuspended',
  Provenance & { party?: PartyCode; reason: string }
>;

/** `party` absent: resumes a suspension of the whole commitment. */
export type CommitmentResumed = DomainEvent<'CommitmentResumed', Provenance & { party?: PartyCode }>;

export type ComplianceAssessed = DomainEvent<
  'ComplianceAssessed',
  Partial<Provenance> & { party: PartyCode; score: ComplianceScore; rationale: string; period?: string }
>;

export type CommitmentSuperseded = DomainEvent<'CommitmentSuperseded', Provenance & { supersededBy: string }>;

export type DeadlineSet = DomainEvent<
  'DeadlineSet',
  Partial<Provenance> & { dueDate: IsoDate; reason?: string }
>;

/** An internal task, not a world development: no source, and its occurredAt is the time it was scheduled. */
export type FollowUpScheduled = DomainEvent<
  'FollowUpScheduled',
  { reviewOn: IsoDate; note: string; assignee?: string }
>;

export type LifecycleEvent =
  | CommitmentProposed
  | StatementRecorded
  | CommitmentAdopted
  | ProgressReported
  | CommitmentCompleted
  | CommitmentSuspended
  | CommitmentResumed
  | ComplianceAssessed
  | CommitmentSuperseded
  | DeadlineSet
  | FollowUpScheduled;

export const lifecycleDescriptions: Descriptions<LifecycleEvent> = {
  CommitmentProposed: () => 'the proposal',
  StatementRecorded: ({ data }) => `the statement by ${data.speaker.name} (${data.speaker.party})`,
  CommitmentAdopted: () => 'the adoption',
  ProgressReported: () => 'the progress report',
  CommitmentCompleted: () => 'the completion',
  CommitmentSuspended: ({ data }) =>
    data.party === undefined ? 'the suspension' : `the suspension by ${data.party}`,
  CommitmentResumed: ({ data }) =>
    data.party === undefined ? 'the resumption' : `the resumption by ${data.party}`,
  ComplianceAssessed: ({ data }) => `the compliance assessment of ${data.party}`,
  CommitmentSuperseded: ({ data }) => `the supersession by '${data.supersededBy}'`,
  DeadlineSet: ({ data }) => `the new deadline of ${data.dueDate}`,
  FollowUpScheduled: ({ data }) => `the follow-up for ${data.reviewOn}`,
};
