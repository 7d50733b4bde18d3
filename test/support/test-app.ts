import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import supertest from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.js';
import { createTestDatabase, testConfig, type EngineName, type TestDatabase } from './test-database.js';

/** A supertest agent bound to the app's listening server. */
export type HttpAgent = ReturnType<typeof supertest>;

/** The bearer secrets of the three keys every test app is started with (API_KEYS names = roles). */
export interface TestKeys {
  readonly reader: string;
  readonly analyst: string;
  readonly admin: string;
}

export interface TestApp {
  readonly app: NestFastifyApplication;
  /** SQL on the app's own DataSource (works for the embedded engine, which lives inside the app). */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  readonly http: HttpAgent;
  readonly keys: TestKeys;
  readonly database: TestDatabase;
  /** Closes the app; drops the database unless it was handed in through `options.database`. */
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Start on this database (a restart) instead of a fresh one; it is then left for the caller to drop. */
  readonly database?: TestDatabase;
}

export const TEST_KEYS: TestKeys = {
  reader: 'reader-secret-7f3a9c',
  analyst: 'analyst-secret-2b8e4d',
  admin: 'admin-secret-9c1f6a',
};

const API_KEYS = `reader:reader:${TEST_KEYS.reader},analyst:analyst:${TEST_KEYS.analyst},admin:admin:${TEST_KEYS.admin}`;

/**
 * A real app instance on a fresh database of the given engine, listening on an ephemeral local port so
 * that many parallel supertest requests share one server. `env` overrides the defaults (LOG_LEVEL=silent,
 * SEED=false, API_KEYS with the three test keys); `API_KEYS: ''` starts it without configured keys.
 */
export async function createTestApp(
  engineName: EngineName,
  env: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase(engineName));
  const ownsDatabase = options.database === undefined;
  let app: NestFastifyApplication | undefined;
  try {
    app = await createApp(testConfig(database, { API_KEYS, ...env }));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (error) {
    await app?.close().catch(() => undefined);
    if (ownsDatabase) await database.drop();
    throw error;
  }
  const started = app;
  let closed = false;
  return {
    app: started,
    query: (sql, params) => started.get(DataSource).query(sql, params),
    http: supertest(started.getHttpServer()),
    keys: TEST_KEYS,
    database,
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        await started.close();
      } finally {
        if (ownsDatabase) await database.drop();
      }
    },
  };
}

/** `Authorization` header value for a secret. */
export function bearer(secret: string): string {
  return `Bearer ${secret}`;
}

/** Resolves after `ms` milliseconds: keeps recorded times of consecutive writes apart. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
