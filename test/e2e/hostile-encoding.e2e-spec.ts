import fc from 'fast-check';
import type { Response } from 'supertest';
import { bearer, createTestApp, type TestApp } from '../support/test-app.js';
import { TEST_ENGINES } from '../support/test-database.js';
import { proposal } from './hostile-text.endpoints.js';
import {
  acceptableText,
  describeText,
  HOSTILE_SEED,
  hostileText,
  INVALID_UTF8,
  MALFORMED_PERCENT,
  percentEncode,
  unstorable,
} from './hostile-text.fixtures.js';

const TARGET = 'hostile-encoding-target';

/** Every query parameter the API reads, on its route; `q` is free text of at most 200 characters. */
const QUERY_PARAMETERS: readonly { path: string; name: string; max: number | null }[] = [
  ...['status', 'party', 'topic', 'kind', 'overdue', 'limit', 'cursor'].map((name) => ({
    path: '/commitments',
    name,
    max: null,
  })),
  { path: '/commitments', name: 'q', max: 200 },
  { path: `/commitments/${TARGET}`, name: 'asOf', max: null },
  { path: `/commitments/${TARGET}`, name: 'knownAt', max: null },
  { path: '/follow-ups', name: 'before', max: null },
  { path: '/events', name: 'after', max: null },
  { path: '/events', name: 'limit', max: null },
];

const PATH_TEMPLATES = [
  '/commitments/{}',
  '/commitments/{}/history',
  '/parties/{}',
  '/admin/projections/jobs/{}',
];

/** Header values can only carry Latin-1 without controls: hostile text folded into that range. */
function asHeaderValue(text: string): string {
  return Array.from(text)
    .map((c) => String.fromCharCode(c.charCodeAt(0) & 0xff))
    .filter((c) => c === '\t' || (c >= ' ' && c !== '\x7f'))
    .join('')
    .slice(0, 300);
}

const statement = (summary: string) => ({
  speaker: { name: 'A. Speaker', party: 'AA' },
  stance: 'notes',
  summary,
  occurredAt: '2024-03-01',
  source: { title: 'Desk notes' },
});

