import type { Type } from '@nestjs/common';
import type { CommitmentCommand } from '../domain/commitment.commands.js';
import {
  AdoptCommitmentDto,
  AssessComplianceDto,
  CompleteCommitmentDto,
  MakeReservationDto,
  ProposeCommitmentDto,
  RecordAccessionDto,
  RecordStatementDto,
  RecordWithdrawalDto,
  ReportProgressDto,
  ResumeCommitmentDto,
  ScheduleFollowUpDto,
  SetDeadlineDto,
  SignAgreementDto,
  SupersedeCommitmentDto,
  SuspendCommitmentDto,
  WithdrawReservationDto,
} from './dto/developments.dto.js';
import { CorrectProposalDto, correctionOf, RetractEntryDto } from './dto/corrections.dto.js';
import { validationProblem } from '../../http/validation.js';

/** The path segment of each development endpoint (`propose` is `POST /commitments` itself). */
export type DevelopmentAction =
  | 'propose'
  | 'statements'
  | 'adoptions'
  | 'progress'
  | 'completions'
  | 'withdrawals'
  | 'accessions'
  | 'suspensions'
  | 'resumptions'
  | 'assessments'
  | 'supersessions'
  | 'deadlines'
  | 'follow-ups'
  | 'retractions'
  | 'corrections'
  | 'signatures'
  | 'reservations'
  | 'reservation-withdrawals';

export interface DevelopmentRequest {
  readonly command: CommitmentCommand;
  /** The id was derived from the title, so a clash picks a suffix instead of failing. */
  readonly generatedId: boolean;
}

/** Path parameters besides the commitment's id: the reservation a withdrawal names. */
export interface DevelopmentPathParams {
  readonly eventId?: string;
}

export interface DevelopmentActionSpec<Dto> {
  readonly dto: Type<Dto>;
  /** The event it records, and when it is legal: the endpoint's summary in the API documentation. */
  readonly summary: string;
  /** The route relative to `/commitments`, when it is not `:id/<action>`. */
  readonly path?: string;
  toCommand(commitmentId: string, body: Dto, now: string, params: DevelopmentPathParams): CommitmentCommand;
}

const spec = <Dto>(
  dto: Type<Dto>,
  summary: string,
  toCommand: DevelopmentActionSpec<Dto>['toCommand'],
  path?: string,
): DevelopmentActionSpec<Dto> => ({ dto, summary, toCommand, ...(path === undefined ? {} : { path }) });

/**
 * Each development endpoint: its validated body, its documentation and the command it becomes. The
 * controller's write routes, the seed loader and the tests all come from this table, so a seeded
 * development obeys exactly the rules an analyst's does.
 */
