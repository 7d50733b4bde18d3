import { Readable } from 'node:stream';
import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Pool } from 'pg';
import { RequireRole } from '../auth/access.decorators.js';
import { CommitmentNotFoundError } from '../commitments/domain/shared/commitment.errors.js';
import { commitmentStreamId } from '../commitments/stream/commitment.stream.js';
import { PG_POOL } from '../database/database.module.js';
import { EventStore } from '../event-store/event-store.js';
import { prepareLogExport } from '../event-store/log-export.js';
import { EXPORT_FORMAT } from '../event-store/log-export-format.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { ExportQueryDto } from './export.dto.js';

/** Bytes buffered ahead of a slow reader: the next page is read only once the reader has taken this much. */
const STREAM_BUFFER_BYTES = 64 * 1024;

@ApiTags('export')
@Controller('export')
export class ExportController {
  constructor(
    private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  @Get()
  @RequireRole('reader')
  @ApiOperation({
    summary: 'The whole log (or one commitment’s events) as NDJSON, ending with a digest line',
    description:
      'One event per line in commit-safe order — eventId, streamId, version, type, occurredAt, recordedAt ' +
      '(with microseconds), recordedBy, metadata, data — then a trailer ' +
      `{"format":"${EXPORT_FORMAT}","stream","after","events","sha256"}: the SHA-256 of every byte before ` +
      'it. Streamed as it is read; `npm run restore` loads it into an empty database.',
  })
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({ description: 'The export, NDJSON', schema: { type: 'string' } })
  @ApiProblems(400, 401, 403, 404, 503)
  async export(
    @Query() query: ExportQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Readable> {
    let streamId: string | undefined;
    if (query.commitment !== undefined) {
      streamId = commitmentStreamId(query.commitment);
      if ((await this.store.streamVersion(streamId)) === 0)
        throw new CommitmentNotFoundError(query.commitment);
    }
    const log = await prepareLogExport(this.pool, { streamId, afterEventId: query.after });
    void reply
      .header('content-type', 'application/x-ndjson; charset=utf-8')
      .header('content-disposition', `attachment; filename="${query.commitment ?? 'log'}.ndjson"`)
      .header('cache-control', 'no-store');
    return Readable.from(log.chunks(), { objectMode: false, highWaterMark: STREAM_BUFFER_BYTES });
  }
}
