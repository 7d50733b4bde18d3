import type {
  CommitmentAdopted,
  CommitmentCompleted,
  CommitmentEvent,
  CommitmentProposed,
  CommitmentResumed,
  CommitmentSuperseded,
  CommitmentSuspended,
  ComplianceAssessed,
  DeadlineSet,
  EntryRetracted,
  FollowUpScheduled,
  IsoInstant,
  PartyJoined,
  PartySigned,
  PartyWithdrew,
  ProgressReported,
  ProposalCorrected,
  ReservationMade,
  ReservationWithdrawn,
  StatementRecorded,
} from './commitment.events.js';
import { isConsentAction } from './commitment.events.js';

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
export type CorrectProposal = Command<'CorrectProposal', CommandAddress & ProposalCorrected['data']>;
export type SignAgreement = Command<'SignAgreement', CommandAddress & PartySigned['data']>;
export type MakeReservation = Command<'MakeReservation', CommandAddress & ReservationMade['data']>;
export type WithdrawReservation = Command<
  'WithdrawReservation',
  CommandAddress & ReservationWithdrawn['data']
>;

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
  | RetractEntry
  | CorrectProposal
  | SignAgreement
  | MakeReservation
  | WithdrawReservation;

export type CommitmentCommandType = CommitmentCommand['type'];

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
    case 'CorrectProposal':
      return { type: 'ProposalCorrected', data: bodyOf(command.data) };
    case 'SignAgreement':
      return { type: 'PartySigned', data: bodyOf(command.data) };
    case 'MakeReservation':
      return { type: 'ReservationMade', data: bodyOf(command.data) };
    case 'WithdrawReservation':
      return { type: 'ReservationWithdrawn', data: bodyOf(command.data) };
    default: {
      const unreachable: never = command;
      throw new Error(`Unknown commitment command ${JSON.stringify(unreachable)}`);
    }
  }
}

export function describeEntry(event: CommitmentEvent): string {
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
      return isConsentAction(event.data.action)
        ? `the ${event.data.action.replace('_', ' ')} by ${event.data.party}`
        : `the accession of ${event.data.party}`;
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
    case 'ProposalCorrected':
      return 'the correction of the proposal';
    case 'PartySigned':
      return `the signature by ${event.data.party}`;
    case 'ReservationMade':
      return `the ${event.data.kind} by ${event.data.party}`;
    case 'ReservationWithdrawn':
      return `the withdrawal of reservation ${event.data.eventId}`;
    default: {
      const unreachable: never = event;
      throw new Error(`Unknown commitment event ${JSON.stringify(unreachable)}`);
    }
  }
}
