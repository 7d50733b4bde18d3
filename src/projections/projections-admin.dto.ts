import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { LOG_POSITION_DESCRIPTION } from '../event-store/log-position.js';
import { QueryInteger } from '../http/field-validators.js';
import type { ProjectionState } from './projection-overview.js';
import type { RebuildState } from './projection-rebuilds.js';
import { MAX_LISTED_DIFFERENCES } from './read-model-verifier.js';

const PROJECTION_STATES: readonly ProjectionState[] = [
  'live',
  'catching_up',
  'rebuilding',
  'failing',
  'stopped',
];
const REBUILD_STATES: readonly RebuildState[] = ['running', 'completed', 'superseded'];

export class CheckpointDto {
  @ApiProperty({ description: `The last event applied. ${LOG_POSITION_DESCRIPTION}`, example: '7421-1093' })
  readonly position!: string;

  @ApiProperty({ format: 'date-time' })
  readonly updatedAt!: string;

  @ApiProperty({ description: 'Events applied since the projection was created or last rebuilt' })
  readonly eventsApplied!: number;
}

export class LagDto {
  @ApiProperty({ description: 'Events in the log after the checkpoint' })
  readonly events!: number;

  @ApiProperty({ description: 'How long the oldest of them has waited, in seconds (0 when none)' })
  readonly seconds!: number;
}

export class RunnerDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The instance running the projection; null: none',
  })
  readonly instance!: string | null;

  @ApiProperty({ description: 'Whether that is the instance that answered this request' })
  readonly here!: boolean;
}

export class RebuildRefDto {
  @ApiProperty({ format: 'uuid' })
  readonly jobId!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  readonly finishedAt!: string | null;
}

export class ProjectionOverviewDto {
  @ApiProperty({ example: 'follow-ups' })
  readonly name!: string;

  @ApiProperty({
    enum: PROJECTION_STATES,
    description:
      'live: caught up; catching_up: behind the log; rebuilding: replaying after a rebuild request; ' +
      'failing: its last batch failed on the instance that answered and is being retried; stopped: no instance runs it',
  })
  readonly state!: ProjectionState;

  @ApiProperty({ type: CheckpointDto, nullable: true, description: 'null until the first event is applied' })
  readonly checkpoint!: CheckpointDto | null;

  @ApiProperty({ type: LagDto })
  readonly lag!: LagDto;

  @ApiProperty({ type: RunnerDto })
  readonly runner!: RunnerDto;

  @ApiProperty({ type: String, nullable: true })
  readonly lastError!: string | null;

  @ApiProperty({ type: RebuildRefDto, nullable: true, description: 'The latest rebuild' })
  readonly rebuild!: RebuildRefDto | null;
}

export class ProjectionsOverviewDto {
  @ApiProperty({ description: 'The instance that answered' })
  readonly instance!: string;

  @ApiProperty({ type: [ProjectionOverviewDto] })
  readonly projections!: ProjectionOverviewDto[];
}

export class RebuildAcceptedDto {
  @ApiProperty({ format: 'uuid', description: 'Follow it at GET /admin/projections/jobs/{jobId}' })
  readonly jobId!: string;
}

export class RebuildProjectionProgressDto {
  @ApiProperty()
  readonly name!: string;

  @ApiProperty({ enum: REBUILD_STATES })
  readonly state!: RebuildState;

  @ApiProperty()
  readonly appliedEvents!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  readonly finishedAt!: string | null;
}

export class RebuildProgressDto {
  @ApiProperty({ format: 'uuid' })
  readonly jobId!: string;

  @ApiProperty({
    enum: REBUILD_STATES,
    description: 'superseded: a later rebuild started over before this one finished',
  })
  readonly state!: RebuildState;

  @ApiProperty({ format: 'date-time' })
  readonly requestedAt!: string;

  @ApiProperty({ type: String, nullable: true })
  readonly requestedBy!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  readonly finishedAt!: string | null;

