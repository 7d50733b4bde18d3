import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../../../auth/access.decorators.js';
import { FollowUpsQueryDto, FollowUpsResponseDto } from './follow-ups.dto.js';
import { FollowUpsQueries } from './follow-ups.queries.js';

const DEFAULT_HORIZON_DAYS = 30;
const DAY_MS = 86_400_000;

@ApiTags('follow-ups')
@Controller('follow-ups')
export class FollowUpsController {
  constructor(private readonly queries: FollowUpsQueries) {}

  @Get()
  @RequireRole('reader')
  @ApiOperation({
    summary: 'Overdue commitments, coming deadlines and scheduled reviews, earliest first',
    description:
      'Evaluated on the day of the request (UTC). Built asynchronously from the event log: a development ' +
      'appears here shortly after it is recorded (see GET /admin/projections for the lag).',
  })
  @ApiOkResponse({ type: FollowUpsResponseDto })
  async list(@Query() query: FollowUpsQueryDto): Promise<FollowUpsResponseDto> {
    const now = Date.now();
    const today = new Date(now).toISOString().slice(0, 10);
    const before = query.before ?? new Date(now + DEFAULT_HORIZON_DAYS * DAY_MS).toISOString().slice(0, 10);
    return { items: await this.queries.followUps(today, before) };
  }
}
