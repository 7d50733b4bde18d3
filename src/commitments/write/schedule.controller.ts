import { Body, Controller, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import type { ApiPrincipal } from '../../auth/api-keys.service.js';
import { Principal } from '../../auth/principal.decorator.js';
import { IsCalendarDate, Text } from '../../http/field-validators.js';
import { OptionalWorldFactDto } from '../dto/shared.dto.js';
import { commandFrom } from './development-command.js';
import type { DevelopmentRecordedDto } from './development-recorded.dto.js';
import { recordDevelopment, RecordsDevelopment } from './development-route.js';
import type { ScheduleAction } from './schedule.developments.js';

export class SetDeadlineDto extends OptionalWorldFactDto {
  @ApiProperty({ format: 'date' })
  @IsCalendarDate()
  readonly dueDate!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Text(2000)
  readonly reason?: string;
}

export class ScheduleFollowUpDto {
  @ApiProperty({ format: 'date' })
  @IsCalendarDate()
  readonly reviewOn!: string;

  @ApiProperty()
  @Text(2000)
  readonly note!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Text(200)
  readonly assignee?: string;
}

/** Each schedule development's body, and the command it becomes. */
export const SCHEDULE_COMMANDS = {
  deadlines: commandFrom(SetDeadlineDto, (commitmentId, body, now) => ({
    type: 'SetDeadline',
    data: { ...body, commitmentId, occurredAt: body.occurredAt ?? now },
  })),
  'follow-ups': commandFrom(ScheduleFollowUpDto, (commitmentId, body, now) => ({
    type: 'ScheduleFollowUp',
    data: { ...body, commitmentId, occurredAt: now },
  })),
} satisfies Record<ScheduleAction, unknown>;

/** A commitment's dates to watch: its deadline, and the reviews an analyst schedules of it. */
@ApiTags('commitments')
@Controller('commitments')
export class ScheduleDevelopmentsController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/deadlines')
  @RecordsDevelopment('deadlines')
  setDeadline(
    @Param('id') id: string,
    @Body() body: SetDeadlineDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ): Promise<DevelopmentRecordedDto> {
    return recordDevelopment(this.commands, SCHEDULE_COMMANDS, 'deadlines', { id, body, req, who });
  }

  @Post(':id/follow-ups')
  @RecordsDevelopment('follow-ups')
  scheduleFollowUp(
    @Param('id') id: string,
    @Body() body: ScheduleFollowUpDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ): Promise<DevelopmentRecordedDto> {
    return recordDevelopment(this.commands, SCHEDULE_COMMANDS, 'follow-ups', { id, body, req, who });
  }
}
