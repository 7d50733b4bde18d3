import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { Pool } from 'pg';
import { loadConfig, MEMORY_DATA_DIR, type AppConfig } from '../../src/config/app-config.js';
import { startDatabaseEngine, type DatabaseEngine } from '../../src/database/database-engine.js';
import { createDataSource, poolOf } from '../../src/database/data-source.factory.js';

export type EngineName = 'embedded' | 'postgres';

/** Embedded always; PostgreSQL too when TEST_DATABASE_URL names a server (CI sets it). */
export const TEST_ENGINES: EngineName[] = process.env.TEST_DATABASE_URL
  ? ['embedded', 'postgres']
  : ['embedded'];

export interface TestDatabase {
  readonly engineName: EngineName;
  /** The environment an app instance needs to use this database. */
  readonly env: Record<string, string>;
  drop(): Promise<void>;
}

/**
 * A fresh database for one suite: an in-memory PGlite, or a new PostgreSQL database created from
 * TEST_DATABASE_URL and dropped afterwards. It refuses a server database whose name lacks "test".
 */
export async function createTestDatabase(engineName: EngineName): Promise<TestDatabase> {
  if (engineName === 'embedded') {
    return { engineName, env: { DATA_DIR: MEMORY_DATA_DIR }, drop: async () => undefined };
  }
  const base = new URL(requireTestDatabaseUrl());
  const name = `${base.pathname.slice(1)}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(base, async (client) => {
    await client.query(`CREATE DATABASE "${name}"`);
  });
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    engineName,
    env: { DATABASE_URL: url.toString() },
    drop: () =>
      withAdminClient(base, async (client) => {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      }),
  };
}

function requireTestDatabaseUrl(): string {
  const raw = process.env.TEST_DATABASE_URL ?? '';
  const database = new URL(raw).pathname.slice(1);
  if (!/test/i.test(database)) {
    throw new Error(`TEST_DATABASE_URL must name a database whose name contains "test" (got "${database}")`);
  }
  return raw;
}

async function withAdminClient<T>(url: URL, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function testConfig(database: TestDatabase, extra: Record<string, string> = {}): AppConfig {
  // EVENT_STORE_GROUP_COMMIT=false runs the suites' apps without group commit (on by default).
  const groupCommit = process.env.EVENT_STORE_GROUP_COMMIT;
  return loadConfig({
    LOG_LEVEL: 'silent',
    SEED: 'false',
    ...(groupCommit && { EVENT_STORE_GROUP_COMMIT: groupCommit }),
    ...database.env,
    ...extra,
  });
}

export interface MigratedDatabase {
  readonly database: TestDatabase;
  readonly engine: DatabaseEngine;
  readonly dataSource: DataSource;
  readonly pool: Pool;
  close(): Promise<void>;
}

/** A fresh, migrated database with its DataSource: for store and projection suites that need no HTTP. */
export async function openMigratedDatabase(
  engineName: EngineName,
  extraEnv: Record<string, string> = {},
): Promise<MigratedDatabase> {
  const database = await createTestDatabase(engineName);
  const config = testConfig(database, extraEnv);
  const engine = await startDatabaseEngine(config);
  // Projection suites build read models from thousands of events, on machines other work keeps busy:
  // the limits of background work, not of a request.
  const dataSource = createDataSource(config, engine, 'background');
  await dataSource.initialize();
  await dataSource.runMigrations();
  return {
    database,
    engine,
    dataSource,
    pool: poolOf(dataSource),
    close: async () => {
      await dataSource.destroy();
      await engine.close();
      await database.drop();
    },
  };
}