export const DEVELOPMENT_ACTIONS = {
  propose: spec(
    ProposeCommitmentDto,
    'Propose a commitment (CommitmentProposed)',
    (commitmentId, { id: _id, ...body }) => ({
      type: 'ProposeCommitment',
      data: { ...body, topics: body.topics ?? [], commitmentId },
    }),
  ),
  statements: spec(RecordStatementDto, 'Record a statement (StatementRecorded)', (commitmentId, body) => ({
    type: 'RecordStatement',
    data: { ...body, commitmentId },
  })),
  adoptions: spec(AdoptCommitmentDto, 'Record an adoption (CommitmentAdopted)', (commitmentId, body) => ({
    type: 'AdoptCommitment',
    data: { ...body, commitmentId },
  })),
  progress: spec(ReportProgressDto, 'Report progress (ProgressReported)', (commitmentId, body) => ({
    type: 'ReportProgress',
    data: { ...body, commitmentId },
  })),
  completions: spec(
    CompleteCommitmentDto,
    'Record completion (CommitmentCompleted; legal only after adoption)',
    (commitmentId, body) => ({ type: 'CompleteCommitment', data: { ...body, commitmentId } }),
  ),
  withdrawals: spec(
    RecordWithdrawalDto,
    'Record a party withdrawing (PartyWithdrew), effective now or on effectiveOn',
    (commitmentId, body) => ({ type: 'RecordWithdrawal', data: { ...body, commitmentId } }),
  ),
  accessions: spec(
    RecordAccessionDto,
    'Record a party joining or rejoining (PartyJoined)',
    (commitmentId, body) => ({ type: 'RecordAccession', data: { ...body, commitmentId } }),
  ),
  suspensions: spec(
    SuspendCommitmentDto,
    'Record a suspension, of one party’s part or of the whole (CommitmentSuspended)',
    (commitmentId, body) => ({ type: 'SuspendCommitment', data: { ...body, commitmentId } }),
  ),
  resumptions: spec(
    ResumeCommitmentDto,
    'Record a resumption matching an earlier suspension (CommitmentResumed)',
    (commitmentId, body) => ({ type: 'ResumeCommitment', data: { ...body, commitmentId } }),
  ),
  assessments: spec(
    AssessComplianceDto,
    'Record a compliance assessment of one party (ComplianceAssessed, -1/0/+1)',
    (commitmentId, body, now) => ({
      type: 'AssessCompliance',
      data: { ...body, commitmentId, occurredAt: body.occurredAt ?? now },
    }),
  ),
  supersessions: spec(
    SupersedeCommitmentDto,
    'Record supersession by an existing commitment (CommitmentSuperseded, terminal)',
    (commitmentId, body) => ({
      type: 'SupersedeCommitment',
      data: { ...body, commitmentId, successorExists: false },
    }),
  ),
  deadlines: spec(
    SetDeadlineDto,
    'Set or replace the due date (DeadlineSet); replacing a passed one counts a missed deadline',
    (commitmentId, body, now) => ({
      type: 'SetDeadline',
      data: { ...body, commitmentId, occurredAt: body.occurredAt ?? now },
    }),
  ),
  'follow-ups': spec(
    ScheduleFollowUpDto,
    'Schedule an internal review (FollowUpScheduled)',
    (commitmentId, body, now) => ({
      type: 'ScheduleFollowUp',
      data: { ...body, commitmentId, occurredAt: now },
    }),
  ),
  retractions: spec(
    RetractEntryDto,
    'Retract an earlier entry (EntryRetracted), with a coded reason; the entry stays in the history, marked',
    (commitmentId, body, now) => ({
      type: 'RetractEntry',
      data: { eventId: body.eventId, ...correctionOf(body), commitmentId, occurredAt: now },
    }),
  ),
  corrections: spec(
    CorrectProposalDto,
    'Correct details of the proposal (ProposalCorrected): title, kind, proposedBy, summary, topics',
    (commitmentId, { reason, note, source, ...fields }, now) => {
      const details = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
      if (Object.keys(details).length === 0) {
        throw validationProblem(
          [
            {
              field: 'title',
              message: 'a correction names at least one of title, kind, proposedBy, summary, topics',
            },
          ],
          'The correction corrects nothing.',
        );
      }
      return {
        type: 'CorrectProposal',
        data: {
          corrections: details,
          ...correctionOf({ reason, note }),
          ...(source ? { source } : {}),
          commitmentId,
          occurredAt: now,
        },
      };
    },
  ),
  signatures: spec(
    SignAgreementDto,
    'Record a signature (PartySigned): the party signed, it is not bound',
    (commitmentId, body) => ({ type: 'SignAgreement', data: { ...body, commitmentId } }),
  ),
  reservations: spec(
    MakeReservationDto,
    'Record a reservation, declaration or objection (ReservationMade)',
    (commitmentId, body) => ({ type: 'MakeReservation', data: { ...body, commitmentId } }),
  ),
  'reservation-withdrawals': spec(
    WithdrawReservationDto,
    'Withdraw a reservation, declaration or objection (ReservationWithdrawn)',
    (commitmentId, body, _now, { eventId }) => {
      if (eventId === undefined) throw new Error('a reservation withdrawal names its reservation');
      return { type: 'WithdrawReservation', data: { ...body, eventId, commitmentId } };
    },
    ':id/reservations/:eventId/withdrawals',
  ),
} satisfies Record<DevelopmentAction, unknown>;

/** Every action, in the table's order. */
export const DEVELOPMENT_ACTION_NAMES = Object.keys(DEVELOPMENT_ACTIONS) as DevelopmentAction[];

/** The endpoint of an action, relative to `/commitments`. */
export function developmentPath(action: DevelopmentAction): string {
  const own: DevelopmentActionSpec<unknown> = DEVELOPMENT_ACTIONS[action];
  return own.path ?? (action === 'propose' ? '' : `:id/${action}`);
}

/** The path of a development of commitment `id` (the request a line of an import stands for). */
export function developmentUrl(
  action: DevelopmentAction,
  id: string | null,
  params: DevelopmentPathParams = {},
) {
  if (action === 'propose') return '/commitments';
  const path = developmentPath(action).replace(':id', String(id)).replace(':eventId', String(params.eventId));
  return `/commitments/${path}`;
}

export function slugFromTitle(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug.length >= 3 ? slug : `commitment-${slug || 'untitled'}`;
}

/** Turns a validated body into its command; a proposal without `id` gets one from its title. */
export function developmentRequest<A extends DevelopmentAction>(
  action: A,
  commitmentId: string | undefined,
  body: InstanceType<(typeof DEVELOPMENT_ACTIONS)[A]['dto']>,
  now: Date = new Date(),
  params: DevelopmentPathParams = {},
): DevelopmentRequest {
  const proposal = action === 'propose' ? (body as ProposeCommitmentDto) : null;
  const id = proposal ? (proposal.id ?? slugFromTitle(proposal.title)) : commitmentId;
  if (id === undefined) throw new Error(`${action} needs a commitment id`);
  const toCommand = DEVELOPMENT_ACTIONS[action].toCommand as (
    id: string,
    body: unknown,
    now: string,
    params: DevelopmentPathParams,
  ) => CommitmentCommand;
  return {
    command: toCommand(id, body, now.toISOString(), params),
    generatedId: proposal !== null && proposal.id === undefined,
  };
}
