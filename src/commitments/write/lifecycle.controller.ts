import { Body, Controller, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { ApiPrincipal } from '../../auth/api-keys.service.js';
import { Principal } from '../../auth/principal.decorator.js';
import type { DevelopmentRecordedDto } from './development-recorded.dto.js';
import { recordDevelopment, RecordsDevelopment } from './development-route.js';
import {
  AdoptCommitmentDto,
  CompleteCommitmentDto,
  ProposeCommitmentDto,
  RecordStatementDto,
  ReportProgressDto,
  ScheduleFollowUpDto,
  SetDeadlineDto,
  SupersedeCommitmentDto,
} from './lifecycle.dto.js';

/** A commitment’s course: proposed, talked about, adopted, worked on, completed or superseded. */
@ApiTags('commitments')
@Controller('commitments')
export class LifecycleDevelopmentsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @RecordsDevelopment('propose')
  proposeCommitment(
    @Body() body: ProposeCommitmentDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ): Promise<DevelopmentRecordedDto> {
    return recordDevelopment(this.commands, 'propose', { body, req, who });
  }

  @Post(':id/statements')
  @RecordsDevelopment('statements')
  recordStatement(
    @Param('id') id: string,
    @Body() body: RecordStatementDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ): Promise<DevelopmentRecordedDto> {
    return recordDevelopment(this.commands, 'statements', { id, body, req, who });
  }

  @Post(':id/adoptions')
  @RecordsDevelopment('adoptions')
  adoptCommitment(
    @Param('id') id: string,
    @Body() body: AdoptCommitmentDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ): Promise<DevelopmentRecordedDto> {
    return recordDevelopment(this.commands, 'adoptions', { id, body, req, who });
  }

  @Post(':id/progress')
  @RecordsDevelopment('progress')
  reportProgress(
    @Param('id') id: string,
    @Body() body: ReportProgressDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ): Promise<DevelopmentRecordedDto> {
    return recordDevelopment(this.commands, 'progress', { id, body, req, who });
  }

  @Post(':id/completions')
  @RecordsDevelopment('completions')
  completeCommitment(
    @Param('id') id: string,
    @Body() body: CompleteCommitmentDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ): Promise<DevelopmentRecordedDto> {
    return recordDevelopment(this.commands, 'completions', { id, body, req, who });
  }

  @Post(':id/supersessions')
  @RecordsDevelopment('supersessions')
  supersedeCommitment(
    @Param('id') id: string,
    @Body() body: SupersedeCommitmentDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ): Promise<DevelopmentRecordedDto> {
    return recordDevelopment(this.commands, 'supersessions', { id, body, req, who });
  }

  @Post(':id/deadlines')
  @RecordsDevelopment('deadlines')
  setDeadline(
    @Param('id') id: string,
    @Body() body: SetDeadlineDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ): Promise<DevelopmentRecordedDto> {
    return recordDevelopment(this.commands, 'deadlines', { id, body, req, who });
  }

  @Post(':id/follow-ups')
  @RecordsDevelopment('follow-ups')
  scheduleFollowUp(
    @Param('id') id: string,
    @Body() body: ScheduleFollowUpDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ): Promise<DevelopmentRecordedDto> {
    return recordDevelopment(this.commands, 'follow-ups', { id, body, req, who });
  }
}
