import { DataSource } from 'typeorm';
import type { Pool } from 'pg';
import type { AppConfig } from '../config/app-config.js';
import type { DatabaseEngine } from './database-engine.js';
import { connectionSettings, type DatabaseWorkload } from './pg-connections.js';
import { MIGRATIONS } from '../../migrations/index.js';

/**
 * The one DataSource factory, shared by the app, the CLI scripts, the tests and the benchmarks. The app
 * serves requests through it; the CLI scripts, which nobody waits on, pass `background` (see
 * {@link DatabaseWorkload}). `poolSize` overrides the configured size (migrations need one connection).
 */
export function createDataSource(
  config: Pick<AppConfig, 'database'>,
  engine: DatabaseEngine,
  workload: DatabaseWorkload = 'requests',
  poolSize = config.database.poolSize,
): DataSource {
  return new DataSource({
    type: 'postgres',
    ...engine.target,
    applicationName: workload === 'requests' ? 'commitment-tracker' : 'commitment-tracker background',
    poolSize,
    extra: { ...connectionSettings(config, engine, workload), max: poolSize },
    // Every client logs its own connection failure (see GuardedClient); the pool's copy adds nothing.
    poolErrorHandler: () => undefined,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
  });
}

/** The `pg` pool behind a DataSource: the event store's hot path uses it for named prepared statements. */
export function poolOf(dataSource: DataSource): Pool {
  return (dataSource.driver as unknown as { master: Pool }).master;
}
