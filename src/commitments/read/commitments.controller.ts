import {
  applyDecorators,
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequireRole } from '../../auth/access.decorators.js';
import type { ApiPrincipal } from '../../auth/api-keys.service.js';
import { Principal } from '../../auth/principal.decorator.js';
import { ApiProblems } from '../../http/api-problems.decorator.js';
import { etagOf, parseIfMatch } from '../../http/conditional-requests.js';
import { replyWithCsv } from '../../http/csv.js';
import { decodeCursor, encodeCursor } from '../../http/cursor.js';
import { headerOf, idempotencyOf } from '../../http/idempotency.js';
import { NoQueryParameters } from '../../http/strict-query.js';
import { responseFormat } from '../../http/response-format.js';
import {
  GetCommitment,
  GetCommitmentHistory,
  ListCommitments,
  type CommitmentHistory,
} from './commitment.queries.js';
import { commitmentsToCsv } from './commitments.csv.js';
import {
  DEVELOPMENT_ACTION_NAMES,
  DEVELOPMENT_ACTIONS,
  type DevelopmentAction,
  developmentPath,
  developmentRequest,
} from '../write/development-actions.js';
import { CommitmentNotFoundError, ReservationNotFoundError } from '../domain/commitment.errors.js';
import type { CommitmentView } from '../domain/commitment.view.js';
import { ListCommitmentsQueryDto, TimeTravelQueryDto } from './dto/queries.dto.js';
import {
  CommitmentHistoryDto,
  CommitmentListDto,
  CommitmentViewDto,
  DevelopmentRecordedDto,
} from './dto/responses.dto.js';
import { COMMITMENT_ID, EVENT_ID } from '../dto/patterns.js';
import { RecordDevelopment } from '../write/record-development.handler.js';

const DEFAULT_PAGE_SIZE = 50;

/**
 * The commitments resource. Its reads are below; its write routes, one per development action,
 * are defined from the table of actions after the class (see `defineWriteRoute`).
 */
@ApiTags('commitments')
@Controller('commitments')
export class CommitmentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

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
      new GetCommitment(commitmentId(id), { asOf: query.asOf, knownAt: query.knownAt }),
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
    return this.queries.execute(new GetCommitmentHistory(commitmentId(id)));
  }

  /** What every write route does with its validated body. */
  async recordDevelopment(
    action: DevelopmentAction,
    id: string | undefined,
    body: never,
    req: FastifyRequest,
    who: ApiPrincipal,
    eventId?: string,
  ): Promise<DevelopmentRecordedDto> {
    const commitment = id === undefined ? undefined : commitmentId(id);
    const params =
      eventId === undefined ? {} : { eventId: reservationEventId(commitment as string, eventId) };
    const { command, generatedId } = developmentRequest(action, commitment, body, new Date(), params);
    const { replayed: _replayed, ...recorded } = await this.commands.execute(
      new RecordDevelopment(command, {
        expectedVersion: parseIfMatch(headerOf(req, 'if-match')),
        idempotency: idempotencyOf(req, who.name),
        metadata: { recordedBy: who.name, correlationId: req.id },
        generatedId,
      }),
    );
    return recorded;
  }
}

const WriteDocs = (summary: string) =>
  applyDecorators(
    ApiOperation({ summary }),
    ApiCreatedResponse({ type: DevelopmentRecordedDto }),
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'The version you saw, e.g. "3"; a different current version → 412',
    }),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: '≤ 200 chars; a retry with the same body returns the first answer',
    }),
    ApiProblems(400, 401, 403, 404, 409, 412, 413, 415, 422, 503),
  );

/**
 * `POST /commitments` and `POST /commitments/:id/<action>`: routes that differ only in their body DTO,
 * made from the table of actions. The parameter types are declared as the compiler would for a written
 * method, so validation and the API documentation see each route's own DTO.
 */
function defineWriteRoute(action: DevelopmentAction): void {
  const { dto, summary } = DEVELOPMENT_ACTIONS[action];
  const prototype = CommitmentsController.prototype;
  const name = `record_${action.replaceAll('-', '_')}`;
  const withId = action !== 'propose';
  const withEventId = developmentPath(action).includes(':eventId');
  const handler = withEventId
    ? function (
        this: CommitmentsController,
        id: string,
        eventId: string,
        body: never,
        req: FastifyRequest,
        who: ApiPrincipal,
      ) {
        return this.recordDevelopment(action, id, body, req, who, eventId);
      }
    : withId
      ? function (
          this: CommitmentsController,
          id: string,
          body: never,
          req: FastifyRequest,
          who: ApiPrincipal,
        ) {
          return this.recordDevelopment(action, id, body, req, who);
        }
      : function (this: CommitmentsController, body: never, req: FastifyRequest, who: ApiPrincipal) {
          return this.recordDevelopment(action, undefined, body, req, who);
        };
  Object.defineProperty(prototype, name, { value: handler, writable: true, configurable: true });
  const pathTypes = [...(withId ? [String] : []), ...(withEventId ? [String] : [])];
  Reflect.defineMetadata('design:paramtypes', [...pathTypes, dto, Object, Object], prototype, name);
  const descriptor = Object.getOwnPropertyDescriptor(prototype, name) as PropertyDescriptor;
  applyDecorators(
    Post(developmentPath(action)),
    HttpCode(201),
    RequireRole('analyst'),
    WriteDocs(summary),
  )(prototype, name, descriptor);
  const params = [
    ...(withId ? [Param('id')] : []),
    ...(withEventId ? [Param('eventId')] : []),
    Body(),
    Req(),
    Principal(),
  ];
  params.forEach((decorate, index) => decorate(prototype, name, index));
}

for (const action of DEVELOPMENT_ACTION_NAMES) defineWriteRoute(action);

function isCommitmentId(id: string): boolean {
  return COMMITMENT_ID.test(id);
}

/** A reservation id that cannot exist is simply not found. */
function reservationEventId(commitment: string, eventId: string): string {
  if (!EVENT_ID.test(eventId)) throw new ReservationNotFoundError(commitment, eventId);
  return eventId.toLowerCase();
}

/** An id that cannot exist is simply not found. */
function commitmentId(id: string): string {
  if (!isCommitmentId(id)) throw new CommitmentNotFoundError(id);
  return id;
}