  @ApiProperty({ description: 'Events in the log when the rebuild was requested' })
  readonly totalEvents!: number;

  @ApiProperty({ description: 'Of those, replayed by the projection furthest behind' })
  readonly appliedEvents!: number;

  @ApiProperty({ type: [RebuildProjectionProgressDto] })
  readonly projections!: RebuildProjectionProgressDto[];
}

export const MAX_VERIFY_SAMPLE = 1_000_000;

export class VerifyQueryDto {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_VERIFY_SAMPLE,
    description: 'Check this many streams, picked at random, instead of every stream',
  })
  @IsOptional()
  @QueryInteger(1, MAX_VERIFY_SAMPLE)
  readonly sample?: number;
}

export class ReadModelVerificationDto {
  @ApiProperty({ example: 'follow-ups' })
  readonly name!: string;

  @ApiProperty({ type: [String], example: ['follow_up_items'] })
  readonly tables!: string[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The catch-up projection that writes it; null for a read model written with each append',
  })
  readonly projection!: string | null;

  @ApiProperty({ description: 'Streams whose rows were compared' })
  readonly streamsCompared!: number;

  @ApiProperty({
    description: 'Streams not compared: the projection had not yet applied their latest event (it lags)',
  })
  readonly streamsBehind!: number;

  @ApiProperty()
  readonly differences!: number;
}

export class FieldDifferenceDto {
  @ApiProperty({ description: 'Column, or path into a JSON column', example: 'snapshot.stage' })
  readonly field!: string;

  @ApiProperty({ description: 'The stored value (dates as text)' })
  readonly stored!: unknown;

  @ApiProperty({ description: "The value the stream's events give" })
  readonly expected!: unknown;
}

export class ReadModelDifferenceDto {
  @ApiProperty({ example: 'commitment-asean-us-plan-of-action-2021-2025' })
  readonly streamId!: string;

  @ApiProperty({ example: 'party-commitments' })
  readonly readModel!: string;

  @ApiProperty({ example: 'party_commitments' })
  readonly table!: string;

  @ApiProperty({ description: "The row's key columns; empty for one row per stream", example: 'party=VN' })
  readonly row!: string;

  @ApiProperty({
    enum: ['missing_row', 'unexpected_row', 'different_values'],
    description:
      'missing_row: the events give a row the table lacks; unexpected_row: the table has a row the ' +
      'events do not give; different_values: the row is there with other values',
  })
  readonly kind!: string;

  @ApiProperty({ type: [FieldDifferenceDto], description: 'For different_values: what differs' })
  readonly fields!: FieldDifferenceDto[];

  @ApiProperty({
    example: 'party_commitments row party=VN: stance is "supports", the events give "opposes"',
  })
  readonly description!: string;
}

export class VerificationReportDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description: `The commit-safe end of the log the read models were held against (null: empty log). ${LOG_POSITION_DESCRIPTION}`,
  })
  readonly upTo!: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'The sample size asked for; null: every stream' })
  readonly sample!: number | null;

  @ApiProperty({ description: 'Streams refolded from their events and compared' })
  readonly streamsChecked!: number;

  @ApiProperty({ description: 'Streams written to while the audit ran (events past upTo): not compared' })
  readonly streamsChanged!: number;

  @ApiProperty({ type: [ReadModelVerificationDto] })
  readonly readModels!: ReadModelVerificationDto[];

  @ApiProperty({ description: 'Every difference found (0: the read models agree with the events)' })
  readonly differenceCount!: number;

  @ApiProperty({
    type: [ReadModelDifferenceDto],
    description: `The first ${MAX_LISTED_DIFFERENCES} differences, by stream`,
  })
  readonly differences!: ReadModelDifferenceDto[];

  @ApiProperty({ format: 'date-time' })
  readonly startedAt!: string;

  @ApiProperty()
  readonly durationMs!: number;
}
