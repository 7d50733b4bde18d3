import { Body, Controller, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { ApiPrincipal } from '../../auth/api-keys.service.js';
import { Principal } from '../../auth/principal.decorator.js';
import type { DevelopmentRecordedDto } from './development-recorded.dto.js';
import { recordDevelopment, RecordsDevelopment } from './development-route.js';
import { MakeReservationDto, SignAgreementDto, WithdrawReservationDto } from './treaty.dto.js';

/** What an agreement’s parties do with its text: sign it, make and withdraw reservations. */
@ApiTags('commitments')
@Controller('commitments')
export class TreatyDevelopmentsController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/signatures')
  @RecordsDevelopment('signatures')
  signAgreement(
    @Param('id') id: string,
    @Body() body: SignAgreementDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ): Promise<DevelopmentRecordedDto> {
    return recordDevelopment(this.commands, 'signatures', { id, body, req, who });
  }

  @Post(':id/reservations')
  @RecordsDevelopment('reservations')
  makeReservation(
    @Param('id') id: string,
    @Body() body: MakeReservationDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ): Promise<DevelopmentRecordedDto> {
    return recordDevelopment(this.commands, 'reservations', { id, body, req, who });
  }

  @Post(':id/reservations/:eventId/withdrawals')
  @RecordsDevelopment('reservation-withdrawals')
  withdrawReservation(
    @Param('id') id: string,
    @Param('eventId') eventId: string,
    @Body() body: WithdrawReservationDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ): Promise<DevelopmentRecordedDto> {
    return recordDevelopment(this.commands, 'reservation-withdrawals', { id, eventId, body, req, who });
  }
}
