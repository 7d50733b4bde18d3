import {
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Pool } from 'pg';
import { BACKGROUND_POOL, DATABASE_ENGINE, PG_POOL } from '../database/database.module.js';
import type { DatabaseEngine } from '../database/database-engine.js';
import { EventStore } from '../event-store/event-store.js';
import { ProjectionRebuilds } from './projection-rebuilds.js';
import { ReadModelVerifier } from './read-model-verifier.js';
import { DEFAULT_SUPERVISOR_OPTIONS, ProjectionSupervisor } from './projection-supervisor.js';
import { ProjectionsAdminController } from './projections-admin.controller.js';

/**
 * Starts the runners once the app is up (catch-up runs in the background), after every feature has
 * registered its read models in its own `onModuleInit`, and stops them before the pool closes.
 */
@Injectable()
class ProjectionsLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(private readonly supervisor: ProjectionSupervisor) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.supervisor.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.supervisor.stop();
  }
}

/**
 * The catch-up projection machinery: runners, checkpoints, leadership across instances, rebuilds, the
 * read-model audit and the admin endpoints. It knows no read model: features register theirs with
 * {@link ProjectionSupervisor} (and read models kept in the append statement with {@link ReadModelVerifier}).
 */
@Module({
  controllers: [ProjectionsAdminController],
  providers: [
    {
      // The runners read and write through the background pool: batches and rebuilds may run long, and
      // must not take the connections requests wait for.
      provide: ProjectionSupervisor,
      inject: [BACKGROUND_POOL, EventStore, DATABASE_ENGINE],
      useFactory: (pool: Pool, store: EventStore, engine: DatabaseEngine) =>
        new ProjectionSupervisor(
          pool,
          store.through(pool),
          engine,
          DEFAULT_SUPERVISOR_OPTIONS,
          new Logger('Projections'),
        ),
    },
    {
      // A rebuild is requested by an admin who waits for the answer: the request pool and its limits.
      provide: ProjectionRebuilds,
      inject: [PG_POOL, ProjectionSupervisor],
      useFactory: (pool: Pool, supervisor: ProjectionSupervisor) => new ProjectionRebuilds(pool, supervisor),
    },
    {
      provide: ReadModelVerifier,
      inject: [PG_POOL, EventStore, ProjectionSupervisor],
      useFactory: (pool: Pool, store: EventStore, supervisor: ProjectionSupervisor) =>
        new ReadModelVerifier(pool, store, supervisor),
    },
    ProjectionsLifecycle,
  ],
  exports: [ProjectionSupervisor, ProjectionRebuilds, ReadModelVerifier],
})
export class ProjectionsModule {}
