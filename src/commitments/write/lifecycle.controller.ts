import { Body, Controller, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import type { FastifyRequest } from 'fastify';
import type { ApiPrincipal } from '../../auth/api-keys.service.js';
import { Principal } from '../../auth/principal.decorator.js';
import { IsCalendarDate, NotWith, Text } from '../../http/field-validators.js';
import { COMMITMENT_KINDS, STANCES, type CommitmentKind, type Stance } from '../domain/commitment.events.js';
import { COMMITMENT_ID, PARTY_CODE, TOPIC } from '../dto/patterns.js';
import { PARTY_MESSAGE, PartyCode, WorldFactDto } from '../dto/shared.dto.js';
import { commandFrom } from './development-command.js';
import type { DevelopmentRecordedDto } from './development-recorded.dto.js';
import { recordDevelopment, RecordsDevelopment } from './development-route.js';
import type { LifecycleAction } from './lifecycle.developments.js';

const MAX_PARTIES = 200;
/** Bounds that keep every computed date a real calendar date (a century at most). */
const MAX_DAYS_AFTER = 36_500;
const MAX_MONTHS_AFTER = 1_200;
const PERIOD_MESSAGE = 'give exactly one of daysAfter and monthsAfter';

export class EntryIntoForceDto {
  @ApiProperty({
    minimum: 1,
    example: 50,
    description: 'The instrument of consent whose deposit starts the period',
  })
  @IsInt({ message: '$property must be a whole number of instruments, at least 1' })
  @Min(1, { message: '$property must be at least 1' })
  @Max(10_000, { message: '$property must be at most 10000' })
  readonly instruments!: number;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_DAYS_AFTER, example: 90, description: PERIOD_MESSAGE })
  @ValidateIf((rule: EntryIntoForceDto) => rule.monthsAfter === undefined || rule.daysAfter !== undefined)
  @IsInt({ message: `$property must be a whole number of days (${PERIOD_MESSAGE})` })
  @Min(0, { message: '$property must be at least 0' })
  @Max(MAX_DAYS_AFTER, { message: `$property must be at most ${MAX_DAYS_AFTER}` })
  @NotWith(['monthsAfter'], `$property and monthsAfter are two periods: ${PERIOD_MESSAGE}`)
  readonly daysAfter?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_MONTHS_AFTER, example: 12, description: PERIOD_MESSAGE })
  @IsOptional()
  @IsInt({ message: '$property must be a whole number of calendar months' })
  @Min(0, { message: '$property must be at least 0' })
  @Max(MAX_MONTHS_AFTER, { message: `$property must be at most ${MAX_MONTHS_AFTER}` })
  readonly monthsAfter?: number;
}

export class ProposeCommitmentDto extends WorldFactDto {
  @ApiPropertyOptional({ pattern: COMMITMENT_ID.source, description: 'Generated from the title when absent' })
  @IsOptional()
  @Matches(COMMITMENT_ID, {
    message: '$property must be 3–80 characters of a-z, 0-9 and -, starting with a letter or digit',
  })
  readonly id?: string;

  @ApiProperty({ example: 'ASEAN–US Plan of Action 2021–2025' })
  @Text(300)
  readonly title!: string;

  @ApiProperty({ enum: COMMITMENT_KINDS })
  @IsIn(COMMITMENT_KINDS, { message: `$property must be one of ${COMMITMENT_KINDS.join(', ')}` })
  readonly kind!: CommitmentKind;

  @ApiProperty({ type: [String], example: ['ASEAN', 'US'], minItems: 1 })
  @IsArray()
  @ArrayMinSize(1, { message: '$property must name at least one party' })
  @ArrayMaxSize(MAX_PARTIES, { message: `$property must name at most ${MAX_PARTIES} parties` })
  @ArrayUnique({ message: '$property must not name a party twice' })
  @Matches(PARTY_CODE, { each: true, message: PARTY_MESSAGE })
  readonly parties!: string[];

  @ApiProperty({ example: 'US' })
  @PartyCode()
  readonly proposedBy!: string;

