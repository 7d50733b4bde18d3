import { createHash } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
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
import { RequireRole } from '../auth/access.decorators.js';
import type { ApiPrincipal } from '../auth/api-keys.service.js';
import { Principal } from '../auth/principal.decorator.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { parseIfMatch } from '../http/conditional-requests.js';
import { validationProblem } from '../http/validation.js';
import { RecordDevelopment, type DevelopmentRecorded } from './commitment.commands.js';
import type { CommitmentView } from './commitment.decider.js';
import { developmentRequest, type DevelopmentRequest } from './development-actions.js';
import { CommitmentNotFoundError } from './commitment.errors.js';
import {
  GetCommitment,
  GetCommitmentHistory,
  ListCommitments,
  type CommitmentHistory,
} from './commitment.queries.js';
import { commitmentsToCsv } from './commitments.csv.js';
import {
  AdoptCommitmentDto,
  AssessComplianceDto,
  CompleteCommitmentDto,
  ProposeCommitmentDto,
  RecordAccessionDto,
  RecordStatementDto,
  RecordWithdrawalDto,
  ReportProgressDto,
  ResumeCommitmentDto,
  RetractEntryDto,
  ScheduleFollowUpDto,
  SetDeadlineDto,
  SupersedeCommitmentDto,
  SuspendCommitmentDto,
} from './dto/developments.dto.js';
import { ListCommitmentsQueryDto, TimeTravelQueryDto } from './dto/queries.dto.js';
import {
  CommitmentHistoryDto,
  CommitmentListDto,
  CommitmentViewDto,
  DevelopmentRecordedDto,
} from './dto/responses.dto.js';
import { COMMITMENT_ID } from './dto/validators.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
const DEFAULT_PAGE_SIZE = 50;

type Body = Record<string, unknown>;

const writeDocs = (summary: string) =>
  [
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
  ] as const;

function WriteDocs(summary: string): MethodDecorator {
  return (target, key, descriptor) => {
    for (const decorator of writeDocs(summary)) decorator(target, key, descriptor);
  };
}

