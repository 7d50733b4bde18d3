import { Body, Controller, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { ApiPrincipal } from '../../auth/api-keys.service.js';
import { Principal } from '../../auth/principal.decorator.js';
import type { DevelopmentRecordedDto } from './development-recorded.dto.js';
import { recordDevelopment, RecordsDevelopment } from './development-route.js';
import { CorrectProposalDto, RetractEntryDto } from './corrections.dto.js';

/** Corrections of the record: an entry retracted, details of the proposal put right. */
@ApiTags('commitments')
@Controller('commitments')
export class CorrectionDevelopmentsController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/retractions')
  @RecordsDevelopment('retractions')
  retractEntry(
    @Param('id') id: string,
    @Body() body: RetractEntryDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ): Promise<DevelopmentRecordedDto> {
    return recordDevelopment(this.commands, 'retractions', { id, body, req, who });
  }

  @Post(':id/corrections')
  @RecordsDevelopment('corrections')
  correctProposal(
    @Param('id') id: string,
    @Body() body: CorrectProposalDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ): Promise<DevelopmentRecordedDto> {
    return recordDevelopment(this.commands, 'corrections', { id, body, req, who });
  }
}
