import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Pool } from 'pg';
import { RequireRole } from '../auth/access.decorators.js';
import { Principal } from '../auth/principal.decorator.js';
import type { ApiPrincipal } from '../auth/api-keys.service.js';
import { PG_POOL } from '../database/database.module.js';
import { UuidParameter } from '../http/field-validators.js';
import { ProblemError } from '../http/problem-details.js';
import { overviewOfProjections } from './projection-overview.js';
import { ProjectionRebuilds } from './projection-rebuilds.js';
import { ProjectionSupervisor } from './projection-supervisor.js';
import {
  ProjectionsOverviewDto,
  RebuildAcceptedDto,
  RebuildProgressDto,
  VerificationReportDto,
  VerifyQueryDto,
} from './projections-admin.dto.js';
import { ReadModelVerifier } from './read-model-verifier.js';

@ApiTags('admin')
@Controller('admin/projections')
@RequireRole('admin')
export class ProjectionsAdminController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly supervisor: ProjectionSupervisor,
    private readonly rebuilds: ProjectionRebuilds,
    private readonly verifier: ReadModelVerifier,
  ) {}

  @Get()
  @ApiOperation({ summary: "Each projection's checkpoint, lag (events, seconds), runner and state" })
  @ApiOkResponse({ type: ProjectionsOverviewDto })
  async overview(): Promise<ProjectionsOverviewDto> {
    return {
      instance: this.supervisor.instanceId,
      projections: await overviewOfProjections(this.pool, this.supervisor),
    };
  }

  @Post('rebuild')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Rebuild every asynchronous read model from the event log',
    description:
      'Empties the read models and replays the whole log through the same code as live projection. ' +
      'The read models are incomplete until the job finishes: follow it at GET /admin/projections/jobs/{jobId}.',
  })
  @ApiAcceptedResponse({ type: RebuildAcceptedDto })
  async rebuild(@Principal() principal: ApiPrincipal): Promise<RebuildAcceptedDto> {
    const accepted = await this.rebuilds.request(principal.name);
    this.supervisor.announceNewEvents();
    return accepted;
  }

  @Get('verify')
  @ApiOperation({
    summary: 'Audit the read models against the event log',
    description:
      'Refolds every stream (or `sample` streams picked at random) from its events alone and lists every ' +
      'read-model row that differs: the row kept with each append and the rows of every asynchronous read ' +
      'model. Only settled rows are compared: streams written to while the audit runs, and streams whose ' +
      'latest event a projection has not applied yet, are counted and left out. A full audit reads the ' +
      'whole log: on a large one, use `sample` here and `npm run projections:verify` for all of it.',
  })
  @ApiOkResponse({ type: VerificationReportDto })
  async verify(@Query() query: VerifyQueryDto): Promise<VerificationReportDto> {
    const report = await this.verifier.verify({ sample: query.sample });
    return {
      ...report,
      readModels: report.readModels.map((model) => ({ ...model, tables: [...model.tables] })),
      differences: report.differences.map((difference) => ({
        ...difference,
        fields: [...difference.fields],
      })),
    };
  }

  @Get('jobs/:jobId')
  @ApiOperation({ summary: "A rebuild job's progress" })
  @ApiOkResponse({ type: RebuildProgressDto })
  @ApiNotFoundResponse({ description: 'No rebuild job has that id' })
  async job(@Param('jobId', UuidParameter('jobId')) jobId: string): Promise<RebuildProgressDto> {
    const progress = await this.rebuilds.progress(jobId);
    if (!progress) {
      throw new ProblemError(
        404,
        'rebuild-job-not-found',
        'Rebuild job not found',
        `No rebuild job ${jobId}.`,
      );
    }
    return progress;
  }
}
