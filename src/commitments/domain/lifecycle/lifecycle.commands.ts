import { bodyOf, type Command, type CommandAddress } from '../shared/command.js';
import { IllegalTransitionError } from '../shared/commitment.errors.js';
import type { CommandRules } from '../shared/development-rules.js';
import type {
  CommitmentAdopted,
  CommitmentCompleted,
  CommitmentProposed,
  CommitmentResumed,
  CommitmentSuperseded,
  CommitmentSuspended,
  ComplianceAssessed,
  DeadlineSet,
  FollowUpScheduled,
  LifecycleEvent,
  ProgressReported,
  StatementRecorded,
} from './lifecycle.events.js';

export type ProposeCommitment = Command<
  'ProposeCommitment',
  CommandAddress & Omit<CommitmentProposed['data'], 'id'>
>;
export type RecordStatement = Command<'RecordStatement', CommandAddress & StatementRecorded['data']>;
export type AdoptCommitment = Command<'AdoptCommitment', CommandAddress & CommitmentAdopted['data']>;
export type ReportProgress = Command<'ReportProgress', CommandAddress & ProgressReported['data']>;
export type CompleteCommitment = Command<'CompleteCommitment', CommandAddress & CommitmentCompleted['data']>;
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

export type LifecycleCommand =
  | ProposeCommitment
  | RecordStatement
  | AdoptCommitment
  | ReportProgress
  | CompleteCommitment
  | SuspendCommitment
  | ResumeCommitment
  | AssessCompliance
  | SupersedeCommitment
  | SetDeadline
  | ScheduleFollowUp;

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
  SuspendCommitment: { eventFor: ({ data }) => ({ type: 'CommitmentSuspended', data: bodyOf(data) }) },
  ResumeCommitment: { eventFor: ({ data }) => ({ type: 'CommitmentResumed', data: bodyOf(data) }) },
  AssessCompliance: { eventFor: ({ data }) => ({ type: 'ComplianceAssessed', data: bodyOf(data) }) },
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
  SetDeadline: { eventFor: ({ data }) => ({ type: 'DeadlineSet', data: bodyOf(data) }) },
  ScheduleFollowUp: { eventFor: ({ data }) => ({ type: 'FollowUpScheduled', data: bodyOf(data) }) },
};
