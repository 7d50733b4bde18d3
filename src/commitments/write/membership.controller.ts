import { Body, Controller, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import type { ApiPrincipal } from '../../auth/api-keys.service.js';
import { Principal } from '../../auth/principal.decorator.js';
import { IsCalendarDate, Text } from '../../http/field-validators.js';
import {
  ACCESSION_ACTIONS,
  type AccessionAction,
  type ComplianceScore,
} from '../domain/commitment.events.js';
import { OptionalWorldFactDto, PartyCode, WorldFactDto } from '../dto/shared.dto.js';
import { commandFrom } from './development-command.js';
import type { DevelopmentRecordedDto } from './development-recorded.dto.js';
import { recordDevelopment, RecordsDevelopment } from './development-route.js';
import type { MembershipAction } from './membership.developments.js';

export class RecordWithdrawalDto extends WorldFactDto {
  @ApiProperty({ example: 'US' })
  @PartyCode()
  readonly party!: string;

  @ApiPropertyOptional({
    format: 'date',
    description: 'When it takes legal effect (may be in the future); default occurredAt',
  })
  @IsOptional()
  @IsCalendarDate()
  readonly effectiveOn?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Text(2000)
  readonly reason?: string;
}

export class RecordAccessionDto extends WorldFactDto {
  @ApiProperty({ example: 'TL' })
  @PartyCode()
  readonly party!: string;

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsCalendarDate()
  readonly effectiveOn?: string;

  @ApiPropertyOptional({
    enum: ACCESSION_ACTIONS,
    default: 'joining',
    description:
      'joining: a plain accession; any other: an instrument of consent deposited on occurredAt (ratification, acceptance and approval need an earlier signature)',
  })
  @IsOptional()
  @IsIn(ACCESSION_ACTIONS, { message: `$property must be one of ${ACCESSION_ACTIONS.join(', ')}` })
  readonly action?: AccessionAction;
}

export class SuspendCommitmentDto extends WorldFactDto {
  @ApiPropertyOptional({ description: 'The party suspending its part; absent: the whole commitment' })
  @IsOptional()
  @PartyCode()
  readonly party?: string;

  @ApiProperty()
  @Text(2000)
  readonly reason!: string;
}

export class ResumeCommitmentDto extends WorldFactDto {
  @ApiPropertyOptional({ description: 'Must match an earlier suspension' })
  @IsOptional()
  @PartyCode()
  readonly party?: string;
}

export class AssessComplianceDto extends OptionalWorldFactDto {
  @ApiProperty({ example: 'US' })
  @PartyCode()
  readonly party!: string;

  @ApiProperty({ enum: [-1, 0, 1], description: '-1 not complied, 0 partial / work in progress, 1 complied' })
  @IsIn([-1, 0, 1], { message: '$property must be -1, 0 or 1' })
  readonly score!: ComplianceScore;

  @ApiProperty()
  @Text(5000)
  readonly rationale!: string;

  @ApiPropertyOptional({ example: '2025 final' })
  @IsOptional()
  @Text(100)
  readonly period?: string;
}

/** Each membership development's body, and the command it becomes. */
export const MEMBERSHIP_COMMANDS = {
  withdrawals: commandFrom(RecordWithdrawalDto, (commitmentId, body) => ({
    type: 'RecordWithdrawal',
    data: { ...body, commitmentId },
  })),
  accessions: commandFrom(RecordAccessionDto, (commitmentId, body) => ({
    type: 'RecordAccession',
    data: { ...body, commitmentId },
  })),
  suspensions: commandFrom(SuspendCommitmentDto, (commitmentId, body) => ({
    type: 'SuspendCommitment',
    data: { ...body, commitmentId },
  })),
  resumptions: commandFrom(ResumeCommitmentDto, (commitmentId, body) => ({
    type: 'ResumeCommitment',
    data: { ...body, commitmentId },
  })),
  assessments: commandFrom(AssessComplianceDto, (commitmentId, body, now) => ({
    type: 'AssessCompliance',
    data: { ...body, commitmentId, occurredAt: body.occurredAt ?? now },
  })),
} satisfies Record<MembershipAction, unknown>;

/** Who takes part and how well: parties leaving, joining, suspending and resuming, assessed. */
@ApiTags('commitments')
@Controller('commitments')
export class MembershipDevelopmentsController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/withdrawals')
  @RecordsDevelopment('withdrawals')
  recordWithdrawal(
    @Param('id') id: string,
    @Body() body: RecordWithdrawalDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ): Promise<DevelopmentRecordedDto> {
    return recordDevelopment(this.commands, MEMBERSHIP_COMMANDS, 'withdrawals', { id, body, req, who });
  }

  @Post(':id/accessions')
  @RecordsDevelopment('accessions')
  recordAccession(
    @Param('id') id: string,
    @Body() body: RecordAccessionDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ): Promise<DevelopmentRecordedDto> {
    return recordDevelopment(this.commands, MEMBERSHIP_COMMANDS, 'accessions', { id, body, req, who });
  }

  @Post(':id/suspensions')
  @RecordsDevelopment('suspensions')
  suspendCommitment(
    @Param('id') id: string,
    @Body() body: SuspendCommitmentDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ): Promise<DevelopmentRecordedDto> {
    return recordDevelopment(this.commands, MEMBERSHIP_COMMANDS, 'suspensions', { id, body, req, who });
  }

  @Post(':id/resumptions')
  @RecordsDevelopment('resumptions')
  resumeCommitment(
    @Param('id') id: string,
    @Body() body: ResumeCommitmentDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ): Promise<DevelopmentRecordedDto> {
    return recordDevelopment(this.commands, MEMBERSHIP_COMMANDS, 'resumptions', { id, body, req, who });
  }

  @Post(':id/assessments')
  @RecordsDevelopment('assessments')
  assessCompliance(
    @Param('id') id: string,
    @Body() body: AssessComplianceDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ): Promise<DevelopmentRecordedDto> {
    return recordDevelopment(this.commands, MEMBERSHIP_COMMANDS, 'assessments', { id, body, req, who });
  }
}