  @ApiPropertyOptional({ type: [String], example: ['ai', 'maritime-security'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50, { message: '$property must hold at most 50 topics' })
  @ArrayUnique({ message: '$property must not repeat a topic' })
  @Matches(TOPIC, {
    each: true,
    message: '$property must be lower-case kebab-case tags such as ai or maritime-security',
  })
  readonly topics?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @Text(5000)
  readonly summary?: string;

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsCalendarDate()
  readonly dueDate?: string;

  @ApiPropertyOptional({
    type: EntryIntoForceDto,
    description: 'An agreement that enters into force a period after the N-th instrument of consent',
  })
  @IsOptional()
  @IsObject({ message: '$property must be an object: { instruments, daysAfter | monthsAfter }' })
  @ValidateNested()
  @Type(() => EntryIntoForceDto)
  readonly entryIntoForce?: EntryIntoForceDto;
}

export class SpeakerDto {
  @ApiProperty({ example: 'Pham Minh Chinh' })
  @Text(200)
  readonly name!: string;

  @ApiPropertyOptional({ example: 'Prime Minister of Viet Nam' })
  @IsOptional()
  @Text(200)
  readonly role?: string;

  @ApiProperty({ example: 'VN' })
  @PartyCode()
  readonly party!: string;
}

export class RecordStatementDto extends WorldFactDto {
  @ApiProperty({ type: SpeakerDto })
  @IsObject({ message: '$property is required: { name, role?, party }' })
  @ValidateNested()
  @Type(() => SpeakerDto)
  readonly speaker!: SpeakerDto;

  @ApiProperty({ enum: STANCES })
  @IsIn(STANCES, { message: `$property must be one of ${STANCES.join(', ')}` })
  readonly stance!: Stance;

  @ApiProperty()
  @Text(5000)
  readonly summary!: string;
}

export class AdoptCommitmentDto extends WorldFactDto {
  @ApiProperty({ type: [String], example: ['ASEAN', 'US'], minItems: 1 })
  @IsArray()
  @ArrayMinSize(1, { message: '$property must name at least one party' })
  @ArrayMaxSize(MAX_PARTIES, { message: `$property must name at most ${MAX_PARTIES} parties` })
  @ArrayUnique({ message: '$property must not name a party twice' })
  @Matches(PARTY_CODE, { each: true, message: PARTY_MESSAGE })
  readonly adoptedBy!: string[];

  @ApiPropertyOptional({ type: [String], example: ['US', 'MY'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_PARTIES, { message: `$property must name at most ${MAX_PARTIES} parties` })
  @ArrayUnique({ message: '$property must not name a party twice' })
  @Matches(PARTY_CODE, { each: true, message: PARTY_MESSAGE })
  readonly witnessedBy?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @Text(500)
  readonly documentTitle?: string;
}

export class MetricDto {
  @ApiProperty({ example: 'two-way trade' })
  @Text(200)
  readonly name!: string;

  @ApiProperty({ example: 453 })
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: '$property must be a number' })
  readonly value!: number;

  @ApiPropertyOptional({ example: 'USD billion' })
  @IsOptional()
  @Text(50)
  readonly unit?: string;

  @ApiPropertyOptional({ example: '2024' })
  @IsOptional()
  @Text(50)
  readonly period?: string;
}

export class ReportProgressDto extends WorldFactDto {
  @ApiProperty()
  @Text(5000)
  readonly summary!: string;

  @ApiPropertyOptional({ type: [MetricDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100, { message: '$property must hold at most 100 metrics' })
  @ValidateNested({ each: true })
  @Type(() => MetricDto)
  readonly metrics?: MetricDto[];
}

export class CompleteCommitmentDto extends WorldFactDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Text(5000)
  readonly summary?: string;
}

export class SupersedeCommitmentDto extends WorldFactDto {
  @ApiProperty({ description: 'An existing commitment id' })
  @Matches(COMMITMENT_ID, { message: '$property must be a commitment id' })
  readonly supersededBy!: string;
}

/** Each lifecycle development's body, and the command it becomes. */
export const LIFECYCLE_COMMANDS = {
  propose: commandFrom(ProposeCommitmentDto, (commitmentId, { id: _id, ...body }) => ({
    type: 'ProposeCommitment',
    data: { ...body, topics: body.topics ?? [], commitmentId },
  })),
  statements: commandFrom(RecordStatementDto, (commitmentId, body) => ({
    type: 'RecordStatement',
    data: { ...body, commitmentId },
  })),
  adoptions: commandFrom(AdoptCommitmentDto, (commitmentId, body) => ({
    type: 'AdoptCommitment',
    data: { ...body, commitmentId },
  })),
  progress: commandFrom(ReportProgressDto, (commitmentId, body) => ({
    type: 'ReportProgress',
    data: { ...body, commitmentId },
  })),
  completions: commandFrom(CompleteCommitmentDto, (commitmentId, body) => ({
    type: 'CompleteCommitment',
    data: { ...body, commitmentId },
  })),
  supersessions: commandFrom(SupersedeCommitmentDto, (commitmentId, body) => ({
    type: 'SupersedeCommitment',
    data: { ...body, commitmentId, successorExists: false },
  })),
} satisfies Record<LifecycleAction, unknown>;

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
    return recordDevelopment(this.commands, LIFECYCLE_COMMANDS, 'propose', { body, req, who });
  }

  @Post(':id/statements')
  @RecordsDevelopment('statements')
  recordStatement(
    @Param('id') id: string,
    @Body() body: RecordStatementDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ): Promise<DevelopmentRecordedDto> {
    return recordDevelopment(this.commands, LIFECYCLE_COMMANDS, 'statements', { id, body, req, who });
  }

  @Post(':id/adoptions')
  @RecordsDevelopment('adoptions')
  adoptCommitment(
    @Param('id') id: string,
    @Body() body: AdoptCommitmentDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ): Promise<DevelopmentRecordedDto> {
    return recordDevelopment(this.commands, LIFECYCLE_COMMANDS, 'adoptions', { id, body, req, who });
  }

  @Post(':id/progress')
  @RecordsDevelopment('progress')
  reportProgress(
    @Param('id') id: string,
    @Body() body: ReportProgressDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ): Promise<DevelopmentRecordedDto> {
    return recordDevelopment(this.commands, LIFECYCLE_COMMANDS, 'progress', { id, body, req, who });
  }

  @Post(':id/completions')
  @RecordsDevelopment('completions')
  completeCommitment(
    @Param('id') id: string,
    @Body() body: CompleteCommitmentDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ): Promise<DevelopmentRecordedDto> {
    return recordDevelopment(this.commands, LIFECYCLE_COMMANDS, 'completions', { id, body, req, who });
  }

  @Post(':id/supersessions')
  @RecordsDevelopment('supersessions')
  supersedeCommitment(
    @Param('id') id: string,
    @Body() body: SupersedeCommitmentDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ): Promise<DevelopmentRecordedDto> {
    return recordDevelopment(this.commands, LIFECYCLE_COMMANDS, 'supersessions', { id, body, req, who });
  }
}
