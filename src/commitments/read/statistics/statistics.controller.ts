import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../../../auth/access.decorators.js';
import { ApiProblems } from '../../../http/api-problems.decorator.js';
import { COMMITMENT_STATUSES, type CommitmentStatus } from '../../domain/status-rules.js';
import { CommitmentStatusQueries } from '../../read-models/commitment-status/commitment-status.queries.js';
import { CommitmentStatisticsDto, CommitmentStatisticsQueryDto } from './statistics.dto.js';

@ApiTags('commitments')
@Controller('statistics')
export class StatisticsController {
  constructor(private readonly status: CommitmentStatusQueries) {}

  @Get('commitments')
  @RequireRole('reader')
  @ApiOperation({
    summary: 'How many commitments have each status, with the filters of GET /commitments',
    description: 'Status and overdue are those of the day of the request (UTC), as in the list.',
  })
  @ApiOkResponse({ type: CommitmentStatisticsDto })
  @ApiProblems(400, 401, 403, 503)
  async commitments(@Query() query: CommitmentStatisticsQueryDto): Promise<CommitmentStatisticsDto> {
    const counts = await this.status.countByStatus({
      party: query.party,
      topic: query.topic,
      kind: query.kind,
      overdue: query.overdue === undefined ? undefined : query.overdue === 'true',
      q: query.q,
      today: new Date().toISOString().slice(0, 10),
    });
    const byStatus = Object.fromEntries(
      COMMITMENT_STATUSES.map((status) => [status, counts.get(status) ?? 0]),
    ) as Record<CommitmentStatus, number>;
    return { total: [...counts.values()].reduce((sum, n) => sum + n, 0), byStatus };
  }
}
