import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/access.decorators.js';
import { EventStore } from '../event-store/event-store.js';
import { formatLogPosition, parseLogPosition } from '../event-store/log-position.js';
import { DEFAULT_FEED_PAGE, EventsFeedQueryDto, EventsFeedResponseDto } from './events-feed.dto.js';

@ApiTags('events')
@Controller('events')
export class EventsFeedController {
  constructor(private readonly store: EventStore) {}

  @Get()
  @RequireRole('reader')
  @ApiOperation({
    summary: 'The global feed of events, in commit-safe order',
    description:
      'Events of every commitment in the order their transactions committed; an event of a transaction ' +
      'still in progress is held back until it commits, so reading on with `after=lastPosition` never ' +
      'skips one. The feed is the event log itself, not a copy.',
  })
  @ApiOkResponse({ type: EventsFeedResponseDto })
  async feed(@Query() query: EventsFeedQueryDto): Promise<EventsFeedResponseDto> {
    // The DTO has validated `after`, so it parses.
    const after = query.after === undefined ? null : parseLogPosition(query.after);
    const { events, checkpoint } = await this.store.readAll({
      after,
      limit: query.limit ?? DEFAULT_FEED_PAGE,
    });
    return {
      events: events.map((event) => ({
        position: formatLogPosition(event.position),
        streamId: event.streamId,
        version: event.streamVersion,
        eventId: event.eventId,
        type: event.type,
        occurredAt: event.occurredAt,
        recordedAt: event.recordedAt,
        recordedBy: event.metadata.recordedBy ?? null,
        data: event.data,
      })),
      lastPosition: checkpoint === null ? null : formatLogPosition(checkpoint),
    };
  }
}
