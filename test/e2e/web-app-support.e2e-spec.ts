import { bearer, createTestApp, type TestApp } from '../support/test-app.js';
import { TEST_ENGINES } from '../support/test-database.js';
import { expectFieldError, expectProblem, proposal, unique } from './e2e-fixtures.js';

/** What the web app needs from the server: its pages and their headers, GET /me, and the status counts. */
describe.each(TEST_ENGINES)('web app support on %s', (engineName) => {
  let t: TestApp;
  const get = (path: string, role: keyof TestApp['keys'] = 'reader') =>
    t.http.get(path).set('Authorization', bearer(t.keys[role]));

  beforeAll(async () => {
    t = await createTestApp(engineName);
  });
  afterAll(() => t?.close());

  describe('the pages', () => {
    it.each(['/', '/commitment/some-id', '/party/VN', '/agenda', '/projections'])(
      'GET %s answers the app without a key, with a CSP that allows no inline script',
      async (path) => {
        const res = await t.http.get(path);
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.text).toMatch(/<script type="module" crossorigin src="\/assets\/[^"]+\.js"><\/script>/);
        const csp = res.headers['content-security-policy'] as string;
        expect(csp).toContain("script-src 'self'");
        expect(csp).toContain("default-src 'none'");
        expect(csp).toContain("require-trusted-types-for 'script'");
        expect(csp).not.toContain('unsafe-inline');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
      },
    );

    it('serves the hashed assets gzipped and for good, and nothing outside them', async () => {
      const page = await t.http.get('/');
      const script = /src="(\/assets\/[^"]+\.js)"/.exec(page.text)![1];
      const asset = await t.http.get(script).set('Accept-Encoding', 'gzip');
      expect(asset.status).toBe(200);
      expect(asset.headers['content-type']).toMatch(/javascript/);
      expect(asset.headers['content-encoding']).toBe('gzip');
      expect(asset.headers['cache-control']).toMatch(/immutable/);
      const plain = await t.http.get(script).set('Accept-Encoding', 'identity');
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.text).toBe(asset.text);
      const outside = await t.http.get('/assets/%2e%2e/%2e%2e/package.json');
      expect([403, 404]).toContain(outside.status);
      expectProblem(outside, outside.status);
    });

    it('leaves the API, its 404s and Swagger UI as they were', async () => {
      expectProblem(await t.http.get('/commitments/some-id'), 401);
      expectProblem(await get('/no-such-page'), 404);
      const docs = await t.http.get('/docs').redirects(2);
      expect(docs.status).toBe(200);
      expect(docs.headers['content-security-policy']).toBeUndefined();
    });
  });

  describe('GET /me', () => {
    it.each(['reader', 'analyst', 'admin'] as const)('names the key and its role for a %s', async (role) => {
      const res = await get('/me', role);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ name: role, role });
    });

    it('is 401 without a key or with an unknown one, and documented', async () => {
      expectProblem(await t.http.get('/me'), 401);
      expectProblem(await t.http.get('/me').set('Authorization', bearer('unknown-key-0000000')), 401);
      const doc = (await t.http.get('/docs-json')).body as { paths: Record<string, unknown> };
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/me', '/statistics/commitments']));
    });
  });

  describe('GET /statistics/commitments', () => {
    it('counts every status, 0 included, with the filters of the list', async () => {
      const topic = unique('counted');
      const post = (path: string, body: object) =>
        t.http.post(path).set('Authorization', bearer(t.keys.analyst)).send(body);
      const ids = [unique('c'), unique('c'), unique('c')];
      for (const id of ids)
        expect((await post('/commitments', proposal({ id, topics: [topic] }))).status).toBe(201);
      const adoption = { adoptedBy: ['NP', 'BT'], occurredAt: '2024-05-01', source: { title: 'Minutes' } };
      expect((await post(`/commitments/${ids[0]}/adoptions`, adoption)).status).toBe(201);

      const res = await get(`/statistics/commitments?topic=${topic}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        total: 3,
        byStatus: {
          proposed: 2,
          under_negotiation: 0,
          adopted: 1,
          in_progress: 0,
          in_force: 0,
          completed: 0,
          suspended: 0,
          superseded: 0,
          withdrawn: 0,
        },
      });
      const list = await get(`/commitments?topic=${topic}&status=proposed`);
      expect(list.body.items).toHaveLength(res.body.byStatus.proposed);
      expect((await get(`/statistics/commitments?topic=${topic}&kind=declaration`)).body.total).toBe(0);
    });

    it('refuses what the list refuses, and the status and paging it does not take', async () => {
      expectFieldError(await get('/statistics/commitments?kind=treaty'), 'kind');
      expectFieldError(await get('/statistics/commitments?overdue=maybe'), 'overdue');
      expectProblem(await get('/statistics/commitments?status=adopted'), 400);
      expectProblem(await get('/statistics/commitments?limit=5'), 400);
      expectProblem(await t.http.get('/statistics/commitments'), 401);
    });
  });
});
