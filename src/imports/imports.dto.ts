import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { ProblemDetailsDto } from '../http/api-problems.decorator.js';
import { QueryInteger } from '../http/field-validators.js';

export class ImportAcceptedDto {
  @ApiProperty({ format: 'uuid' }) readonly jobId!: string;
}

export class ImportJobQueryDto {
  @ApiPropertyOptional({
    description: 'List the refused lines after this line number (from nextRefusalsAfter)',
  })
  @IsOptional()
  @QueryInteger(0, Number.MAX_SAFE_INTEGER, '$property must be a line number')
  readonly refusalsAfter?: number;
}

export class ImportRefusalDto {
  @ApiProperty({ description: 'The line (NDJSON) or the line its row starts on (CSV; the header is line 1)' })
  readonly line!: number;
  @ApiProperty({ nullable: true, type: String }) readonly commitmentId!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The first failed field: its path in the line (NDJSON) or its column (CSV)',
  })
  readonly field!: string | null;
  @ApiProperty({ type: ProblemDetailsDto, description: 'What the API answers for the same development' })
  readonly problem!: ProblemDetailsDto;
}

export class ImportJobDto {
  @ApiProperty({ format: 'uuid' }) readonly jobId!: string;
  @ApiProperty({ enum: ['ndjson', 'csv'] }) readonly format!: string;
  @ApiProperty({
    enum: ['running', 'completed', 'failed', 'interrupted'],
    description: 'interrupted: its instance stopped or lost the database before it finished',
  })
  readonly state!: string;
  @ApiProperty() readonly requestedBy!: string;
  @ApiProperty({ description: 'The file size' }) readonly bytes!: number;
  @ApiProperty() readonly bytesRead!: number;
  @ApiProperty({ description: 'Developments read (blank lines and the CSV header are not counted)' })
  readonly linesRead!: number;
  @ApiProperty() readonly appended!: number;
  @ApiProperty({ description: 'Lines whose development was already in the log (idempotency key known)' })
  readonly alreadyPresent!: number;
  @ApiProperty() readonly refused!: number;
  @ApiProperty({ nullable: true, type: String, description: 'Why a failed or interrupted job stopped' })
  readonly error!: string | null;
  @ApiProperty() readonly createdAt!: string;
  @ApiProperty() readonly heartbeatAt!: string;
  @ApiProperty({ nullable: true, type: String }) readonly finishedAt!: string | null;
  @ApiProperty({
    type: [ImportRefusalDto],
    description: 'Refused lines in line order, 1,000 at most per answer',
  })
  readonly refusals!: ImportRefusalDto[];
  @ApiProperty({ nullable: true, type: Number }) readonly nextRefusalsAfter!: number | null;
}