@ApiTags('commitments')
@Controller('commitments')
export class CommitmentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @HttpCode(201)
  @RequireRole('analyst')
  @WriteDocs('Propose a commitment (CommitmentProposed)')
  propose(@Body() body: ProposeCommitmentDto, @Req() req: FastifyRequest, @Principal() who: ApiPrincipal) {
    return this.record(developmentRequest('propose', undefined, body), req, who);
  }

  @Post(':id/statements')
  @HttpCode(201)
  @RequireRole('analyst')
  @WriteDocs('Record a statement (StatementRecorded)')
  statement(
    @Param('id') id: string,
    @Body() body: RecordStatementDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ) {
    return this.record(developmentRequest('statements', commitmentId(id), body), req, who);
  }

  @Post(':id/adoptions')
  @HttpCode(201)
  @RequireRole('analyst')
  @WriteDocs('Record an adoption (CommitmentAdopted)')
  adoption(
    @Param('id') id: string,
    @Body() body: AdoptCommitmentDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ) {
    return this.record(developmentRequest('adoptions', commitmentId(id), body), req, who);
  }

  @Post(':id/progress')
  @HttpCode(201)
  @RequireRole('analyst')
  @WriteDocs('Report progress (ProgressReported)')
  progress(
    @Param('id') id: string,
    @Body() body: ReportProgressDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ) {
    return this.record(developmentRequest('progress', commitmentId(id), body), req, who);
  }

  @Post(':id/completions')
  @HttpCode(201)
  @RequireRole('analyst')
  @WriteDocs('Record completion (CommitmentCompleted; legal only after adoption)')
  completion(
    @Param('id') id: string,
    @Body() body: CompleteCommitmentDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ) {
    return this.record(developmentRequest('completions', commitmentId(id), body), req, who);
  }

  @Post(':id/withdrawals')
  @HttpCode(201)
  @RequireRole('analyst')
  @WriteDocs('Record a party withdrawing (PartyWithdrew), effective now or on effectiveOn')
  withdrawal(
    @Param('id') id: string,
    @Body() body: RecordWithdrawalDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ) {
    return this.record(developmentRequest('withdrawals', commitmentId(id), body), req, who);
  }

  @Post(':id/accessions')
  @HttpCode(201)
  @RequireRole('analyst')
  @WriteDocs('Record a party joining or rejoining (PartyJoined)')
  accession(
    @Param('id') id: string,
    @Body() body: RecordAccessionDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ) {
    return this.record(developmentRequest('accessions', commitmentId(id), body), req, who);
  }

  @Post(':id/suspensions')
  @HttpCode(201)
  @RequireRole('analyst')
  @WriteDocs('Record a suspension, of one party’s part or of the whole (CommitmentSuspended)')
  suspension(
    @Param('id') id: string,
    @Body() body: SuspendCommitmentDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ) {
    return this.record(developmentRequest('suspensions', commitmentId(id), body), req, who);
  }

  @Post(':id/resumptions')
  @HttpCode(201)
  @RequireRole('analyst')
  @WriteDocs('Record a resumption matching an earlier suspension (CommitmentResumed)')
  resumption(
    @Param('id') id: string,
    @Body() body: ResumeCommitmentDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ) {
    return this.record(developmentRequest('resumptions', commitmentId(id), body), req, who);
  }

  @Post(':id/assessments')
  @HttpCode(201)
  @RequireRole('analyst')
  @WriteDocs('Record a compliance assessment of one party (ComplianceAssessed, -1/0/+1)')
  assessment(
    @Param('id') id: string,
    @Body() body: AssessComplianceDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ) {
    return this.record(developmentRequest('assessments', commitmentId(id), body), req, who);
  }

  @Post(':id/supersessions')
  @HttpCode(201)
  @RequireRole('analyst')
  @WriteDocs('Record supersession by an existing commitment (CommitmentSuperseded, terminal)')
  supersession(
    @Param('id') id: string,
    @Body() body: SupersedeCommitmentDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ) {
    return this.record(developmentRequest('supersessions', commitmentId(id), body), req, who);
  }

  @Post(':id/deadlines')
  @HttpCode(201)
  @RequireRole('analyst')
  @WriteDocs('Set or replace the due date (DeadlineSet); replacing a passed one counts a missed deadline')
  deadline(
    @Param('id') id: string,
    @Body() body: SetDeadlineDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ) {
    return this.record(developmentRequest('deadlines', commitmentId(id), body), req, who);
  }

  @Post(':id/follow-ups')
  @HttpCode(201)
  @RequireRole('analyst')
  @WriteDocs('Schedule an internal review (FollowUpScheduled)')
  followUp(
    @Param('id') id: string,
    @Body() body: ScheduleFollowUpDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ) {
    return this.record(developmentRequest('follow-ups', commitmentId(id), body), req, who);
  }

  @Post(':id/retractions')
  @HttpCode(201)
  @RequireRole('analyst')
  @WriteDocs('Retract an earlier entry (EntryRetracted); the entry stays in the history, marked')
  retraction(
    @Param('id') id: string,
    @Body() body: RetractEntryDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
  ) {
    return this.record(developmentRequest('retractions', commitmentId(id), body), req, who);
  }

  @Get()
  @RequireRole('reader')
  @ApiOperation({ summary: 'List commitments, filtered and paginated; Accept: text/csv exports them' })
  @ApiOkResponse({ type: CommitmentListDto })
  @ApiProduces('application/json', 'text/csv')
  @ApiProblems(400, 401, 403, 503)
  async list(
    @Query() query: ListCommitmentsQueryDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const csv = wantsCsv(req.headers.accept);
    const page = await this.queries.execute(
      new ListCommitments({
        status: query.status,
        party: query.party,
        topic: query.topic,
        kind: query.kind,
        overdue: query.overdue === undefined ? undefined : query.overdue === 'true',
        q: query.q,
        after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
        limit: query.limit ?? (csv ? null : DEFAULT_PAGE_SIZE),
      }),
    );
    const nextCursor = page.lastId === null ? null : encodeCursor(page.lastId);
    if (!csv) return { items: page.items, nextCursor };
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="commitments.csv"');
    if (nextCursor) void reply.header('x-next-cursor', nextCursor);
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
    void reply.header('etag', `"${view.version}"`);
    return view;
  }

  @Get(':id/history')
  @RequireRole('reader')
  @ApiOperation({ summary: 'The audit trail: every event in stream order, retracted ones marked' })
  @ApiOkResponse({ type: CommitmentHistoryDto })
  @ApiProblems(401, 403, 404, 503)
  history(@Param('id') id: string): Promise<CommitmentHistory> {
    return this.queries.execute(new GetCommitmentHistory(commitmentId(id)));
  }

  private async record(
    { command, generatedId }: DevelopmentRequest,
    req: FastifyRequest,
    who: ApiPrincipal,
  ): Promise<Omit<DevelopmentRecorded, 'replayed'>> {
    const key = header(req, 'idempotency-key');
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw validationProblem([
        { field: 'Idempotency-Key', message: 'Idempotency-Key must be 1–200 visible ASCII characters' },
      ]);
    }
    const { replayed: _replayed, ...answer } = await this.commands.execute(
      new RecordDevelopment(command, {
        expectedVersion: parseIfMatch(header(req, 'if-match')),
        idempotency:
          key === undefined ? undefined : { key: `${who.name}:${key}`, requestHash: requestHash(req) },
        metadata: { recordedBy: who.name, correlationId: req.id, causationId: req.id },
        generatedId,
      }),
    );
    return answer;
  }
}

function header(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Same method, path and JSON body (whatever its key order) → same hash: a retry, not a new request. */
function requestHash(req: FastifyRequest): string {
  return createHash('sha256')
    .update(`${req.method} ${req.url.split('?')[0]}\n${canonicalJson(req.body ?? null)}`)
    .digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Body).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** An id that cannot exist is simply not found. */
function commitmentId(id: string): string {
  if (!COMMITMENT_ID.test(id)) throw new CommitmentNotFoundError(id);
  return id;
}

function wantsCsv(accept: string | undefined): boolean {
  return accept !== undefined && /\btext\/csv\b/i.test(accept) && !/\bapplication\/json\b/i.test(accept);
}

function encodeCursor(lastId: string): string {
  return Buffer.from(JSON.stringify({ after: lastId })).toString('base64url');
}

function decodeCursor(cursor: string): string {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const after = (decoded as { after?: unknown }).after;
    if (typeof after === 'string' && COMMITMENT_ID.test(after)) return after;
  } catch {
    // falls through to the validation problem
  }
  throw validationProblem([{ field: 'cursor', message: 'cursor must be the nextCursor of a previous page' }]);
}
