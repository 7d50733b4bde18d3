import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsNumber,
  IsObject,
  IsOptional,
  Matches,
  ValidateNested,
} from 'class-validator';
import {
  COMMITMENT_KINDS,
  STANCES,
  type CommitmentKind,
  type ComplianceScore,
  type Stance,
} from '../domain/commitment.events.js';
import { OptionalWorldFactDto, PARTY_MESSAGE, PartyCode, WorldFactDto } from './shared.dto.js';
import { IsCalendarDate, Text } from '../../http/field-validators.js';
import { COMMITMENT_ID, PARTY_CODE, TOPIC } from './patterns.js';

const MAX_PARTIES = 200;

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

export class SupersedeCommitmentDto extends WorldFactDto {
  @ApiProperty({ description: 'An existing commitment id' })
  @Matches(COMMITMENT_ID, { message: '$property must be a commitment id' })
  readonly supersededBy!: string;
}

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
