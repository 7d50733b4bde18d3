import fs from 'node:fs';
import { Readable } from 'node:stream';
import { Controller, Get, HttpCode, Inject, Logger, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequireRole } from '../auth/access.decorators.js';
import type { ApiPrincipal } from '../auth/api-keys.service.js';
import { Principal } from '../auth/principal.decorator.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { ApiProblem, ApiProblems } from '../http/api-problems.decorator.js';
import { ProblemError } from '../http/problem-details.js';
import { StreamedBody } from '../http/streamed-body.js';
import type { ImportFormat, ImportJob } from './import-jobs.js';
import { ImportJobs } from './import-jobs.js';
import { ImportRunner } from './import-runner.js';
import { spoolToTemporaryFile } from './import-spool.js';
import { ImportAcceptedDto, ImportJobDto, ImportJobQueryDto } from './imports.dto.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FORMATS: Readonly<Record<string, ImportFormat>> = {
  'application/x-ndjson': 'ndjson',
  'text/csv': 'csv',
};

@ApiTags('imports')
@Controller('imports')
export class ImportsController {
  private readonly logger = new Logger('Imports');

  constructor(
    private readonly runner: ImportRunner,
    private readonly jobs: ImportJobs,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(202)
  @RequireRole('analyst')
  @StreamedBody()
  @ApiOperation({
    summary: 'Import a file of developments (NDJSON or CSV); follow the job at GET /imports/{jobId}',
    description:
      'The body is the file, streamed to disk as it arrives (at most IMPORT_MAX_BYTES, default 1 GiB). ' +
      'Each line is validated and decided as its POST would be, and recorded by the importing key.',
  })
  @ApiConsumes('application/x-ndjson', 'text/csv')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiAcceptedResponse({
    type: ImportAcceptedDto,
    headers: { Location: { description: '/imports/{jobId}', schema: { type: 'string' } } },
  })
  @ApiProblems(400, 401, 403, 503)
  @ApiProblem(413, 'The file is larger than IMPORT_MAX_BYTES (default 1 GiB)')
  @ApiProblem(415, 'The body is not application/x-ndjson or text/csv, or names a charset other than UTF-8')
  async create(
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ImportAcceptedDto> {
    const format = formatOf(req.headers['content-type']);
    if (!(req.body instanceof Readable)) throw unsupportedMediaType();
    const spooled = await spoolToTemporaryFile(req.body, this.config.importMaxBytes).catch(
      (error: unknown) => {
        // The rest of a refused upload is not read: the connection cannot carry another request.
        void reply.header('connection', 'close');
        throw error;
      },
    );
    const request = { format, recordedBy: who.name, bytes: spooled.bytes };
    let jobId: string;
    try {
      jobId = await this.runner.create(request);
    } catch (error) {
      spooled.remove();
      throw error;
    }
    this.runner
      .run(jobId, fs.createReadStream(spooled.path), request)
      .catch((error: unknown) => this.logger.error(`import ${jobId}: ${String(error)}`))
      .finally(() => spooled.remove());
    void reply.header('location', `/imports/${jobId}`);
    return { jobId };
  }

  @Get(':jobId')
  @RequireRole('reader')
  @ApiOperation({
    summary: 'An import job: its progress and its refused lines, each with the API’s problem detail',
  })
  @ApiOkResponse({ type: ImportJobDto })
  @ApiProblems(400, 401, 403, 404, 503)
  async get(@Param('jobId') jobId: string, @Query() query: ImportJobQueryDto): Promise<ImportJob> {
    const job = UUID.test(jobId) ? await this.jobs.read(jobId.toLowerCase(), query.refusalsAfter ?? 0) : null;
    if (!job)
      throw new ProblemError(404, 'import-job-not-found', 'Import job not found', `No import job ${jobId}.`);
    return job;
  }
}

/** The file's format from its media type; its text must be UTF-8 (a charset, if named, says so). */
function formatOf(contentType: string | undefined): ImportFormat {
  const [type, ...parameters] = (contentType ?? '').split(';').map((part) => part.trim().toLowerCase());
  const format = FORMATS[type];
  if (!format) throw unsupportedMediaType();
  const charset = parameters.find((parameter) => parameter.startsWith('charset='));
  if (charset && charset.replace(/^charset="?|"$/g, '') !== 'utf-8') {
    throw new ProblemError(
      415,
      'unsupported-charset',
      'Unsupported Media Type',
      'The file must be UTF-8 text (charset=utf-8).',
    );
  }
  return format;
}

function unsupportedMediaType(): ProblemError {
  return new ProblemError(
    415,
    'unsupported-import-type',
    'Unsupported Media Type',
    'Send the file as its body with "Content-Type: application/x-ndjson" (one development per line) or "text/csv".',
  );
}
