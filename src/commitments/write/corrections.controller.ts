import { Body, Controller, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  Matches,
  registerDecorator,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import type { FastifyRequest } from 'fastify';
import type { ApiPrincipal } from '../../auth/api-keys.service.js';
import { Principal } from '../../auth/principal.decorator.js';
import { Text } from '../../http/field-validators.js';
import { validationProblem } from '../../http/validation.js';
import { COMMITMENT_KINDS, type CommitmentKind } from '../domain/commitment.events.js';
import {
  CORRECTION_REASONS,
  type Correction,
  isCorrectionReason,
} from '../domain/corrections/corrections.development-rules.js';
import { EVENT_ID, TOPIC } from '../dto/patterns.js';
import { PartyCode, SourceDto } from '../dto/shared.dto.js';
import type { CorrectionsAction } from './corrections.developments.js';
import { commandFrom } from './development-command.js';
import type { DevelopmentRecordedDto } from './development-recorded.dto.js';
import { recordDevelopment, RecordsDevelopment } from './development-route.js';

const REASON_DESCRIPTION =
  `One of ${CORRECTION_REASONS.join(', ')}. Any other text is taken as reason \`other\` with that text as ` +
  'the note (as retractions recorded before reasons were coded read back).';

/** What every correction of the record says about why: a coded reason, and a note. */
abstract class CorrectionDto {
  @ApiProperty({ description: REASON_DESCRIPTION, example: 'misattributed' })
  @Text(2000)
  readonly reason!: string;

  @ApiPropertyOptional({ description: 'Required with reason `other`', maxLength: 2000 })
  @ValidateIf((dto: CorrectionDto) => dto.reason === 'other' || dto.note !== undefined)
  @IsDefined({ message: 'note is required when reason is other: say what was wrong' })
  @WithCodedReason()
  @Text(2000)
  readonly note?: string;
}

/** A note goes with a coded reason: a reason in free text is its own note. */
function WithCodedReason(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'withCodedReason',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `note goes with a coded reason (${CORRECTION_REASONS.join(', ')}); a reason in free text is its own note`,
      },
      validator: {
        validate: (value: unknown, args) =>
          value === undefined || isCorrectionReason((args?.object as CorrectionDto).reason),
      },
    });
}

/** The coded form of a correction's reason: free text becomes `other`, with the text as the note. */
export function correctionOf(dto: { reason: string; note?: string }): Correction {
  if (!isCorrectionReason(dto.reason)) return { reason: 'other', note: dto.reason };
  return dto.note === undefined ? { reason: dto.reason } : { reason: dto.reason, note: dto.note };
}

export class RetractEntryDto extends CorrectionDto {
  @ApiProperty({ format: 'uuid' })
  @Matches(EVENT_ID, {
    message: '$property must be an event id (UUID)',
  })
  readonly eventId!: string;
}

/** Corrects details of the proposal: name only what was wrong, with its right value. */
export class CorrectProposalDto extends CorrectionDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Text(300)
  readonly title?: string;

  @ApiPropertyOptional({ enum: COMMITMENT_KINDS })
  @IsOptional()
  @IsIn(COMMITMENT_KINDS, { message: `$property must be one of ${COMMITMENT_KINDS.join(', ')}` })
  readonly kind?: CommitmentKind;

  @ApiPropertyOptional({ example: 'KH' })
  @IsOptional()
  @PartyCode()
  readonly proposedBy?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Text(5000)
  readonly summary?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50, { message: '$property must hold at most 50 topics' })
  @ArrayUnique({ message: '$property must not repeat a topic' })
  @Matches(TOPIC, {
    each: true,
    message: '$property must be lower-case kebab-case tags such as ai or maritime-security',
  })
  readonly topics?: string[];

  @ApiPropertyOptional({ type: SourceDto, description: 'What the corrected details rest on' })
  @IsOptional()
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => SourceDto)
  readonly source?: SourceDto;
}

/** Each correction's body, and the command it becomes. */
export const CORRECTIONS_COMMANDS = {
  retractions: commandFrom(RetractEntryDto, (commitmentId, body, now) => ({
    type: 'RetractEntry',
    data: { eventId: body.eventId, ...correctionOf(body), commitmentId, occurredAt: now },
  })),
  corrections: commandFrom(CorrectProposalDto, (commitmentId, { reason, note, source, ...fields }, now) => {
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
  }),
} satisfies Record<CorrectionsAction, unknown>;

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
    return recordDevelopment(this.commands, CORRECTIONS_COMMANDS, 'retractions', { id, body, req, who });
  }

  @Post(':id/corrections')
  @RecordsDevelopment('corrections')
  correctProposal(
    @Param('id') id: string,
    @Body() body: CorrectProposalDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ): Promise<DevelopmentRecordedDto> {
    return recordDevelopment(this.commands, CORRECTIONS_COMMANDS, 'corrections', { id, body, req, who });
  }
}
