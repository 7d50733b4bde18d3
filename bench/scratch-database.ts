import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, type Pool } from 'pg';
import { loadConfig } from '../src/config/app-config.js';
import { startDatabaseEngine, type DatabaseEngine } from '../src/database/database-engine.js';
import { createDataSource, poolOf } from '../src/database/data-source.factory.js';
import { runMigrations } from '../src/database/migrations.js';
import { EventStore } from '../src/event-store/event-store.js';

/** A database of a benchmark's own, on the engine DATABASE_URL names. */
export interface ScratchDatabase {
  readonly kind: 'postgres' | 'embedded';
  /** Environment naming it: DATABASE_URL, or DATA_DIR for the embedded engine. */
  readonly env: Record<string, string>;
  drop(): Promise<void>;
}

/**
 * A fresh database next to the one DATABASE_URL names (or a temporary directory for the embedded engine),
 * so a benchmark never touches the data that database holds and runs are comparable.
 */
export async function scratchDatabase(label: string): Promise<ScratchDatabase> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${label.replace(/_/g, '-')}-`));
    return {
      kind: 'embedded',
      env: { DATA_DIR: dir },
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `${label}_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  return {
    kind: 'postgres',
    env: { DATABASE_URL: scratch.toString() },
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** A migrated database with its pool and event store, for a benchmark to load. */
export interface BenchDatabase {
  readonly engine: DatabaseEngine;
  readonly poolSize: number;
  readonly serverVersion: string;
  readonly pool: Pool;
  readonly store: EventStore;
  /** Closes the pool and the engine, and drops the database if it was a scratch one. */
  close(): Promise<void>;
}

const quietMigrations = { log: () => undefined, warn: console.warn, error: console.error };

/**
 * Opens a scratch database (`fresh`), or the one DATABASE_URL names (`named`; the embedded engine then gets
 * a temporary directory all the same), and runs the migrations on it.
 */
export async function openBenchDatabase(
  label: string,
  where: 'fresh' | 'named' = 'fresh',
): Promise<BenchDatabase> {
  const scratch = where === 'fresh' || !process.env.DATABASE_URL ? await scratchDatabase(label) : null;
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent', ...scratch?.env });
  const engine = await startDatabaseEngine(config);
  // Setting up and copying a large log takes longer than a request may: the background limits.
  const dataSource = createDataSource(config, engine, 'background');
  const close = async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
    await engine.close();
    await scratch?.drop();
  };
  try {
    await runMigrations(config, engine, quietMigrations);
    await dataSource.initialize();
    const pool = poolOf(dataSource);
    const { rows } = await pool.query<{ server_version: string }>('SHOW server_version');
    return {
      engine,
      poolSize: config.database.poolSize,
      serverVersion: rows[0].server_version,
      pool,
      store: new EventStore(pool),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
