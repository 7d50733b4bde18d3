import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { Pool } from 'pg';
import { loadConfig, MEMORY_DATA_DIR, type AppConfig } from '../../src/config/app-config.js';
import {
  startDatabaseEngine,
  writeDataDirTemplate,
  type DatabaseEngine,
} from '../../src/database/database-engine.js';
import { createDataSource, poolOf } from '../../src/database/data-source.factory.js';
import { runMigrations } from '../../src/database/migrations.js';

export type EngineName = 'embedded' | 'postgres';

/** Embedded always; PostgreSQL too when TEST_DATABASE_URL names a server (CI sets it). */
export const TEST_ENGINES: EngineName[] = process.env.TEST_DATABASE_URL
  ? ['embedded', 'postgres']
  : ['embedded'];

export interface TestDatabase {
  readonly engineName: EngineName;
  /** The environment an app instance needs to use this database. */
  readonly env: Record<string, string>;
  /** The embedded engine's migrated template, when the database starts from it. */
  readonly dataDirTemplate?: string;
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /**
   * `migrated` (the default) starts from this run's migrated template, made on first use: a suite then
   * spends no time on migrations. `empty` is a database no migration has touched.
   */
  readonly from?: 'migrated' | 'empty';
}

/**
 * A fresh database for one suite: an in-memory PGlite, or a new PostgreSQL database created from
 * TEST_DATABASE_URL and dropped afterwards. It refuses a server database whose name lacks "test".
 */
export async function createTestDatabase(
  engineName: EngineName,
  { from = 'migrated' }: TestDatabaseOptions = {},
): Promise<TestDatabase> {
  if (engineName === 'embedded') {
    return {
      engineName,
      env: { DATA_DIR: MEMORY_DATA_DIR },
      dataDirTemplate: from === 'migrated' ? await embeddedTemplate() : NO_TEMPLATE,
      drop: async () => undefined,
    };
  }
  const base = new URL(requireTestDatabaseUrl());
  const name = `${base.pathname.slice(1)}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const template = from === 'migrated' ? await postgresTemplate(base) : null;
  await withAdminClient(base, async (client) => {
    await client.query(
      template ? `CREATE DATABASE "${name}" TEMPLATE "${template}"` : `CREATE DATABASE "${name}"`,
    );
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

/** A template path that never exists: the embedded engine then starts from initdb. */
const NO_TEMPLATE = path.join(os.tmpdir(), 'no-data-dir-template');

/**
 * Where this run keeps its templates, set by test/support/global-setup.js; a test run outside Jest's
 * global setup makes its own.
 */
function templateDir(): string {
  process.env.TEST_TEMPLATE_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'test-templates-'));
  return process.env.TEST_TEMPLATE_DIR;
}

const SILENT = { log: () => undefined, error: () => undefined, warn: () => undefined };

let embeddedTemplateMade: Promise<string> | undefined;

/** The embedded template: written by the first worker that needs it (a race only writes it twice). */
function embeddedTemplate(): Promise<string> {
  embeddedTemplateMade ??= (async () => {
    const file = path.join(templateDir(), 'embedded.tar.gz');
    if (!fs.existsSync(file)) {
      const config = testConfig({ env: { DATA_DIR: MEMORY_DATA_DIR } });
      await writeDataDirTemplate(file, (engine) => runMigrations(config, engine, SILENT));
    }
    return file;
  })();
  return embeddedTemplateMade;
}

/** Any key works as long as every worker uses the same one: one worker migrates the template. */
const TEMPLATE_LOCK = 7_146_213_002;

let postgresTemplateMade: Promise<string> | undefined;

/**
 * The PostgreSQL template: a database of this run's, migrated once under an advisory lock, that no one
 * stays connected to (CREATE DATABASE … TEMPLATE requires it). test/support/global-teardown.js drops it.
 */
function postgresTemplate(base: URL): Promise<string> {
  postgresTemplateMade ??= withAdminClient(base, async (client) => {
    const name = templateDatabaseName(base);
    await client.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    try {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount === 0) {
        const partial = `${name}_partial`;
        await client.query(`DROP DATABASE IF EXISTS "${partial}" WITH (FORCE)`);
        await client.query(`CREATE DATABASE "${partial}"`);
        const url = new URL(base);
        url.pathname = `/${partial}`;
        const config = testConfig({ env: { DATABASE_URL: url.toString() } });
        const engine = await startDatabaseEngine(config);
        await runMigrations(config, engine, SILENT);
        await client.query(`ALTER DATABASE "${partial}" RENAME TO "${name}"`);
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
    }
    return name;
  });
  return postgresTemplateMade;
}

/** Named by test/support/global-setup.js for the run, or after this process outside it. */
function templateDatabaseName(base: URL): string {
  process.env.TEST_TEMPLATE_DATABASE ??= `${base.pathname.slice(1)}_template_${process.pid}`;
  return process.env.TEST_TEMPLATE_DATABASE;
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

export function testConfig(
  database: Pick<TestDatabase, 'env' | 'dataDirTemplate'>,
  extra: Record<string, string> = {},
): AppConfig {
  // EVENT_STORE_GROUP_COMMIT=false runs the suites' apps without group commit (on by default).
  const groupCommit = process.env.EVENT_STORE_GROUP_COMMIT;
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    SEED: 'false',
    ...(groupCommit && { EVENT_STORE_GROUP_COMMIT: groupCommit }),
    ...database.env,
    ...extra,
  });
  // Never the build's template: the suites test the sources' migrations, not dist/'s.
  return { ...config, dataDirTemplate: database.dataDirTemplate ?? NO_TEMPLATE };
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
