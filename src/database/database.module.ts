import { Global, Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Pool } from 'pg';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { type DatabaseEngine, startDatabaseEngine } from './database-engine.js';
import { createDataSource, poolOf } from './data-source.factory.js';
import { runMigrations } from './migrations.js';
import { createBackgroundPool } from './pg-connections.js';

export const DATABASE_ENGINE = Symbol('DATABASE_ENGINE');
export const PG_POOL = Symbol('PG_POOL');
/** The pool for work no request waits on (projections); embedded, the same pool as {@link PG_POOL}. */
export const BACKGROUND_POOL = Symbol('BACKGROUND_POOL');

@Injectable()
class DatabaseLifecycle implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(DATABASE_ENGINE) private readonly engine: DatabaseEngine,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(BACKGROUND_POOL) private readonly backgroundPool: Pool,
  ) {}

  /** Runs after every module's onModuleDestroy/beforeApplicationShutdown, when nothing uses the pool any more. */
  async onApplicationShutdown(): Promise<void> {
    if (this.backgroundPool !== this.pool) await this.backgroundPool.end();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.engine.close();
    this.logger.log(`${this.engine.kind} database closed`);
  }
}

@Global()
@Module({
  providers: [
    {
      provide: DATABASE_ENGINE,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) => {
        const engine = await startDatabaseEngine(config);
        new Logger('Database').log(
          engine.kind === 'embedded'
            ? `embedded PGlite in ${config.dataDir}`
            : 'PostgreSQL from DATABASE_URL',
        );
        return engine;
      },
    },
    {
      provide: DataSource,
      inject: [APP_CONFIG, DATABASE_ENGINE],
      useFactory: async (config: AppConfig, engine: DatabaseEngine) => {
        const dataSource = createDataSource(config, engine);
        try {
          await runMigrations(config, engine, new Logger('Migrations'));
          await dataSource.initialize();
        } catch (error) {
          if (dataSource.isInitialized) await dataSource.destroy();
          await engine.close();
          throw error;
        }
        return dataSource;
      },
    },
    {
      provide: PG_POOL,
      inject: [DataSource],
      useFactory: (dataSource: DataSource): Pool => poolOf(dataSource),
    },
    {
      provide: BACKGROUND_POOL,
      inject: [APP_CONFIG, DATABASE_ENGINE, PG_POOL],
      useFactory: (config: AppConfig, engine: DatabaseEngine, pool: Pool): Pool =>
        // Embedded, a second pool would be a second session on the one engine (see DESIGN.md "Engines").
        engine.kind === 'embedded' ? pool : createBackgroundPool(config, engine),
    },
    DatabaseLifecycle,
  ],
  exports: [DATABASE_ENGINE, DataSource, PG_POOL, BACKGROUND_POOL],
})
export class DatabaseModule {}
