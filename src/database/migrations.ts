import type { LoggerService } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { DatabaseEngine } from './database-engine.js';

/** Any key works as long as every instance uses the same one: it serialises concurrent start-ups. */
const MIGRATION_LOCK = 7_146_213_001;

/**
 * Applies pending migrations. Instances starting together against one PostgreSQL take turns under an
 * advisory lock; the embedded engine serves one process, and its single connection could not hold a lock
 * while the migrations run on it.
 */
export async function runMigrations(
  dataSource: DataSource,
  engine: DatabaseEngine,
  logger: LoggerService,
): Promise<void> {
  const lock = engine.kind === 'postgres' ? dataSource.createQueryRunner() : null;
  try {
    await lock?.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    for (const migration of applied) logger.log(`applied migration ${migration.name}`);
  } finally {
    if (lock) {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      await lock.release();
    }
  }
}
