import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { LoggerService } from '@nestjs/common';
import type { Pool } from 'pg';
import type { DatabaseEngine } from '../database/database-engine.js';
import type { EventStore } from '../event-store/event-store.js';
import type { Projection } from './projection.js';
import { ProjectionCheckpoints } from './projection-checkpoints.js';
import { AdvisoryLockLeadership } from './projection-leadership.js';
import {
  DEFAULT_RUNNER_OPTIONS,
  ProjectionRunner,
  type ProjectionRunnerOptions,
} from './projection-runner.js';

export interface ProjectionSupervisorOptions extends ProjectionRunnerOptions {
  /** How often a standby tries to take over a projection: a dead leader is replaced within about this long. */
  readonly campaignIntervalMs: number;
}

export const DEFAULT_SUPERVISOR_OPTIONS: ProjectionSupervisorOptions = {
  ...DEFAULT_RUNNER_OPTIONS,
  campaignIntervalMs: 1000,
};

/** Prefix of the application_name of every leadership connection, followed by the instance id. */
export const LEADERSHIP_APPLICATION_NAME = 'projections';

const TABLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Runs this instance's share of the projections that features register with it. On PostgreSQL it runs a
 * projection only while it holds that projection's advisory lock (see {@link AdvisoryLockLeadership}); on
 * the embedded engine there is one process, so it runs them all. Appends in this process wake the runners
 * at once; on PostgreSQL they are also announced to the other instances with NOTIFY. Polling covers
 * anything else.
 */
export class ProjectionSupervisor {
  /** Names this process in the leadership connection's application_name, so an operator can tell who leads. */
  readonly instanceId = `${os.hostname().slice(0, 24)}:${process.pid}:${randomBytes(3).toString('hex')}`;
  readonly checkpoints: ProjectionCheckpoints;
  private readonly runners = new Map<string, ProjectionRunner>();
  private leadership: AdvisoryLockLeadership | null = null;
  private unsubscribe: (() => void) | null = null;
  private started = false;

  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
    private readonly engine: DatabaseEngine,
    private readonly options: ProjectionSupervisorOptions,
    private readonly logger: LoggerService,
  ) {
    this.checkpoints = new ProjectionCheckpoints(pool);
  }

  /** Adds a read model to run; every registration comes before {@link start}. */
  register(projection: Projection): void {
    if (this.started)
      throw new Error(`projection ${projection.name} registered after the projections started`);
    if (this.runners.has(projection.name)) throw new Error(`projection ${projection.name} registered twice`);
    for (const table of projection.tables) {
      if (!TABLE_NAME.test(table)) throw new Error(`not a plain table name: ${table}`);
    }
    this.runners.set(
      projection.name,
      new ProjectionRunner(this.pool, this.store, this.checkpoints, projection, this.options, this.logger),
    );
  }

  get projections(): readonly Projection[] {
    return [...this.runners.values()].map((runner) => runner.projection);
  }

  runner(projection: string): ProjectionRunner {
    const runner = this.runners.get(projection);
    if (!runner) throw new Error(`no projection named ${projection}`);
    return runner;
  }

  /** Whether this instance is the one running `projection` now. */
  isRunningHere(projection: string): boolean {
    return this.runner(projection).status.running;
  }

  async start(): Promise<void> {
    this.started = true;
    await this.checkpoints.ensureExist(this.projections.map((projection) => projection.name));
    this.unsubscribe = this.store.onAppended(() => this.announceNewEvents());
    const target = this.engine.target;
    if (this.engine.kind === 'embedded' || !('url' in target)) {
      for (const runner of this.runners.values()) runner.start();
      return;
    }
    this.leadership = new AdvisoryLockLeadership(
      {
        connectionString: target.url,
        application_name: `${LEADERSHIP_APPLICATION_NAME} ${this.instanceId}`,
        keepAlive: true,
        connectionTimeoutMillis: 5000,
        query_timeout: 5000,
      },
      [...this.runners.keys()],
      {
        acquired: (projection) => this.runner(projection).start(),
        lost: (projection) => this.runner(projection).stop(),
        notified: () => this.wakeAll(),
      },
      this.options.campaignIntervalMs,
      this.logger,
    );
    await this.leadership.start();
  }

  async stop(): Promise<void> {
    this.started = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.leadership) await this.leadership.stop();
    this.leadership = null;
    await Promise.all([...this.runners.values()].map((runner) => runner.stop()));
  }

  /** Events were appended, or a rebuild reset the checkpoints: every runner, here and elsewhere, should look. */
  announceNewEvents(): void {
    this.wakeAll();
    this.leadership?.announceAppend();
  }

  private wakeAll(): void {
    for (const runner of this.runners.values()) runner.wake();
  }
}
