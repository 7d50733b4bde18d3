import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import supertest from 'supertest';
import { createTestDatabase, testConfig, type EngineName, type TestDatabase } from './test-database';

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
    const { createApp } = loadSource<typeof import('../../src/http/http-app')>('src/http/http-app');
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
    query: (sql, params) => {
      const { DataSource } = loadSource<typeof import('typeorm')>('typeorm');
      return started.get(DataSource).query(sql, params);
    },
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

type NativeRequire = ((id: string) => unknown) & { resolve(id: string): string };

const ROOT = path.resolve(__dirname, '../..');
let nativeRequire: NativeRequire | null = null;

/**
 * Loads a module of the app (a path under the project root, or a package). NestJS 12 ships as ES modules,
 * which Jest's CommonJS runtime cannot `require` before Node 24.9, while Node itself can (require(esm)).
 * So when Jest's own loader fails on them, the app is loaded by Node's loader instead, with the TypeScript
 * sources transpiled on the fly exactly as ts-jest does (isolated modules): the tests still run the code
 * in src/, not a build. Everything the app uses then lives in Node's module graph, including its own
 * copies of typeorm and Nest; hand it plain data only (configuration), and reach its internals through
 * the same loader (see `query`).
 */
export function loadSource<T>(id: string): T {
  const target = id.startsWith('src/') ? path.join(ROOT, id) : id;
  if (nativeRequire === null) {
    try {
      // Jest's own loader first: it is the one to use whenever it can load the app.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return require(target) as T;
    } catch (error) {
      if (!/Must use import to load ES Module/.test(String((error as Error).message))) throw error;
      nativeRequire = installNativeTypeScriptLoader();
    }
  }
  return nativeRequire(target) as T;
}

function installNativeTypeScriptLoader(): NativeRequire {
  // Jest hands every test its own `module`, `process.getBuiltinModule` and `require`; the main context's
  // `process` is Node's real one.
  const realProcess = vm.runInThisContext('process') as NodeJS.Process;
  const Module = realProcess.getBuiltinModule('module') as unknown as {
    createRequire(filename: string): NativeRequire;
    _extensions: Record<
      string,
      (module: { _compile(code: string, filename: string): void }, filename: string) => void
    >;
  };
  const load = Module.createRequire(path.join(ROOT, 'package.json'));
  if (!Module._extensions['.ts']) {
    const ts = load('typescript') as typeof import('typescript');
    const compilerOptions: import('typescript').CompilerOptions = {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      esModuleInterop: true,
      resolveJsonModule: true,
      isolatedModules: true,
      inlineSourceMap: true,
    };
    Module._extensions['.ts'] = (module, filename) => {
      const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
        compilerOptions,
        fileName: filename,
      });
      module._compile(outputText, filename);
    };
  }
  return load;
}

/** `process.stdout` as the app writes to it (the real one, also when the app runs in Node's loader). */
export function appStdout(): NodeJS.WriteStream {
  return (vm.runInThisContext('process') as NodeJS.Process).stdout;
}
