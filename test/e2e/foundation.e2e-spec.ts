import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import { Client } from 'pg';
import type { Response } from 'supertest';
import { DEVELOPMENT_ACTION_NAMES } from '../../src/commitments/write/development-actions.js';
import { ConfigError, loadConfig } from '../../src/config/app-config.js';
import { bearer, createTestApp, pause, type TestApp } from '../support/test-app.js';
import { createTestDatabase, TEST_ENGINES, type EngineName } from '../support/test-database.js';
import { developmentUrl, expectFieldError, expectProblem, proposal, UUID } from './e2e-fixtures.js';

type Role = 'reader' | 'analyst' | 'admin';
const RANK: Record<Role, number> = { reader: 1, analyst: 2, admin: 3 };

const PROBE_ID = 'probe-commitment';

/** Every operation of API.md: its method, its OpenAPI path (parameters as `{}`), and a concrete URL. */
const CONTRACT: [method: 'get' | 'post', path: string, url: string][] = [
  ['get', '/health', '/health'],
  ['get', '/commitments', '/commitments'],
  ...DEVELOPMENT_ACTION_NAMES.map((action): ['post', string, string] => [
    'post',
    developmentUrl(action, '{}'),
    developmentUrl(action, PROBE_ID),
  ]),
  ['get', '/commitments/{}', `/commitments/${PROBE_ID}`],
  ['get', '/commitments/{}/history', `/commitments/${PROBE_ID}/history`],
  ['get', '/parties/{}', '/parties/US'],
  ['get', '/follow-ups', '/follow-ups'],
  ['get', '/events', '/events'],
  ['get', '/admin/projections', '/admin/projections'],
  ['post', '/admin/projections/rebuild', '/admin/projections/rebuild'],
  ['get', '/admin/projections/verify', '/admin/projections/verify'],
];

