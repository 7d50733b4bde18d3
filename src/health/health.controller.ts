import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Public } from '../auth/access.decorators.js';
import { ApiProblem } from '../http/api-problems.decorator.js';
import { ProblemError } from '../http/problem-details.js';

export class HealthResponse {
  readonly status!: 'ok';
  readonly database!: 'up';
}

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly dataSource: DataSource,
  ) {}

  @Get()
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness and database reachability (no key needed)' })
  @ApiOkResponse({ type: HealthResponse })
  @ApiProblem(503, 'The database does not answer: a problem document with `database: "down"`')
  async check(): Promise<HealthResponse> {
    try {
      await this.health.check([
        () => this.db.pingCheck('database', { connection: this.dataSource, timeout: 2000 }),
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