describe.each(TEST_ENGINES)('hostile encodings on %s', (engineName) => {
  let t: TestApp;
  const eventCount = async () =>
    Number((await t.query<{ n: string }>('SELECT count(*) AS n FROM events'))[0].n);

  /** No 5xx, problem+json for every error, and a 400 whose errors name `field` when `field` is given. */
  function expectAnswer(res: Response, context: string, badField?: string): void {
    const summary = { context, status: res.status };
    expect(summary).toEqual({ context, status: expect.any(Number) });
    expect(res.status < 500 ? summary : { ...summary, serverError: true }).toEqual(summary);
    if (res.status >= 400) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    // A URL too long for the HTTP parser (431) or the router (414) never gets as far as naming a field.
    if (badField === undefined || res.status === 431 || res.status === 414) return;
    expect({ context, status: res.status }).toEqual({ context, status: 400 });
    const fields = ((res.body.errors ?? []) as { field: string }[]).map((e) => e.field);
    expect({ context, fields }).toEqual({ context, fields: expect.arrayContaining([badField]) });
  }

  beforeAll(async () => {
    process.stdout.write(
      `hostile encodings on ${engineName}: fast-check seed ${HOSTILE_SEED} (HOSTILE_SEED)\n`,
    );
    t = await createTestApp(engineName);
    const res = await t.http
      .post('/commitments')
      .set('Authorization', bearer(t.keys.analyst))
      .send(proposal(TARGET));
    expect(res.status).toBe(201);
  });
  afterAll(() => t?.close());

  it('query parameters: percent-encoding that is not UTF-8, or text that cannot be stored, is a 400 naming it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...QUERY_PARAMETERS),
        hostileText,
        fc.option(fc.constantFrom(...MALFORMED_PERCENT), { freq: 3 }),
        fc.constantFrom('application/json', 'text/csv'),
        async ({ path, name, max }, text, junk, accept) => {
          const url = `${path}?${name}=${percentEncode(text)}${junk ?? ''}`;
          const res = await t.http.get(url).set('Authorization', bearer(t.keys.reader)).set('Accept', accept);
          const context = `${path} ${name} = ${describeText(text)} + ${junk} → ${res.status} ${res.text.slice(0, 200)}`;
          const refused = junk !== null || unstorable(text) || (max !== null && !acceptableText(text, max));
          expectAnswer(res, context, refused ? name : undefined);
          if (max !== null && !refused)
            expect({ context, status: res.status }).toEqual({ context, status: 200 });
        },
      ),
      { numRuns: 120, seed: HOSTILE_SEED },
    );
  });

  it('path parameters: never a 5xx; text that is not UTF-8 or cannot be stored is a 400', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...PATH_TEMPLATES),
        hostileText,
        fc.option(fc.constantFrom(...MALFORMED_PERCENT.filter((junk) => junk !== '%ZZ')), { freq: 4 }),
        async (template, text, junk) => {
          const path = template.replace('{}', `${percentEncode(text)}${junk ?? ''}` || 'x');
          const res = await t.http.get(path).set('Authorization', bearer(t.keys.admin));
          const context = `${template} ${describeText(text)} + ${junk} → ${res.status} ${res.text.slice(0, 200)}`;
          expectAnswer(res, context);
          if (junk !== null || unstorable(text)) {
            expect({ context, refused: [400, 414, 431].includes(res.status) }).toEqual({
              context,
              refused: true,
            });
          }
        },
      ),
      { numRuns: 80, seed: HOSTILE_SEED },
    );
  });

  it('headers: Idempotency-Key, If-Match, Content-Type, Accept, Authorization, X-Request-Id never cause a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          'Idempotency-Key',
          'If-Match',
          'Content-Type',
          'Accept',
          'Authorization',
          'X-Request-Id',
        ),
        hostileText.map(asHeaderValue),
        async (header, value) => {
          const before = await eventCount();
          const write = header === 'Idempotency-Key' || header === 'If-Match' || header === 'Content-Type';
          const request = write
            ? t.http
                .post(`/commitments/${TARGET}/statements`)
                .set('Content-Type', 'application/json')
                .send(JSON.stringify(statement('Header check.')))
            : t.http.get('/commitments');
          const res = await request
            .set('Authorization', header === 'Authorization' ? `Bearer ${value}` : bearer(t.keys.analyst))
            .set(header, header === 'Authorization' ? `Bearer ${value}` : value);
          const context = `${header}: ${describeText(value)} → ${res.status} ${res.text.slice(0, 200)}`;
          expectAnswer(res, context);
          expect(await eventCount()).toBe(before + (res.status === 201 ? 1 : 0));
          const sent = value.replace(/^[\t ]+|[\t ]+$/g, '');
          if (header === 'Idempotency-Key') {
            const valid = /^[\x21-\x7e]{1,200}$/.test(sent);
            expect({ context, status: res.status }).toEqual({ context, status: valid ? 201 : 400 });
          }
          if (header === 'Authorization')
            expect({ context, status: res.status }).toEqual({ context, status: 401 });
          if (header === 'Accept') expect({ context, status: res.status }).toEqual({ context, status: 200 });
          if (header === 'X-Request-Id') {
            const echoed = res.headers['x-request-id'];
            expect(echoed === sent || /^[0-9a-f-]{36}$/.test(echoed)).toBe(true);
            if (echoed === sent) expect(sent).toMatch(/^[A-Za-z0-9._:-]{1,100}$/);
          }
        },
      ),
      { numRuns: 80, seed: HOSTILE_SEED },
    );
  });

  it('JSON bodies: bytes that are not UTF-8 are a 400 giving their offset; the same body without them is stored', async () => {
    const storable = hostileText.filter((text) => acceptableText(text, 2000));
    await fc.assert(
      fc.asyncProperty(
        storable,
        storable,
        fc.option(fc.constantFrom(...INVALID_UTF8), { freq: 4 }),
        async (head, tail, junk) => {
          const [open, close] = JSON.stringify(statement('<summary>')).split('"<summary>"');
          const prefix = Buffer.from(`${open}"${JSON.stringify(head).slice(1, -1)}`, 'utf8');
          const suffix = Buffer.from(`${JSON.stringify(tail).slice(1, -1)}"${close}`, 'utf8');
          const body = Buffer.concat([prefix, Buffer.from(junk ?? []), suffix]);
          const before = await eventCount();
          const res = await t.http
            .post(`/commitments/${TARGET}/statements`)
            .set('Authorization', bearer(t.keys.analyst))
            .set('Content-Type', 'application/json')
            // The bytes as they are: superagent would serialize a Buffer as a JSON object.
            .serialize(() => body as unknown as string)
            .send(body);
          const context = `${junk === null ? 'no junk' : Buffer.from(junk).toString('hex')} at ${prefix.length} → ${res.status} ${res.text.slice(0, 200)}`;
          expectAnswer(res, context);
          expect(await eventCount()).toBe(before + (res.status === 201 ? 1 : 0));
          if (junk === null) {
            expect({ context, status: res.status }).toEqual({ context, status: 201 });
            return;
          }
          expect({ context, status: res.status, type: res.body.type }).toEqual({
            context,
            status: 400,
            type: '/problems/invalid-utf8',
          });
          expect(res.body.detail).toContain(`offset ${prefix.length})`);
        },
      ),
      { numRuns: 80, seed: HOSTILE_SEED },
    );
  });
});
