import path from 'node:path';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type Role = 'reader' | 'analyst' | 'admin';

export const ROLES: readonly Role[] = ['reader', 'analyst', 'admin'];
/** `DATA_DIR=memory://` runs the embedded engine in memory: nothing survives the process (tests, demos). */
export const MEMORY_DATA_DIR = 'memory://';
/** The migrated embedded database `npm run build` writes into dist/ (scripts/build-data-dir-template.mjs). */
const BUILT_DATA_DIR_TEMPLATE = path.resolve(import.meta.dirname, '../../data-dir-template.tar.gz');
/** 1 GiB: some two million developments of a typical size. */
const DEFAULT_IMPORT_MAX_BYTES = 1024 ** 3;
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface ConfiguredApiKey {
  readonly name: string;
  readonly role: Role;
  readonly secret: string;
}

/** The validated process configuration; the only place that reads `process.env`. */
export interface AppConfig {
  readonly port: number;
  readonly host: string;
  /**
   * Where people reach this service (no trailing slash): feeds link to its pages with absolute URLs, since
   * a feed reader resolves nothing against the API.
   */
  readonly publicBaseUrl: string;
  /** PostgreSQL connection string; absent means the embedded engine. */
  readonly databaseUrl: string | null;
  readonly dataDir: string;
  /** How long the embedded engine waits for a process that still holds `dataDir` (one exiting) to let go. */
  readonly dataDirLockWaitMs: number;
  /** A tarball of a migrated embedded database that a new data directory starts from, when it exists. */
  readonly dataDirTemplate: string;
  /** `null` when API_KEYS is unset: keys then live (hashed) in the database. */
  readonly apiKeys: readonly ConfiguredApiKey[] | null;
  /** How often an instance re-reads the keys in the database: the bound on a revocation reaching it. */
  readonly apiKeyRefreshMs: number;
  readonly logLevel: LogLevel;
  readonly seed: boolean;
  /** The largest file `POST /imports` takes, in bytes. */
  readonly importMaxBytes: number;
  /** Concurrent single-event appends share one statement and one commit (`EVENT_STORE_GROUP_COMMIT`). */
  readonly eventStoreGroupCommit: boolean;
  readonly database: {
    /** Connections serving requests (the embedded engine: its one connection, shared with everything). */
    readonly poolSize: number;
    /** Longest wait for a connection, new or pooled, before a request is answered 503. */
    readonly connectTimeoutMs: number;
    /**
     * Longest run of one statement of a request: the server cancels it, and the client gives up
     * {@link CLIENT_TIMEOUT_MARGIN_MS} later when the server does not even answer (a frozen server).
     */
    readonly statementTimeoutMs: number;
    /** The same for work no one waits on: projection batches and rebuilds, migrations. */
    readonly backgroundStatementTimeoutMs: number;
  };
}

/** How much longer than the server's statement timeout the client waits for an answer of any kind. */
export const CLIENT_TIMEOUT_MARGIN_MS = 1000;

/** A configuration problem; its message is the one line printed before the process stops. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    expected: string,
    received: string | undefined,
  ) {
    super(`Invalid configuration: ${variable}=${JSON.stringify(received ?? '')} — expected ${expected}.`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `an integer from ${min} to ${max}`, raw);
  }
  return Number(raw);
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(true|1|yes)$/i.test(raw)) return true;
  if (/^(false|0|no)$/i.test(raw)) return false;
  throw new ConfigError(name, '"true" or "false"', raw);
}

function databaseUrl(env: Env): string | null {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === '') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL', 'a URL such as postgres://user:password@host:5432/database', raw);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', 'a postgres:// or postgresql:// URL', raw);
  }
  return raw;
}

/** An API key's name: it is recorded as `recordedBy`, so it stays short and plain. */
export const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function apiKeys(env: Env): ConfiguredApiKey[] | null {
  const raw = env.API_KEYS;
  if (raw === undefined || raw.trim() === '') return null;
  const expected =
    'comma-separated name:role:secret entries, role one of reader|analyst|admin, secret at least 12 characters';
  const keys = raw.split(',').map((entry) => {
    const [name, role, ...rest] = entry.trim().split(':');
    const secret = rest.join(':');
    if (!name || !KEY_NAME.test(name) || !ROLES.includes(role as Role) || secret.length < 12) {
      throw new ConfigError('API_KEYS', expected, redact(raw));
    }
    return { name, role: role as Role, secret };
  });
  const names = new Set(keys.map((k) => k.name));
  const secrets = new Set(keys.map((k) => k.secret));
  if (names.size !== keys.length || secrets.size !== keys.length) {
    throw new ConfigError('API_KEYS', `${expected}, names and secrets unique`, redact(raw));
  }
  return keys;
}

