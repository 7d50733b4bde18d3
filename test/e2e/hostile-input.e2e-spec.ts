import fc from 'fast-check';
import { DEVELOPMENT_ACTION_NAMES } from '../../src/commitments/write/development-actions.js';
import { bearer, createTestApp, type TestApp } from '../support/test-app.js';
import { TEST_ENGINES } from '../support/test-database.js';

const ACTIONS = DEVELOPMENT_ACTION_NAMES.filter((action) => action !== 'propose');

const source = { title: 'Fuzzing desk notes' };

/** Values that look almost right: the shapes a careless client or an attacker sends. */
const nearlyValid = fc.oneof(
  fc.constantFrom(
    '2024-10-11',
    '2024-02-30',
    '2099-01-01',
    '2024-10-11T09:00:00+07:00',
    '2024-10-11T09:00',
    'yesterday',
  ),
  fc.constantFrom('US', 'us', 'ASEAN', 'X', 'TOO-LONG-PARTY-CODE-1', ''),
  fc.constantFrom(-1, 0, 1, 2, 0.5, 1e308, Number.MAX_SAFE_INTEGER),
  fc.constantFrom(null, true, [], {}, [1, 2], { $ne: 1 }, '\u0000', "'; DROP TABLE events; --"),
  fc.string({ maxLength: 40 }),
  fc.string({ minLength: 1001, maxLength: 1200 }),
);

const FIELDS = [
  'occurredAt',
  'source',
  'meeting',
  'speaker',
  'stance',
  'summary',
  'adoptedBy',
  'witnessedBy',
  'party',
  'effectiveOn',
  'reason',
  'score',
  'rationale',
  'supersededBy',
  'dueDate',
  'reviewOn',
  'note',
  'eventId',
  'metrics',
  'title',
  'kind',
  'parties',
  'proposedBy',
  '__proto__',
  'constructor',
];

const hostileBody = fc.oneof(
  fc.dictionary(fc.constantFrom(...FIELDS), fc.oneof(nearlyValid, fc.constant(source)), { maxKeys: 8 }),
  fc.jsonValue({ maxDepth: 3 }),
);

describe.each(TEST_ENGINES)('hostile input on %s', (engineName) => {
  let app: TestApp;
  const eventCount = async () =>
    Number((await app.query<{ n: string }>('SELECT count(*) AS n FROM events'))[0].n);

  beforeAll(async () => {
    app = await createTestApp(engineName);
    await app.http
      .post('/commitments')
      .set('Authorization', bearer(app.keys.analyst))
      .send({
        id: 'fuzz-target',
        title: 'Fuzz target accord',
        kind: 'agreement',
        parties: ['AA', 'BB'],
        proposedBy: 'AA',
        occurredAt: '2024-01-01',
        source,
      })
      .expect(201);
  });
  afterAll(() => app.close());

  it('never answers 5xx, and appends exactly when it answers 201', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ACTIONS), hostileBody, async (action, body) => {
        const before = await eventCount();
        const res = await app.http
          .post(`/commitments/fuzz-target/${action}`)
          .set('Authorization', bearer(app.keys.analyst))
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(body));
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(await eventCount()).toBe(before + (res.status === 201 ? 1 : 0));
      }),
      { numRuns: 150 },
    );
  });

  it('never answers 5xx to hostile query strings', async () => {
    const param = fc.oneof(fc.string({ maxLength: 30 }), nearlyValid.map(String));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          'status',
          'party',
          'topic',
          'kind',
          'overdue',
          'q',
          'limit',
          'cursor',
          'asOf',
          'knownAt',
          'x',
        ),
        param,
        async (name, value) => {
          const query = `${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
          for (const path of [
            '/commitments',
            '/commitments/fuzz-target',
            '/commitments/fuzz-target/history',
          ]) {
            const res = await app.http.get(`${path}?${query}`).set('Authorization', bearer(app.keys.reader));
            expect(res.status).toBeLessThan(500);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
