import type { Type } from '@nestjs/common';
import type { CommitmentCommand } from './commitment.decider.js';
import {
  AdoptCommitmentDto,
  AssessComplianceDto,
  CompleteCommitmentDto,
  ProposeCommitmentDto,
  RecordAccessionDto,
  RecordStatementDto,
  RecordWithdrawalDto,
  ReportProgressDto,
  ResumeCommitmentDto,
  RetractEntryDto,
  ScheduleFollowUpDto,
  SetDeadlineDto,
  SupersedeCommitmentDto,
  SuspendCommitmentDto,
} from './dto/developments.dto.js';

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
  | 'retractions';

export interface DevelopmentRequest {
  readonly command: CommitmentCommand;
  /** The id was derived from the title, so a clash picks a suffix instead of failing. */
  readonly generatedId: boolean;
}

interface ActionSpec<Dto> {
  readonly dto: Type<Dto>;
  toCommand(commitmentId: string, body: Dto, now: string): CommitmentCommand;
}

const spec = <Dto>(dto: Type<Dto>, toCommand: ActionSpec<Dto>['toCommand']): ActionSpec<Dto> => ({
  dto,
  toCommand,
});

/**
 * Each endpoint's validated body and the command it becomes: the API and the seed loader both go through
 * this table, so a seeded development obeys exactly the rules an analyst's does.
 */
export const DEVELOPMENT_ACTIONS = {
  propose: spec(ProposeCommitmentDto, (commitmentId, { id: _id, ...body }) => ({
    type: 'ProposeCommitment',
    data: { ...body, topics: body.topics ?? [], commitmentId },
  })),
  statements: spec(RecordStatementDto, (commitmentId, body) => ({
    type: 'RecordStatement',
    data: { ...body, commitmentId },
  })),
  adoptions: spec(AdoptCommitmentDto, (commitmentId, body) => ({
    type: 'AdoptCommitment',
    data: { ...body, commitmentId },
  })),
  progress: spec(ReportProgressDto, (commitmentId, body) => ({
    type: 'ReportProgress',
    data: { ...body, commitmentId },
  })),
  completions: spec(CompleteCommitmentDto, (commitmentId, body) => ({
    type: 'CompleteCommitment',
    data: { ...body, commitmentId },
  })),
  withdrawals: spec(RecordWithdrawalDto, (commitmentId, body) => ({
    type: 'RecordWithdrawal',
    data: { ...body, commitmentId },
  })),
  accessions: spec(RecordAccessionDto, (commitmentId, body) => ({
    type: 'RecordAccession',
    data: { ...body, commitmentId },
  })),
  suspensions: spec(SuspendCommitmentDto, (commitmentId, body) => ({
    type: 'SuspendCommitment',
    data: { ...body, commitmentId },
  })),
  resumptions: spec(ResumeCommitmentDto, (commitmentId, body) => ({
    type: 'ResumeCommitment',
    data: { ...body, commitmentId },
  })),
  assessments: spec(AssessComplianceDto, (commitmentId, body, now) => ({
    type: 'AssessCompliance',
    data: { ...body, commitmentId, occurredAt: body.occurredAt ?? now },
  })),
  supersessions: spec(SupersedeCommitmentDto, (commitmentId, body) => ({
    type: 'SupersedeCommitment',
    data: { ...body, commitmentId, successorExists: false },
  })),
  deadlines: spec(SetDeadlineDto, (commitmentId, body, now) => ({
    type: 'SetDeadline',
    data: { ...body, commitmentId, occurredAt: body.occurredAt ?? now },
  })),
  'follow-ups': spec(ScheduleFollowUpDto, (commitmentId, body, now) => ({
    type: 'ScheduleFollowUp',
    data: { ...body, commitmentId, occurredAt: now },
  })),
  retractions: spec(RetractEntryDto, (commitmentId, body, now) => ({
    type: 'RetractEntry',
    data: { ...body, commitmentId, occurredAt: now },
  })),
} satisfies Record<DevelopmentAction, unknown>;

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
): DevelopmentRequest {
  const proposal = action === 'propose' ? (body as ProposeCommitmentDto) : null;
  const id = proposal ? (proposal.id ?? slugFromTitle(proposal.title)) : commitmentId;
  if (id === undefined) throw new Error(`${action} needs a commitment id`);
  const toCommand = DEVELOPMENT_ACTIONS[action].toCommand as (
    id: string,
    body: unknown,
    now: string,
  ) => CommitmentCommand;
  return {
    command: toCommand(id, body, now.toISOString()),
    generatedId: proposal !== null && proposal.id === undefined,
  };
}
