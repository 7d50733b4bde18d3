import { DataSource } from 'typeorm';
import type { Pool } from 'pg';
import type { AppConfig } from '../config/app-config.js';
import type { DatabaseEngine } from './database-engine.js';
import { MIGRATIONS } from '../../migrations/index.js';

/** The one DataSource factory, shared by the app, the CLI scripts, the tests and the benchmarks. */
export function createDataSource(config: Pick<AppConfig, 'database'>, engine: DatabaseEngine): DataSource {
  const { poolSize, connectTimeoutMs, statementTimeoutMs } = config.database;
  return new DataSource({
    type: 'postgres',
    ...engine.target,
    applicationName: 'commitment-tracker',
    poolSize,
    connectTimeoutMS: connectTimeoutMs,
    extra: {
      max: poolSize,
      connectionTimeoutMillis: connectTimeoutMs,
      // Bounded on the server and on the client, so an unreachable database is a 503, never a hang.
      statement_timeout: statementTimeoutMs,
      query_timeout: statementTimeoutMs + 2000,
      idle_in_transaction_session_timeout: statementTimeoutMs * 2,
      keepAlive: true,
    },
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
