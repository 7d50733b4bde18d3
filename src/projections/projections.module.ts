import {
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Pool } from 'pg';
import { DATABASE_ENGINE, PG_POOL } from '../database/database.module.js';
import type { DatabaseEngine } from '../database/database-engine.js';
import { EventStore } from '../event-store/event-store.js';
import { FollowUpsModule } from '../commitments/follow-ups/follow-ups.module.js';
import { PartiesModule } from '../commitments/parties/parties.module.js';
import { EventsFeedModule } from '../events-feed/events-feed.module.js';
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
      provide: ProjectionSupervisor,
      inject: [PG_POOL, EventStore, DATABASE_ENGINE],
      useFactory: (pool: Pool, store: EventStore, engine: DatabaseEngine) =>
        new ProjectionSupervisor(
          pool,
          store,
          engine,
          createReadModelProjections(store),
          DEFAULT_SUPERVISOR_OPTIONS,
          new Logger('Projections'),
        ),
    },
    {
      provide: ProjectionRebuilds,
      inject: [PG_POOL, ProjectionSupervisor],
      useFactory: (pool: Pool, supervisor: ProjectionSupervisor) =>
        new ProjectionRebuilds(pool, supervisor.checkpoints, supervisor.projections),
    },
    ProjectionsLifecycle,
  ],
})
export class ProjectionsModule {}