/** Secrets never reach a log line, not even in the message about a malformed value. */
function redact(raw: string): string {
  return raw
    .split(',')
    .map((entry) => entry.split(':').slice(0, 2).join(':') + ':***')
    .join(',');
}

/** `PUBLIC_BASE_URL`, or the address the service listens on as seen from the machine itself. */
function publicBaseUrl(env: Env, host: string, port: number): string {
  const raw = env.PUBLIC_BASE_URL;
  if (raw === undefined || raw === '') {
    const local = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
    return `http://${local}:${port}`;
  }
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    // Reported below, as any other value that is not an http(s) URL.
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash) {
    throw new ConfigError(
      'PUBLIC_BASE_URL',
      'an http(s) URL without query or fragment, e.g. https://tracker.example.org',
      raw,
    );
  }
  return url.href.replace(/\/+$/, '');
}

export function loadConfig(env: Env = process.env): AppConfig {
  const logLevel = (env.LOG_LEVEL ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `one of ${LOG_LEVELS.join(', ')}`, env.LOG_LEVEL);
  }
  const url = databaseUrl(env);
  const dataDir = env.DATA_DIR === undefined || env.DATA_DIR === '' ? './data' : env.DATA_DIR;
  if (dataDir.startsWith('memory:') && dataDir !== MEMORY_DATA_DIR) {
    throw new ConfigError(
      'DATA_DIR',
      `a directory path, or ${MEMORY_DATA_DIR} for a throw-away database`,
      dataDir,
    );
  }
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST && env.HOST !== '' ? env.HOST : '0.0.0.0';
  return {
    port,
    host,
    publicBaseUrl: publicBaseUrl(env, host, port),
    databaseUrl: url,
    dataDir: dataDir === MEMORY_DATA_DIR ? dataDir : path.resolve(dataDir),
    dataDirLockWaitMs: integer(env, 'DATA_DIR_LOCK_WAIT_MS', 5000, 0, 60000),
    dataDirTemplate: BUILT_DATA_DIR_TEMPLATE,
    apiKeys: apiKeys(env),
    apiKeyRefreshMs: integer(env, 'API_KEY_REFRESH_MS', 5000, 100, 600000),
    logLevel,
    seed: bool(env, 'SEED', true),
    importMaxBytes: integer(env, 'IMPORT_MAX_BYTES', DEFAULT_IMPORT_MAX_BYTES, 1024, 2 ** 40),
    eventStoreGroupCommit: bool(env, 'EVENT_STORE_GROUP_COMMIT', true),
    database: {
      // The embedded engine is one PostgreSQL session: a second pooled connection would share it.
      poolSize: url ? integer(env, 'DATABASE_POOL_SIZE', 20, 1, 500) : 1,
      // On PostgreSQL the defaults answer a request, with a 503 at worst, within 3.5 s of the database
      // going silent (the longer of connect and statement + margin); a cut connection fails at once.
      // Embedded, the wait is for the engine's one connection, which a projection batch may hold a while.
      connectTimeoutMs: integer(env, 'DATABASE_CONNECT_TIMEOUT_MS', url ? 2000 : 10000, 100, 120000),
      statementTimeoutMs: integer(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 2500, 100, 600000),
      backgroundStatementTimeoutMs: integer(
        env,
        'DATABASE_BACKGROUND_STATEMENT_TIMEOUT_MS',
        300000,
        1000,
        86400000,
      ),
    },
  };
}
