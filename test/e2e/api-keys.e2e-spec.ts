import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { LastAdminKeyError } from '../../src/auth/api-key.errors.js';
import { ApiKeyStore } from '../../src/auth/api-key.store.js';
import { bearer, createTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, TEST_ENGINES, type TestDatabase } from '../support/test-database.js';
import { expectFieldError, expectProblem } from './e2e-fixtures.js';

/** Starts apps with keys in the database (API_KEYS unset), returning what they printed on stdout. */
async function startPrinting<T>(start: () => Promise<T>): Promise<{ result: T; printed: string }> {
  const write = process.stdout.write;
  let printed = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    printed += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    return { result: await start(), printed };
  } finally {
    process.stdout.write = write;
  }
}

function printedKeys(printed: string): string[] {
  return [...printed.matchAll(/Authorization: Bearer (ct_[A-Za-z0-9_-]+)/g)].map((m) => m[1]);
}

/** Polls `check` until it holds; load can stretch propagation, so only the deadline is fixed. */
async function eventually(check: () => Promise<boolean>, what: string, deadlineMs = 15_000): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > deadlineMs) throw new Error(`not within ${deadlineMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Date.now() - started;
}

describe.each(TEST_ENGINES)('API keys in the database on %s', (engineName) => {
  let t: TestApp;
  let admin: string;
  const as = (secret: string) => ({ Authorization: bearer(secret) });
  const create = (secret: string, body: unknown) =>
    t.http
      .post('/admin/keys')
      .set(as(secret))
      .send(body as object);
  const activeAdmins = async () =>
    Number(
      (
        await t.query<{ n: string }>(
          `SELECT count(*) AS n FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL`,
        )
      )[0].n,
    );

  beforeAll(async () => {
    const started = await startPrinting(() => createTestApp(engineName, { API_KEYS: '' }));
    t = started.result;
    [admin] = printedKeys(started.printed);
  });
  afterAll(() => t?.close());

  it('prints one admin key on first start and stores only its SHA-256 digest', async () => {
    expect(admin).toMatch(/^ct_/);
    const rows = await t.query<Record<string, unknown>>('SELECT * FROM api_keys');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toEqual(
      expect.objectContaining({
        name: 'admin',
        role: 'admin',
        created_by: 'first start',
        secret_sha256: createHash('sha256').update(admin).digest('hex'),
      }),
    );
    expect(JSON.stringify(rows)).not.toContain(admin);
    expect((await t.http.get('/admin/keys').set(as(admin))).status).toBe(200);
  });

  it('creates a key that works at once with its role, shown once and never listed', async () => {
    const res = await create(admin, { name: 'desk-1', role: 'analyst' });
    expect(res.status).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      name: 'desk-1',
      role: 'analyst',
      createdAt: expect.any(String),
      createdBy: 'admin',
      revokedAt: null,
      revokedBy: null,
      secret: expect.stringMatching(/^ct_[A-Za-z0-9_-]{43}$/),
    });
    const secret = res.body.secret as string;
    expect((await t.http.get('/commitments').set(as(secret))).status).toBe(200);
    expectProblem(await t.http.get('/admin/keys').set(as(secret)), 403);

    const list = await t.http.get('/admin/keys').set(as(admin));
    expect(list.status).toBe(200);
    expect(list.body.source).toBe('database');
    expect(list.body.items.map((k: { name: string }) => k.name)).toEqual(['admin', 'desk-1']);
    expect(list.text).not.toContain(secret);
    expect(list.text).not.toMatch(/[0-9a-f]{64}/);
  });

  it('revokes a key: 204, refused at once, a second revocation 404, its name never reused', async () => {
    const { secret } = (await create(admin, { name: 'desk-2', role: 'reader' })).body as { secret: string };
    expect((await t.http.get('/commitments').set(as(secret))).status).toBe(200);
    const revoked = await t.http.delete('/admin/keys/desk-2').set(as(admin));
    expect(revoked.status).toBe(204);
    expect(revoked.text).toBe('');
    expectProblem(await t.http.get('/commitments').set(as(secret)), 401);
    const again = expectProblem(await t.http.delete('/admin/keys/desk-2').set(as(admin)), 404);
    expect(again.detail).toMatch(/already revoked/);
    const reuse = expectProblem(await create(admin, { name: 'desk-2', role: 'reader' }), 409);
    expect(reuse.type).toBe('/problems/api-key-name-taken');
    expect(reuse.detail).toMatch(/revoked/);
    expectProblem(await t.http.delete('/admin/keys/nobody-by-that-name').set(as(admin)), 404);
    const listed = (await t.http.get('/admin/keys').set(as(admin))).body.items as Record<string, unknown>[];
    expect(listed.find((k) => k.name === 'desk-2')).toEqual(
      expect.objectContaining({ revokedAt: expect.any(String), revokedBy: 'admin' }),
    );
  });

  it('refuses to revoke the last active admin key (409), and allows it once another exists', async () => {
    const last = expectProblem(await t.http.delete('/admin/keys/admin').set(as(admin)), 409);
    expect(last.type).toBe('/problems/last-admin-key');
    expect(last.detail).toMatch(/Create another admin key first/);
    const { secret } = (await create(admin, { name: 'ops-2', role: 'admin' })).body as { secret: string };
    expect((await t.http.delete('/admin/keys/admin').set(as(secret))).status).toBe(204);
    expectProblem(await t.http.get('/admin/keys').set(as(admin)), 401);
    expectProblem(await t.http.delete('/admin/keys/ops-2').set(as(secret)), 409);
    admin = secret;
  });

  it('lets exactly one of two concurrent revocations of the last two admin keys through', async () => {
    const store = new ApiKeyStore(t.app.get(DataSource));
    const other = await store.create('ops-3', 'admin', 'test');
    expect(await activeAdmins()).toBe(2);
    const outcomes = await Promise.allSettled([store.revoke('ops-2', 'test'), store.revoke('ops-3', 'test')]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(LastAdminKeyError);
    expect(await activeAdmins()).toBe(1);
    if (outcomes[0].status === 'fulfilled') admin = other.secret;
  });

  it('answers a bad request with one clear error per field', async () => {
    await eventually(
      async () => (await t.http.get('/admin/keys').set(as(admin))).status === 200,
      'the newest admin key is accepted',
    );
    const missing = await create(admin, {});
    expectFieldError(missing, 'name');
    expect(missing.body.errors).toEqual([
      { field: 'name', message: expect.stringMatching(/^name is required/) },
      { field: 'role', message: 'role is required; it must be one of reader, analyst, admin' },
    ]);
    const wrong = await create(admin, { name: 'has space', role: 'root', extra: 1 });
    expect(wrong.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'extra',
      'name',
      'role',
    ]);
    expectFieldError(await t.http.delete('/admin/keys/bad%20name').set(as(admin)), 'name');
  });
});

describe.each(TEST_ENGINES)('API keys from API_KEYS on %s', (engineName) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engineName);
  });
  afterAll(() => t?.close());

  it('lists the configured keys and refuses to change them, saying why', async () => {
    const list = await t.http.get('/admin/keys').set('Authorization', bearer(t.keys.admin));
    expect(list.status).toBe(200);
    expect(list.body).toEqual({
      source: 'environment',
      items: ['admin', 'analyst', 'reader'].map((name) =>
        expect.objectContaining({ name, role: name, createdBy: 'API_KEYS', createdAt: null }),
      ),
    });
    for (const secret of Object.values(t.keys)) expect(list.text).not.toContain(secret);
    const created = await t.http
      .post('/admin/keys')
      .set('Authorization', bearer(t.keys.admin))
      .send({ name: 'extra', role: 'reader' });
    const refused = expectProblem(created, 409);
    expect(refused.type).toBe('/problems/api-keys-from-environment');
    expect(refused.detail).toMatch(/API_KEYS/);
    expectProblem(await t.http.delete('/admin/keys/reader').set('Authorization', bearer(t.keys.admin)), 409);
    expect(await t.query('SELECT name FROM api_keys')).toEqual([]);
    expect((await t.http.get('/commitments').set('Authorization', bearer(t.keys.reader))).status).toBe(200);
  });
});

const onPostgres = TEST_ENGINES.includes('postgres') ? describe : describe.skip;

/** Several instances on one database: what one does to the keys reaches the others (PostgreSQL only). */
onPostgres('API keys across instances on one PostgreSQL', () => {
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let c: TestApp;
  let admin: string;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    // A and B re-read the keys only every minute, so that only an unknown key can make them see a new one.
    const slow = { API_KEYS: '', API_KEY_REFRESH_MS: '60000' };
    const started = await startPrinting(() =>
      Promise.all([
        createTestApp('postgres', slow, { database }),
        createTestApp('postgres', slow, { database }),
        createTestApp('postgres', { API_KEYS: '', API_KEY_REFRESH_MS: '300' }, { database }),
      ]),
    );
    [a, b, c] = started.result;
    const printed = printedKeys(started.printed);
    expect(printed).toHaveLength(1);
    admin = printed[0];
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close(), c?.close()]);
    await database?.drop();
  });

  it('three instances starting together create and print one admin key between them', async () => {
    for (const instance of [a, b, c]) {
      expect((await instance.http.get('/admin/keys').set('Authorization', bearer(admin))).status).toBe(200);
    }
  });

  it('a key created on one instance is accepted by another on first use', async () => {
    const res = await a.http
      .post('/admin/keys')
      .set('Authorization', bearer(admin))
      .send({ name: 'roaming', role: 'reader' });
    expect(res.status).toBe(201);
    const secret = res.body.secret as string;
    // B read the keys before "roaming" existed and re-reads them only on an unknown key (at most once a second).
    await eventually(
      async () => (await b.http.get('/commitments').set('Authorization', bearer(secret))).status === 200,
      'instance B accepts the new key',
    );
  });

  it('a key revoked on one instance is refused by the others within API_KEY_REFRESH_MS', async () => {
    const { secret } = (
      await a.http
        .post('/admin/keys')
        .set('Authorization', bearer(admin))
        .send({ name: 'leaving', role: 'reader' })
    ).body as { secret: string };
    await eventually(
      async () => (await c.http.get('/commitments').set('Authorization', bearer(secret))).status === 200,
      'instance C accepts the new key',
    );
    expect((await a.http.delete('/admin/keys/leaving').set('Authorization', bearer(admin))).status).toBe(204);
    expectProblem(await a.http.get('/commitments').set('Authorization', bearer(secret)), 401);
    await eventually(
      async () => (await c.http.get('/commitments').set('Authorization', bearer(secret))).status === 401,
      'instance C refuses the revoked key',
    );
  });
});
