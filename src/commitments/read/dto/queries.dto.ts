import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { COMMITMENT_KINDS, type CommitmentKind } from '../../domain/commitment.events.js';
import { COMMITMENT_STATUSES, type CommitmentStatus } from '../../domain/status-rules.js';
import { IsDateOrDateTime, PageLimit, Text } from '../../../http/field-validators.js';
import { FormatQuery } from '../../../http/response-format.js';
import { PARTY_CODE, TOPIC } from '../../dto/patterns.js';

export class TimeTravelQueryDto {
  @ApiPropertyOptional({
    description: 'World time: only developments that occurred by then (a date means its end, UTC)',
  })
  @IsOptional()
  @IsDateOrDateTime()
  readonly asOf?: string;

  @ApiPropertyOptional({ description: 'Record time: only what the tracker had recorded by then' })
  @IsOptional()
  @IsDateOrDateTime()
  readonly knownAt?: string;
}

export class ListCommitmentsQueryDto {
  @ApiPropertyOptional({ enum: COMMITMENT_STATUSES })
  @IsOptional()
  @IsIn(COMMITMENT_STATUSES, { message: `$property must be one of ${COMMITMENT_STATUSES.join(', ')}` })
  readonly status?: CommitmentStatus;

  @ApiPropertyOptional({ example: 'US' })
  @IsOptional()
  @Matches(PARTY_CODE, { message: '$property must be a party code such as US or ASEAN' })
  readonly party?: string;

  @ApiPropertyOptional({ example: 'ai' })
  @IsOptional()
  @Matches(TOPIC, { message: '$property must be a lower-case kebab-case tag' })
  readonly topic?: string;

  @ApiPropertyOptional({ enum: COMMITMENT_KINDS })
  @IsOptional()
  @IsIn(COMMITMENT_KINDS, { message: `$property must be one of ${COMMITMENT_KINDS.join(', ')}` })
  readonly kind?: CommitmentKind;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'], { message: '$property must be true or false' })
  readonly overdue?: 'true' | 'false';

  @ApiPropertyOptional({
    description: 'Words in the title or summary (PostgreSQL full-text search, web-search syntax)',
  })
  @IsOptional()
  @Text(200)
  readonly q?: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 200,
    default: 50,
    description: 'For CSV: absent means every matching row',
  })
  @IsOptional()
  @PageLimit()
  readonly limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @Text(200)
  readonly cursor?: string;

  @FormatQuery(['json', 'csv'])
  readonly format?: 'json' | 'csv';
}
