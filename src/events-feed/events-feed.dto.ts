import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, ValidateBy } from 'class-validator';
import { isLogPositionText, LOG_POSITION_DESCRIPTION } from '../event-store/log-position.js';
import { PageLimit } from '../http/field-validators.js';

export const MAX_FEED_PAGE = 1000;
export const DEFAULT_FEED_PAGE = 100;

export class EventsFeedQueryDto {
  @ApiPropertyOptional({
    description: `Only events after this position (a \`lastPosition\` or an event's \`position\`). ${LOG_POSITION_DESCRIPTION}`,
    example: '7421-1093',
    pattern: '^\\d+-\\d+$',
  })
  @IsOptional()
  @ValidateBy({
    name: 'isLogPosition',
    validator: {
      validate: isLogPositionText,
      defaultMessage: () => '$property must be a position such as "7421-1093", as returned by this endpoint',
    },
  })
  readonly after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_FEED_PAGE, default: DEFAULT_FEED_PAGE })
  @IsOptional()
  @PageLimit(MAX_FEED_PAGE)
  readonly limit?: number;
}

export class FeedEventDto {
  @ApiProperty({ description: LOG_POSITION_DESCRIPTION, example: '7421-1093' })
  readonly position!: string;

  @ApiProperty({ example: 'commitment-asean-us-plan-of-action-2021-2025' })
  readonly streamId!: string;

  @ApiProperty({ description: 'Position in its stream, first = 1' })
  readonly version!: number;

  @ApiProperty({ format: 'uuid' })
  readonly eventId!: string;

  @ApiProperty({ example: 'CommitmentAdopted' })
  readonly type!: string;

  @ApiProperty({ format: 'date-time', description: 'When it happened in the world' })
  readonly occurredAt!: string;

  @ApiProperty({ format: 'date-time', description: 'When the tracker recorded it' })
  readonly recordedAt!: string;

  @ApiProperty({ type: String, nullable: true, description: 'The API key name that recorded it' })
  readonly recordedBy!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true })
  readonly data!: unknown;
}

export class EventsFeedResponseDto {
  @ApiProperty({ type: [FeedEventDto] })
  readonly events!: FeedEventDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      "Pass as `after` to read on: the last event's position, or `after` itself when there is nothing new " +
      '(null when the log is empty and no `after` was given).',
  })
  readonly lastPosition!: string | null;
}
