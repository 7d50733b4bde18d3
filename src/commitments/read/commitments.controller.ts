import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequireRole } from '../../auth/access.decorators.js';
import { ApiProblems } from '../../http/api-problems.decorator.js';
import { etagOf } from '../../http/conditional-requests.js';
import { replyWithCsv } from '../../http/csv.js';
import { decodeCursor, encodeCursor } from '../../http/cursor.js';
import { NoQueryParameters } from '../../http/strict-query.js';
import { responseFormat } from '../../http/response-format.js';
import type { CommitmentHistory } from './commitment-history.js';
import { GetCommitment, GetCommitmentHistory, ListCommitments } from './commitment.queries.js';
import { commitmentsToCsv } from './commitments.csv.js';
import { commitmentIdParam, isCommitmentId } from '../dto/path-params.js';
import type { CommitmentView } from '../domain/commitment.view.js';
import { ListCommitmentsQueryDto, TimeTravelQueryDto } from './dto/queries.dto.js';
import { CommitmentHistoryDto, CommitmentListDto, CommitmentViewDto } from './dto/responses.dto.js';

const DEFAULT_PAGE_SIZE = 50;

/** The commitments resource's reads; its writes have a controller per family of developments (write/). */
@ApiTags('commitments')
@Controller('commitments')
export class CommitmentsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @RequireRole('reader')
  @ApiOperation({
    summary: 'List commitments, filtered and paginated; Accept: text/csv (or ?format=csv) exports them',
  })
  @ApiOkResponse({ type: CommitmentListDto })
  @ApiProduces('application/json', 'text/csv')
  @ApiProblems(400, 401, 403, 503)
  async list(
    @Query() query: ListCommitmentsQueryDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const csv = responseFormat(query.format, req.headers.accept, ['json', 'csv']) === 'csv';
    const page = await this.queries.execute(
      new ListCommitments({
        status: query.status,
        party: query.party,
        topic: query.topic,
        kind: query.kind,
        overdue: query.overdue === undefined ? undefined : query.overdue === 'true',
        q: query.q,
        after: query.cursor === undefined ? undefined : decodeCursor(query.cursor, isCommitmentId),
        limit: query.limit ?? (csv ? null : DEFAULT_PAGE_SIZE),
      }),
    );
    const nextCursor = page.lastId === null ? null : encodeCursor(page.lastId);
    if (!csv) return { items: page.items, nextCursor };
    replyWithCsv(reply, 'commitments.csv', nextCursor);
    return commitmentsToCsv(page.items);
  }

  @Get(':id')
  @RequireRole('reader')
  @ApiOperation({
    summary: 'A commitment now, as of a world date (asOf), as known at a time (knownAt), or both',
  })
  @ApiParam({ name: 'id', example: 'asean-us-plan-of-action-2021-2025' })
  @ApiOkResponse({
    type: CommitmentViewDto,
    headers: { ETag: { description: '"<version>"', schema: { type: 'string' } } },
  })
  @ApiProblems(400, 401, 403, 404, 503)
  async get(
    @Param('id') id: string,
    @Query() query: TimeTravelQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommitmentView> {
    const view = await this.queries.execute(
      new GetCommitment(commitmentIdParam(id), { asOf: query.asOf, knownAt: query.knownAt }),
    );
    void reply.header('etag', etagOf(view.version));
    return view;
  }

  @Get(':id/history')
  @RequireRole('reader')
  @ApiOperation({ summary: 'The audit trail: every event in stream order, retracted ones marked' })
  @ApiOkResponse({ type: CommitmentHistoryDto })
  @ApiProblems(400, 401, 403, 404, 503)
  history(
    @Param('id') id: string,
    @Query(NoQueryParameters) _query: Record<string, never>,
  ): Promise<CommitmentHistory> {
    return this.queries.execute(new GetCommitmentHistory(commitmentIdParam(id)));
  }
}
