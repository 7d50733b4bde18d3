import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bearer, createTestApp, pause, type TestApp } from '../support/test-app.js';
import { createTestDatabase, TEST_ENGINES, type TestDatabase } from '../support/test-database.js';

const CLI = path.resolve(import.meta.dirname, '../../dist/src/auth/keys.cli.js');

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run keys -- …` as the compiled script, in an environment of its own (nothing inherited but PATH). */
function keys(env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

function secretIn(output: string): string {
  const match = /Authorization: Bearer (ct_[A-Za-z0-9_-]{43})\n/.exec(output);
  if (!match) throw new Error(`no key printed in: ${output}`);
  return match[1];
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (const started = Date.now(); !(await check()); await pause(50)) {
    if (Date.now() - started > 15_000) throw new Error(`not within 15 s: ${what}`);
  }
}

beforeAll(async () => {
  // `npm test` builds first; a build running at the same moment (nest build empties dist/) is waited for.
  for (let waited = 0; !fs.existsSync(CLI) && waited < 30_000; waited += 500) await pause(500);
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: build it with npx nest build`);
});

describe('npm run keys without a database', () => {
  it('explains its usage (exit 2) and refuses while API_KEYS is set (exit 1), touching nothing', async () => {
    const usage = await keys({ DATA_DIR: 'memory://' }, 'create', 'only-a-name');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/usage: npm run keys -- list/);
    const badName = await keys({ DATA_DIR: 'memory://' }, 'create', 'no spaces', 'admin');
    expect(badName.code).toBe(2);
    expect(badName.stderr).toMatch(/cannot name a key/);
    const badRole = await keys({ DATA_DIR: 'memory://' }, 'create', 'ok-name', 'root');
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toMatch(/"root" is not a role/);
    const configured = await keys(
      { DATA_DIR: 'memory://', API_KEYS: 'ops:admin:a-long-enough-secret' },
      'create',
      'ops-2',
      'admin',
    );
    expect(configured.code).toBe(1);
    expect(configured.stderr).toMatch(/API_KEYS is set/);
    expect(configured.stderr).not.toContain('a-long-enough-secret');
  });
});

describe('npm run keys on the embedded engine', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let app: TestApp | undefined;

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keys-cli-'));
    env = { DATA_DIR: dataDir };
  });
  afterAll(async () => {
    await app?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates, lists and refuses to revoke the last admin key; a server then starts with it', async () => {
    const created = await keys(env, 'create', 'ops-2', 'admin');
    expect(created).toEqual(expect.objectContaining({ code: 0 }));
    const secret = secretIn(created.stdout);

    const listed = await keys(env, 'list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^NAME\s+ROLE\s+CREATED\s+CREATED BY\s+REVOKED\n/);
    expect(listed.stdout).toMatch(/\nops-2\s+admin\s+\S+\s+npm run keys\s+active\n/);
    expect(listed.stdout).not.toContain(secret);
    expect(listed.stdout).not.toMatch(/[0-9a-f]{64}/);

    const last = await keys(env, 'revoke', 'ops-2');
    expect(last.code).toBe(1);
    expect(last.stderr).toMatch(/last active admin key/);

    const database: TestDatabase = { engineName: 'embedded', env, drop: async () => undefined };
    const write = process.stdout.write;
    let printed = '';
    process.stdout.write = ((chunk: string | Uint8Array) => {
      printed += String(chunk);
      return true;
    }) as typeof process.stdout.write;
    try {
      app = await createTestApp('embedded', { API_KEYS: '' }, { database });
    } finally {
      process.stdout.write = write;
    }
    // The table is not empty, so no key of its own is generated and printed.
    expect(printed).not.toMatch(/Bearer ct_/);
    expect((await app.http.get('/admin/keys').set('Authorization', bearer(secret))).status).toBe(200);
  });

  it('says clearly that a running server holds DATA_DIR', async () => {
    const busy = await keys(env, 'list');
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(/is in use by process \d+/);
    expect(busy.stderr).toMatch(/stop the server/);
    expect(busy.stderr).toMatch(/POST \/admin\/keys/);
  });
});

const onPostgres = TEST_ENGINES.includes('postgres') ? describe : describe.skip;

onPostgres('npm run keys next to a running server on PostgreSQL', () => {
  let database: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    app = await createTestApp('postgres', { API_KEYS: '', API_KEY_REFRESH_MS: '300' }, { database });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('a key it creates is accepted by the server, and refused once it revokes it', async () => {
    const created = await keys(database.env, 'create', 'recovered', 'analyst');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/accept it within a second/);
    const secret = secretIn(created.stdout);
    const works = async () =>
      (await app.http.get('/commitments').set('Authorization', bearer(secret))).status;
    await eventually(async () => (await works()) === 200, 'the server accepts the new key');

    const revoked = await keys(database.env, 'revoke', 'recovered');
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(/Revoked the analyst key "recovered"/);
    await eventually(async () => (await works()) === 401, 'the server refuses the revoked key');
    const listed = await keys(database.env, 'list');
    expect(listed.stdout).toMatch(/\nrecovered\s+analyst\s+\S+\s+npm run keys\s+\d{4}-\d\d-\d\dT/);
  });
});
