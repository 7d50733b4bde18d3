import fc from 'fast-check';
import { bearer, createTestApp, type TestApp } from '../support/test-app.js';
import { TEST_ENGINES } from '../support/test-database.js';
import { parseCsv } from './e2e-fixtures.js';
import { PREREQUISITES, proposal, WRITE_ENDPOINTS, type WriteEndpoint } from './hostile-text.endpoints.js';
import {
  acceptableText,
  describeText,
  HOSTILE_SEED,
  hostileText,
  unstorable,
  valueAt,
  withValueAt,
} from './hostile-text.fixtures.js';

/** Every (endpoint, string field) pair; fast-check picks among them uniformly. */
const CASES = WRITE_ENDPOINTS.flatMap((endpoint) =>
  Object.entries(endpoint.fields).map(([field, max]) => ({ endpoint, field, max })),
);

/** Fields of `POST /commitments` the commitment view shows as they were sent. */
const VIEW_FIELDS = ['title', 'summary', 'meeting'];

describe.each(TEST_ENGINES)('hostile text in every write endpoint on %s', (engineName) => {
  let t: TestApp;
  let serial = 0;
  const accepted: { id: string; title: string; summary: string; meeting: string }[] = [];
  const freeText = { runs: 0, created: 0 };
  const analyst = () => bearer(t.keys.analyst);
  const eventCount = async () =>
    Number((await t.query<{ n: string }>('SELECT count(*) AS n FROM events'))[0].n);
  const post = (path: string, body: unknown) =>
    t.http
      .post(path)
      .set('Authorization', analyst())
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(body));

  async function record(path: string, body: unknown): Promise<string> {
    const res = await post(path, body);
    if (res.status !== 201) throw new Error(`set-up ${path}: ${res.status} ${res.text.slice(0, 300)}`);
    return res.body.eventId as string;
  }

  /** A fresh commitment for each run, with what the endpoint under test needs recorded first. */
  async function prepare(endpoint: WriteEndpoint): Promise<{ path: string; id: string; eventId: string }> {
    const id = `hostile-${engineName}-${serial++}`;
    if (endpoint.action.startsWith('propose')) return { path: '/commitments', id, eventId: '' };
    await record('/commitments', proposal(id));
    const prerequisite = endpoint.needs ? PREREQUISITES[endpoint.needs] : undefined;
    const eventId = prerequisite
      ? await record(`/commitments/${id}/${prerequisite.action}`, prerequisite.body)
      : '';
    return { path: `/commitments/${id}/${endpoint.action}`, id, eventId };
  }

  beforeAll(async () => {
    process.stdout.write(`hostile text on ${engineName}: fast-check seed ${HOSTILE_SEED} (HOSTILE_SEED)\n`);
    t = await createTestApp(engineName);
    await record('/commitments', proposal('hostile-successor'));
  });
  afterAll(() => t?.close());

  it('answers 201 with exactly one event and the text read back byte for byte, or a 400 naming the field', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CASES), hostileText, async ({ endpoint, field, max }, text) => {
        const { path, id, eventId } = await prepare(endpoint);
        const body = withValueAt(endpoint.body({ id, eventId, successor: 'hostile-successor' }), field, text);
        const before = await eventCount();
        const res = await post(path, body);
        const context = `${endpoint.action} ${field} = ${describeText(text)} → ${res.status} ${res.text.slice(0, 300)}`;

        expect({ context, serverError: res.status >= 500 }).toEqual({ context, serverError: false });
        expect(await eventCount()).toBe(before + (res.status === 201 ? 1 : 0));
        if (res.status !== 201) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        const mustRefuse = max === null ? unstorable(text) : !acceptableText(text, max);
        if (mustRefuse || (max !== null && res.status !== 201)) {
          expect({ context, status: res.status }).toEqual({ context, status: 400 });
          const fields = (res.body.errors as { field: string }[]).map((e) => e.field);
          expect({ context, fields }).toEqual({ context, fields: [field] });
        }
        if (max !== null) freeText.runs++;
        if (res.status !== 201) return;
        if (max !== null) freeText.created++;

        const commitmentId = res.body.commitmentId as string;
        const history = await t.http
          .get(`/commitments/${commitmentId}/history`)
          .set('Authorization', analyst());
        const stored = valueAt(history.body.events.at(-1).data, field);
        expect({ context, stored }).toEqual({ context, stored: text });
        expect(Buffer.from(stored as string, 'utf8').equals(Buffer.from(text, 'utf8'))).toBe(true);
        if (endpoint.action.startsWith('propose')) {
          const view = await t.http.get(`/commitments/${commitmentId}`).set('Authorization', analyst());
          for (const name of VIEW_FIELDS) expect(view.body[name]).toBe(valueAt(body, name));
          accepted.push({
            id: commitmentId,
            ...(view.body as { title: string; summary: string; meeting: string }),
          });
        }
      }),
      { numRuns: 160, seed: HOSTILE_SEED },
    );
    // The generators must exercise both sides: text that is stored and read back, and text that is refused.
    process.stdout.write(
      `${engineName}: ${freeText.created} of ${freeText.runs} free-text runs created an event\n`,
    );
    expect(freeText.created).toBeGreaterThan(freeText.runs / 4);
    expect(freeText.created).toBeLessThan(freeText.runs);
  });

  it('exports accepted text to CSV unchanged (formula-like cells prefixed) and searches it without a 5xx', async () => {
    expect(accepted.length).toBeGreaterThan(0);
    const res = await t.http.get('/commitments').set('Authorization', analyst()).set('Accept', 'text/csv');
    expect(res.status).toBe(200);
    const [header, ...rows] = parseCsv(res.text);
    const column = (row: string[], name: string) => row[header.indexOf(name)];
    const spreadsheetSafe = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
    for (const commitment of accepted) {
      const row = rows.find((r) => column(r, 'id') === commitment.id);
      expect(row).toBeDefined();
      for (const name of ['title', 'summary', 'meeting'] as const) {
        expect(column(row!, name)).toBe(spreadsheetSafe(commitment[name]));
      }
      const q = Array.from(commitment.title).slice(0, 200).join('');
      const search = await t.http.get('/commitments').query({ q }).set('Authorization', analyst());
      expect({ q: describeText(q), status: search.status }).toEqual({ q: describeText(q), status: 200 });
    }
  });
});
