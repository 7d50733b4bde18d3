import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { Public } from '../auth/access.decorators.js';
import { PG_POOL } from '../database/database.module.js';
import { ApiProblem } from '../http/api-problems.decorator.js';
import { ProblemError } from '../http/problem-details.js';

/** A database slower than this to answer `SELECT 1` is reported down. */
const PING_TIMEOUT_MS = 2000;

export class HealthResponse {
  readonly status!: 'ok';
  readonly database!: 'up';
}

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  @Get()
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness and database reachability (no key needed)' })
  @ApiOkResponse({ type: HealthResponse })
  @ApiProblem(
    503,
    'The database does not answer: a problem document with `database: "down"`, and a `Retry-After` header',
  )
  async check(): Promise<HealthResponse> {
    try {
      // Through the request pool, as requests reach the database; pg-pool discards a connection a failed
      // query leaves behind, where a TypeORM query runner would return it to the pool.
      await this.health.check([
        () =>
          this.indicators
            .check('database')
            .attempt(async () => {
              await this.pool.query('SELECT 1');
            })
            .withTimeout(PING_TIMEOUT_MS),
      ]);
      return { status: 'ok', database: 'up' };
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      throw new ProblemError(
        503,
        'database-unavailable',
        'Database unavailable',
        'The database does not answer.',
        undefined,
        {
          database: 'down',
        },
      );
    }
  }
}
