import { ConfigError, loadConfig } from './app-config.js';

const POSTGRES = { DATABASE_URL: 'postgres://app@db:5432/tracker' };

describe('database timeouts in the configuration', () => {
  it('answers a request within 3.5 s of PostgreSQL going silent by default, and gives background work 5 min', () => {
    const { database } = loadConfig(POSTGRES);
    expect(database).toEqual({
      poolSize: 20,
      connectTimeoutMs: 2000,
      statementTimeoutMs: 2500,
      backgroundStatementTimeoutMs: 300_000,
    });
  });

  it('waits longer for the embedded engine, whose one connection a projection batch may hold', () => {
    expect(loadConfig({ DATA_DIR: 'memory://' }).database.connectTimeoutMs).toBe(10_000);
  });

  it('takes each timeout from its variable', () => {
    const config = loadConfig({
      ...POSTGRES,
      DATABASE_CONNECT_TIMEOUT_MS: '1500',
      DATABASE_STATEMENT_TIMEOUT_MS: '4000',
      DATABASE_BACKGROUND_STATEMENT_TIMEOUT_MS: '60000',
      DATA_DIR_LOCK_WAIT_MS: '0',
    });
    expect(config.database).toEqual(
      expect.objectContaining({
        connectTimeoutMs: 1500,
        statementTimeoutMs: 4000,
        backgroundStatementTimeoutMs: 60_000,
      }),
    );
    expect(config.dataDirLockWaitMs).toBe(0);
  });

  it.each([
    ['DATABASE_BACKGROUND_STATEMENT_TIMEOUT_MS', '500', /integer from 1000 to 86400000/],
    ['DATABASE_BACKGROUND_STATEMENT_TIMEOUT_MS', 'forever', /integer from 1000 to 86400000/],
    ['DATA_DIR_LOCK_WAIT_MS', '-1', /integer from 0 to 60000/],
    ['DATA_DIR_LOCK_WAIT_MS', '120000', /integer from 0 to 60000/],
  ])('refuses %s=%s, naming it and what it expects', (variable, value, expected) => {
    expect(() => loadConfig({ ...POSTGRES, [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...POSTGRES, [variable]: value })).toThrow(expected);
  });
});

describe('the public base URL', () => {
  it('defaults to the listening address as the machine itself reaches it', () => {
    expect(loadConfig({}).publicBaseUrl).toBe('http://localhost:3000');
    expect(loadConfig({ HOST: '127.0.0.1', PORT: '8080' }).publicBaseUrl).toBe('http://127.0.0.1:8080');
    expect(loadConfig({ HOST: '::1', PORT: '8080' }).publicBaseUrl).toBe('http://[::1]:8080');
  });

  it('takes PUBLIC_BASE_URL without its trailing slash', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://tracker.example.org/' }).publicBaseUrl).toBe(
      'https://tracker.example.org',
    );
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://example.org/tracker/' }).publicBaseUrl).toBe(
      'https://example.org/tracker',
    );
  });

  it.each(['tracker.example.org', 'ftp://example.org', 'https://example.org/?a=1', 'https://example.org/#x'])(
    'refuses PUBLIC_BASE_URL=%s',
    (value) => {
      expect(() => loadConfig({ PUBLIC_BASE_URL: value })).toThrow(ConfigError);
      expect(() => loadConfig({ PUBLIC_BASE_URL: value })).toThrow(/PUBLIC_BASE_URL.*an http\(s\) URL/);
    },
  );
});
