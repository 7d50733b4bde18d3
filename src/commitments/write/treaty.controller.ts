import { Body, Controller, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, ValidateIf } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import type { ApiPrincipal } from '../../auth/api-keys.service.js';
import { Principal } from '../../auth/principal.decorator.js';
import { OnlyWhen, Text } from '../../http/field-validators.js';
import { RESERVATION_KINDS, type ReservationKind } from '../domain/commitment.events.js';
import { PartyCode, WorldFactDto } from '../dto/shared.dto.js';
import { commandFrom } from './development-command.js';
import type { DevelopmentRecordedDto } from './development-recorded.dto.js';
import { recordDevelopment, RecordsDevelopment } from './development-route.js';
import type { TreatyAction } from './treaty.developments.js';

export class SignAgreementDto extends WorldFactDto {
  @ApiProperty({ example: 'FR' })
  @PartyCode()
  readonly party!: string;
}

export class MakeReservationDto extends WorldFactDto {
  @ApiProperty({ example: 'FR' })
  @PartyCode()
  readonly party!: string;

  @ApiProperty({ enum: RESERVATION_KINDS })
  @IsIn(RESERVATION_KINDS, { message: `$property must be one of ${RESERVATION_KINDS.join(', ')}` })
  readonly kind!: ReservationKind;

  @ApiProperty({ example: 'Article 12 shall not apply to overseas territories.' })
  @Text(10_000)
  readonly text!: string;

  @ApiPropertyOptional({
    example: 'GB',
    description: 'Objections only (and required there): whose reservation',
  })
  @ValidateIf((body: MakeReservationDto) => body.kind === 'objection' || body.objectsTo !== undefined)
  @PartyCode()
  @OnlyWhen('kind', ['objection'], '$property goes with an objection only')
  readonly objectsTo?: string;
}

export class WithdrawReservationDto extends WorldFactDto {}

/** Each treaty development's body, and the command it becomes. */
export const TREATY_COMMANDS = {
  signatures: commandFrom(SignAgreementDto, (commitmentId, body) => ({
    type: 'SignAgreement',
    data: { ...body, commitmentId },
  })),
  reservations: commandFrom(MakeReservationDto, (commitmentId, body) => ({
    type: 'MakeReservation',
    data: { ...body, commitmentId },
  })),
  'reservation-withdrawals': commandFrom(WithdrawReservationDto, (commitmentId, body, _now, { eventId }) => {
    if (eventId === undefined) throw new Error('a reservation withdrawal names its reservation');
    return { type: 'WithdrawReservation', data: { ...body, eventId, commitmentId } };
  }),
} satisfies Record<TreatyAction, unknown>;

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
    return recordDevelopment(this.commands, TREATY_COMMANDS, 'signatures', { id, body, req, who });
  }

  @Post(':id/reservations')
  @RecordsDevelopment('reservations')
  makeReservation(
    @Param('id') id: string,
    @Body() body: MakeReservationDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ): Promise<DevelopmentRecordedDto> {
    return recordDevelopment(this.commands, TREATY_COMMANDS, 'reservations', { id, body, req, who });
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
    return recordDevelopment(this.commands, TREATY_COMMANDS, 'reservation-withdrawals', {
      id,
      eventId,
      body,
      req,
      who,
    });
  }
}