describe('configuration', () => {
  const base = { LOG_LEVEL: 'silent', DATA_DIR: 'memory://' };

  it.each([
    ['PORT', 'abc', /integer from 0 to 65535/],
    ['PORT', '99999', /integer from 0 to 65535/],
    ['DATABASE_URL', 'nonsense', /postgres:\/\//],
    ['DATABASE_URL', 'mysql://u@h/db', /postgres/],
    ['LOG_LEVEL', 'loud', /fatal, error, warn, info, debug, trace, silent/],
    ['API_KEYS', 'bad', /name:role:secret/],
    ['API_KEYS', 'alice:superuser:long-enough-secret', /reader\|analyst\|admin/],
    ['API_KEYS', 'alice:analyst:short', /at least 12 characters/],
    ['SEED', 'maybe', /"true" or "false"/],
    ['DATA_DIR', 'memory://x', /directory/],
    ['DATABASE_CONNECT_TIMEOUT_MS', '5', /integer from/],
  ])('refuses %s=%s with a one-line message naming it and what it expects', (variable, value, expected) => {
    let thrown: unknown;
    try {
      loadConfig({ ...base, [variable]: value });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const message = (thrown as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toContain(variable);
    expect(message).toMatch(/expected/i);
    expect(message).toMatch(expected);
  });

  it('never repeats an API_KEYS secret in its message', () => {
    expect(() => loadConfig({ ...base, API_KEYS: 'alice:analyst:tiny-secret' })).toThrow(ConfigError);
    try {
      loadConfig({ ...base, API_KEYS: 'ok:admin:a-long-enough-secret,alice:analyst:tiny' });
    } catch (error) {
      expect((error as Error).message).not.toContain('a-long-enough-secret');
      expect((error as Error).message).not.toContain('tiny');
    }
  });

  it('accepts a valid environment', () => {
    const config = loadConfig({
      ...base,
      PORT: '8080',
      API_KEYS: 'alice:analyst:s3cret-value-1,ops:admin:other-secret-2',
      SEED: 'false',
    });
    expect(config.port).toBe(8080);
    expect(config.apiKeys).toEqual([
      { name: 'alice', role: 'analyst', secret: 's3cret-value-1' },
      { name: 'ops', role: 'admin', secret: 'other-secret-2' },
    ]);
    expect(config.seed).toBe(false);
  });

  it('stops the real process with exit code 1 and one line on stderr naming the variable', async () => {
    const main = path.resolve(import.meta.dirname, '../../dist/src/main.js');
    // `npm test` builds first; a build running at the same moment (nest build empties dist/) is waited for.
    for (let waited = 0; !fs.existsSync(main) && waited < 30_000; waited += 500) await pause(500);
    if (!fs.existsSync(main)) throw new Error(`${main} is missing: build it with npx nest build`);
    const result = spawnSync(process.execPath, [main], {
      env: { PATH: process.env.PATH ?? '', PORT: '99999', LOG_LEVEL: 'silent', DATA_DIR: 'memory://' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.replace(/\n$/, '').split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('PORT');
    expect(lines[0]).toMatch(/expected an integer from 0 to 65535/);
  });
});

describe.each(TEST_ENGINES)('HTTP foundation on %s', (engineName: EngineName) => {
  let t: TestApp;
  const auth = (role: Role) => ({ Authorization: bearer(t.keys[role]) });

  beforeAll(async () => {
    t = await createTestApp(engineName);
  });
  afterAll(() => t?.close());

  describe('public endpoints', () => {
    it('GET /health answers 200 { status: "ok", database: "up" } without a key', async () => {
      const res = await t.http.get('/health');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({ status: 'ok', database: 'up' });
    });

    it('GET /docs serves the Swagger UI as HTML without a key', async () => {
      const res = await t.http.get('/docs').redirects(2);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toMatch(/swagger/i);
    });

    it('GET /docs-json is an OpenAPI 3 document listing every path of API.md that exists', async () => {
      const res = await t.http.get('/docs-json');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/json/);
      const doc = JSON.parse(res.text) as { openapi: string; paths: Record<string, Record<string, unknown>> };
      expect(doc.openapi).toMatch(/^3\./);
      const normalise = (p: string) => p.replace(/\{[^}]+\}/g, '{}');
      const documented = new Set(
        Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${normalise(p)}`)),
      );
      const existing: string[] = [];
      for (const [method, p, probe] of CONTRACT) {
        // A body that fails validation: a write route answers 400 (or 404 for the unknown commitment).
        const req = method === 'get' ? t.http.get(probe) : t.http.post(probe).send({});
        const probed = await req.set(auth('admin'));
        const routeMissing = probed.status === 404 && /^Cannot (GET|POST) /.test(String(probed.body?.detail));
        if (!routeMissing) existing.push(`${method} ${p}`);
      }
      expect(existing).toEqual(
        expect.arrayContaining(['get /health', 'get /commitments', 'post /commitments']),
      );
      for (const operation of existing) expect([...documented]).toContain(operation);
    });
  });

  describe('x-request-id', () => {
    it('echoes a given request id', async () => {
      const res = await t.http.get('/health').set('x-request-id', 'trace-abc.123');
      expect(res.headers['x-request-id']).toBe('trace-abc.123');
    });

    it('generates one when none is given, on errors too', async () => {
      const ok = await t.http.get('/health');
      expect(ok.headers['x-request-id']).toMatch(UUID);
      const denied = await t.http.get('/commitments');
      expect(denied.headers['x-request-id']).toMatch(UUID);
      const again = await t.http.get('/health');
      expect(again.headers['x-request-id']).not.toBe(ok.headers['x-request-id']);
    });
  });

  describe('problem+json for every error status', () => {
    it('400 for malformed JSON', async () => {
      const res = await t.http
        .post('/commitments')
        .set(auth('analyst'))
        .set('Content-Type', 'application/json')
        .send('{"title": "unterminated');
      expectProblem(res, 400);
    });

    it('400 for failed validation, with the field path of each failure', async () => {
      const res = await t.http
        .post('/commitments')
        .set(auth('analyst'))
        .send(proposal({ source: { publisher: 'No title here' } }));
      expectFieldError(res, 'source.title');
    });

    it('401 without a key, with WWW-Authenticate: Bearer', async () => {
      const res = await t.http.get('/commitments');
      expectProblem(res, 401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    });

    it('401 for an unknown key and for a malformed Authorization header', async () => {
      const unknown = await t.http.get('/commitments').set('Authorization', bearer('not-a-known-key-123'));
      expectProblem(unknown, 401);
      expect(unknown.headers['www-authenticate']).toMatch(/^Bearer/);
      const basic = await t.http.get('/commitments').set('Authorization', 'Basic dXNlcjpwYXNz');
      expectProblem(basic, 401);
    });

    it('403 when the role is too low', async () => {
      const res = await t.http.post('/commitments').set(auth('reader')).send(proposal());
      const body = expectProblem(res, 403);
      expect(body.detail).toMatch(/analyst/);
    });

    it('404 for an unknown route and an unknown commitment', async () => {
      expectProblem(await t.http.get('/no-such-route').set(auth('admin')), 404);
      expectProblem(await t.http.get('/commitments/no-such-commitment').set(auth('reader')), 404);
    });

    it('413 for a body over 1 MiB', async () => {
      const body = JSON.stringify(proposal({ summary: 'x'.repeat(1024 * 1024 + 10) }));
      const res = await t.http
        .post('/commitments')
        .set(auth('analyst'))
        .set('Content-Type', 'application/json')
        .send(body);
      expectProblem(res, 413);
    });

    it.each([
      ['text/plain', 'just words'],
      ['application/x-www-form-urlencoded', 'title=Accord&kind=pledge'],
      [
        'multipart/form-data; boundary=xyz',
        '--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--xyz--',
      ],
    ])('415 for a POST sent as %s', async (contentType, body) => {
      const res = await t.http
        .post('/commitments')
        .set(auth('analyst'))
        .set('Content-Type', contentType)
        .send(body);
      expectProblem(res, 415);
    });

    it.each([
      ['a malformed percent-encoding in the path', '/commitments/%E0%A4%A'],
      ['a path parameter longer than the router allows', `/commitments/${'a'.repeat(120)}`],
      ['the same under /history', `/commitments/${'a'.repeat(120)}/history`],
    ])("a 4xx problem+json, not the router's own JSON, for %s", async (_what, path) => {
      const res = await t.http.get(path).set(auth('reader'));
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expectProblem(res, res.status);
    });
  });

  describe('access by role', () => {
    const routes: {
      name: string;
      least: Role;
      send: (headers: Record<string, string>) => Promise<Response>;
    }[] = [
      {
        name: 'GET /commitments',
        least: 'reader',
        send: (headers) => t.http.get('/commitments').set(headers),
      },
      {
        name: 'POST /commitments',
        least: 'analyst',
        send: (headers) => t.http.post('/commitments').set(headers).send(proposal()),
      },
      {
        name: 'GET /admin/projections',
        least: 'admin',
        send: (headers) => t.http.get('/admin/projections').set(headers),
      },
      {
        name: 'GET /admin/projections/verify',
        least: 'admin',
        send: (headers) => t.http.get('/admin/projections/verify?sample=5').set(headers),
      },
    ];

    for (const route of routes) {
      for (const role of ['reader', 'analyst', 'admin'] as const) {
        const allowed = RANK[role] >= RANK[route.least];
        it(`${route.name} as ${role} → ${allowed ? '2xx' : '403'}`, async () => {
          const res = await route.send(auth(role));
          if (!allowed) expectProblem(res, 403);
          else if (res.status < 200 || res.status >= 300) throw new Error(`${res.status}: ${res.text}`);
        });
      }
      it(`${route.name} without a key or with an unknown key → 401`, async () => {
        expectProblem(await route.send({}), 401);
        expectProblem(await route.send({ Authorization: bearer('unknown-key-0000000') }), 401);
      });
    }

    it.each(CONTRACT.filter(([, p]) => p !== '/health'))(
      '%s %s needs a key: 401 without one or with an unknown one',
      async (method, _path, url) => {
        for (const headers of [{}, { Authorization: bearer('unknown-key-0000000') }]) {
          const req = method === 'get' ? t.http.get(url) : t.http.post(url).send({});
          const res = await req.set(headers);
          expectProblem(res, 401);
          expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
        }
      },
    );

    it('a reader cannot POST developments under /commitments/:id', async () => {
      const created = await t.http.post('/commitments').set(auth('analyst')).send(proposal());
      expect(created.status).toBe(201);
      const res = await t.http
        .post(`/commitments/${created.body.commitmentId}/completions`)
        .set(auth('reader'))
        .send({ occurredAt: '2024-05-01', source: { title: 'x' } });
      expectProblem(res, 403);
    });

    it('an analyst cannot rebuild projections', async () => {
      expectProblem(await t.http.post('/admin/projections/rebuild').set(auth('analyst')).send({}), 403);
    });

    it("records the key's name as recordedBy", async () => {
      const byAnalyst = await t.http.post('/commitments').set(auth('analyst')).send(proposal());
      const byAdmin = await t.http.post('/commitments').set(auth('admin')).send(proposal());
      expect(byAnalyst.status).toBe(201);
      expect(byAdmin.status).toBe(201);
      const history = async (id: string) =>
        (await t.http.get(`/commitments/${id}/history`).set(auth('reader'))).body as {
          events: { recordedBy: string }[];
        };
      expect((await history(byAnalyst.body.commitmentId)).events[0].recordedBy).toBe('analyst');
      expect((await history(byAdmin.body.commitmentId)).events[0].recordedBy).toBe('admin');
    });
  });

  describe('first start without API_KEYS', () => {
    it('creates one admin key, prints it once, stores only its hash, and a restart reuses it', async () => {
      const database = await createTestDatabase(engineName);
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-keys-'));
      const env: Record<string, string> = { API_KEYS: '' };
      if (engineName === 'embedded') env.DATA_DIR = dataDir;
      const printed: string[] = [];
      const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
        printed.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        return true;
      });
      try {
        const first = await createTestApp(engineName, env, { database });
        let secret: string;
        try {
          const output = printed.join('');
          const matches = [...output.matchAll(/Bearer (\S+)/g)];
          expect(matches).toHaveLength(1);
          secret = matches[0][1];
          const rows = await first.query<{ name: string; role: string; secret_sha256: string }>(
            'SELECT name, role, secret_sha256 FROM api_keys',
          );
          expect(rows).toHaveLength(1);
          expect(rows[0].role).toBe('admin');
          expect(rows[0].secret_sha256).not.toBe(secret);
          expect(rows[0].secret_sha256).not.toContain(secret);
          expect(rows[0].secret_sha256).toBe(createHash('sha256').update(secret).digest('hex'));
          const res = await first.http.get('/commitments').set('Authorization', bearer(secret));
          expect(res.status).toBe(200);
        } finally {
          await first.close();
        }

        printed.length = 0;
        const second = await createTestApp(engineName, env, { database });
        try {
          expect(printed.join('')).not.toMatch(/Bearer/);
          const rows = await second.query('SELECT name FROM api_keys');
          expect(rows).toHaveLength(1);
          expect((await second.http.get('/commitments').set('Authorization', bearer(secret))).status).toBe(
            200,
          );
          expectProblem(await second.http.get('/commitments').set('Authorization', bearer('ct_wrong')), 401);
          // The fixed test keys are not configured here.
          expectProblem(await second.http.get('/commitments').set(auth('admin')), 401);
        } finally {
          await second.close();
        }
      } finally {
        spy.mockRestore();
        await database.drop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });

  describe('graceful shutdown', () => {
    it('lets in-flight requests finish with 2xx when the app closes', async () => {
      const own = await createTestApp(engineName);
      try {
        for (let i = 0; i < 10; i++) {
          const created = await own.http
            .post('/commitments')
            .set({ Authorization: bearer(own.keys.analyst) })
            .send(proposal());
          expect(created.status).toBe(201);
        }
        const server = own.app.getHttpServer();
        let received = 0;
        server.on('request', () => received++);
        const count = 48;
        let settled = 0;
        const requests = Array.from({ length: count }, () =>
          own.http
            .get('/commitments?limit=200')
            .set({ Authorization: bearer(own.keys.reader) })
            .then((res) => {
              settled++;
              return res.status;
            }),
        );
        const deadline = Date.now() + 10_000;
        while (received < count && Date.now() < deadline) await new Promise((r) => setImmediate(r));
        expect(received).toBe(count);
        const settledAtClose = settled;
        await own.close();
        const statuses = await Promise.all(requests);
        expect(statuses.filter((s) => s < 200 || s >= 300)).toEqual([]);
        // Otherwise the test proved nothing: some requests were still being served when close began.
        expect(settledAtClose).toBeLessThan(count);
      } finally {
        await own.close();
      }
    });
  });

  describe('database unreachable', () => {
    if (engineName !== 'postgres') {
      it('cannot be simulated on the embedded engine (it lives in the process)', () => {
        expect(engineName).toBe('embedded');
      });
      return;
    }

    it('answers 503 problem+json within the timeouts, never hangs, and recovers', async () => {
      const database = await createTestDatabase('postgres');
      const own = await createTestApp('postgres', { DATABASE_CONNECT_TIMEOUT_MS: '1000' }, { database });
      const name = new URL(database.env.DATABASE_URL).pathname.slice(1);
      const admin = new Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      const reader = { Authorization: bearer(own.keys.reader) };
      const analyst = { Authorization: bearer(own.keys.analyst) };
      try {
        expect((await own.http.get('/commitments').set(reader)).status).toBe(200);
        await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
        await admin.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [name],
        );

        const started = Date.now();
        const health = await own.http.get('/health').timeout(10_000);
        expect(health.status).toBe(503);
        expect(health.body.database).toBe('down');
        expectProblem(health, 503);

        expectProblem(await own.http.get('/commitments').set(reader).timeout(10_000), 503);
        expectProblem(await own.http.get('/commitments/anything').set(reader).timeout(10_000), 503);
        expectProblem(await own.http.post('/commitments').set(analyst).send(proposal()).timeout(10_000), 503);
        expect(Date.now() - started).toBeLessThan(20_000);

        await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
        const recovered = await own.http.get('/health').timeout(10_000);
        expect(recovered.status).toBe(200);
        expect(recovered.body).toEqual({ status: 'ok', database: 'up' });
      } finally {
        await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`).catch(() => undefined);
        await admin.end();
        await own.close().catch(() => undefined);
        await database.drop();
      }
    });
  });
});
