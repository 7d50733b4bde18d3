import { ApiProperty } from '@nestjs/swagger';
import { LOG_POSITION_DESCRIPTION } from '../event-store/log-position.js';
import type { ProjectionState } from './projection-overview.js';
import type { RebuildState } from './projection-rebuilds.js';

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
