import type { LoggerService } from '@nestjs/common';
import { MigrationExecutor } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import type { DatabaseEngine } from './database-engine.js';
import { createDataSource } from './data-source.factory.js';

/** Any key works as long as every instance uses the same one: it serialises concurrent start-ups. */
const MIGRATION_LOCK = 7_146_213_001;

/**
 * Applies pending migrations on a connection of their own, outside the app's pool, so that they work
 * whatever the pool's size (with a pool of one, a lock held on a pooled connection left none for the
 * migrations, and start-up waited forever). Instances starting together against one PostgreSQL take
 * turns under an advisory lock held on that same connection; the embedded engine serves one process.
 * Migrations are background work: they run under the background statement limit.
 */
export async function runMigrations(
  config: Pick<AppConfig, 'database'>,
  engine: DatabaseEngine,
  logger: LoggerService,
): Promise<void> {
  const dataSource = createDataSource(config, engine, 'background', 1);
  await dataSource.initialize();
  const connection = dataSource.createQueryRunner();
  try {
    if (engine.kind === 'postgres') await connection.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const executor = new MigrationExecutor(dataSource, connection);
    executor.transaction = 'each';
    const applied = await executor.executePendingMigrations();
    for (const migration of applied) logger.log(`applied migration ${migration.name}`);
  } finally {
    // Closing the session releases the lock too, even when the unlock cannot be sent.
    if (engine.kind === 'postgres') {
      await connection.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    }
    await connection.release();
    await dataSource.destroy();
  }
}
