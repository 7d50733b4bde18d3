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
import { FollowUpsModule } from '../commitments/follow-ups/follow-ups.module.js';
import { PartiesModule } from '../commitments/parties/parties.module.js';
import { EventsFeedModule } from '../events-feed/events-feed.module.js';
import { ProjectionCheckpoints } from './projection-checkpoints.js';
import { ProjectionRebuilds } from './projection-rebuilds.js';
import { DEFAULT_SUPERVISOR_OPTIONS, ProjectionSupervisor } from './projection-supervisor.js';
import { ProjectionsAdminController } from './projections-admin.controller.js';
import { createReadModelProjections } from './read-model-projections.js';

/** Starts the runners once the app is up (catch-up runs in the background) and stops them before the pool closes. */
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
 * The asynchronous read models (follow-ups, party view), their catch-up projectors and the admin
 * endpoints, plus the global event feed, which reads the log itself.
 */
@Module({
  imports: [FollowUpsModule, PartiesModule, EventsFeedModule],
  controllers: [ProjectionsAdminController],
  providers: [
    {
      // The runners read and write through the background pool: batches and rebuilds may run long, and
      // must not take the connections requests wait for.
      provide: ProjectionSupervisor,
      inject: [BACKGROUND_POOL, EventStore, DATABASE_ENGINE],
      useFactory: (pool: Pool, store: EventStore, engine: DatabaseEngine) => {
        const background = store.through(pool);
        return new ProjectionSupervisor(
          pool,
          background,
          engine,
          createReadModelProjections(background),
          DEFAULT_SUPERVISOR_OPTIONS,
          new Logger('Projections'),
        );
      },
    },
    {
      // A rebuild is requested by an admin who waits for the answer: the request pool and its limits.
      provide: ProjectionRebuilds,
      inject: [PG_POOL, ProjectionSupervisor],
      useFactory: (pool: Pool, supervisor: ProjectionSupervisor) =>
        new ProjectionRebuilds(pool, new ProjectionCheckpoints(pool), supervisor.projections),
    },
    ProjectionsLifecycle,
  ],
})
export class ProjectionsModule {}
