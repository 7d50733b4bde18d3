import { Body, Controller, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { ApiPrincipal } from '../../auth/api-keys.service.js';
import { Principal } from '../../auth/principal.decorator.js';
import type { DevelopmentRecordedDto } from './development-recorded.dto.js';
import { recordDevelopment, RecordsDevelopment } from './development-route.js';
import {
  AssessComplianceDto,
  RecordAccessionDto,
  RecordWithdrawalDto,
  ResumeCommitmentDto,
  SuspendCommitmentDto,
} from './membership.dto.js';

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
    return recordDevelopment(this.commands, 'withdrawals', { id, body, req, who });
  }

  @Post(':id/accessions')
  @RecordsDevelopment('accessions')
  recordAccession(
    @Param('id') id: string,
    @Body() body: RecordAccessionDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ): Promise<DevelopmentRecordedDto> {
    return recordDevelopment(this.commands, 'accessions', { id, body, req, who });
  }

  @Post(':id/suspensions')
  @RecordsDevelopment('suspensions')
  suspendCommitment(
    @Param('id') id: string,
    @Body() body: SuspendCommitmentDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ): Promise<DevelopmentRecordedDto> {
    return recordDevelopment(this.commands, 'suspensions', { id, body, req, who });
  }

  @Post(':id/resumptions')
  @RecordsDevelopment('resumptions')
  resumeCommitment(
    @Param('id') id: string,
    @Body() body: ResumeCommitmentDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ): Promise<DevelopmentRecordedDto> {
    return recordDevelopment(this.commands, 'resumptions', { id, body, req, who });
  }

  @Post(':id/assessments')
  @RecordsDevelopment('assessments')
  assessCompliance(
    @Param('id') id: string,
    @Body() body: AssessComplianceDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ): Promise<DevelopmentRecordedDto> {
    return recordDevelopment(this.commands, 'assessments', { id, body, req, who });
  }
}
