import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsCalendarDate } from '../../../http/field-validators.js';
import {
  COMMITMENT_STATUSES,
  type CommitmentStatus,
  type FollowUpReason,
} from '../../domain/status-rules.js';

export class FollowUpsQueryDto {
  @ApiPropertyOptional({
    format: 'date',
    description: 'List what is dated before this day (exclusive). Default: today + 30 days (UTC).',
  })
  @IsOptional()
  @IsCalendarDate()
  readonly before?: string;
}

export class FollowUpItemDto {
  @ApiProperty({ example: 'asean-us-plan-of-action-2021-2025' })
  readonly commitmentId!: string;

  @ApiProperty()
  readonly title!: string;

  @ApiProperty({ enum: COMMITMENT_STATUSES, description: 'The status today' })
  readonly status!: CommitmentStatus;

  @ApiProperty({
    enum: ['overdue', 'deadline', 'review'],
    description:
      'overdue: the due date has passed and the commitment is not completed, superseded or withdrawn; ' +
      'deadline: a coming due date; review: a scheduled follow-up',
  })
  readonly reason!: FollowUpReason;

  @ApiProperty({ format: 'date', description: 'The due date, or the review date' })
  readonly date!: string;

  @ApiPropertyOptional({ description: "The review's note, or the reason given with the deadline" })
  readonly note?: string;
}

export class FollowUpsResponseDto {
  @ApiProperty({ type: [FollowUpItemDto], description: 'Earliest first' })
  readonly items!: FollowUpItemDto[];
}
