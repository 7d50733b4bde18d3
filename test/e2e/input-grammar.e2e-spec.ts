import { TEST_ENGINES, type EngineName } from '../support/test-database.js';
import { commitmentsApi, expectProblem, fact, proposal } from './e2e-fixtures.js';

/** The input grammar of docs/API.md, request by request: each rule refuses what its message says it does. */
describe.each(TEST_ENGINES)('the input grammar on %s', (engineName: EngineName) => {
  const api = commitmentsApi(engineName);
  const statement = () =>
    fact('2025-03-01', {
      speaker: { name: 'A Spokesperson', party: 'NP' },
      stance: 'supports',
      summary: 'Said on the record',
    });
  const errorsOf = (body: Record<string, unknown>) => body.errors as { field: string; message: string }[];

  it.each(['1e2', '0x10', ' 5', '007', '5 ', '+5', '5.0', '0', '201'])(
    'refuses limit=%j on every paged route as "an integer from 1 to …"',
    async (limit) => {
      for (const [path, max] of [
        ['/commitments', 200],
        ['/corrections', 200],
        ['/sources', 200],
        ['/events', 1000],
      ] as const) {
        if (limit === '201' && max === 1000) continue;
        const body = expectProblem(await api.get(path, { limit }), 400);
        expect([path, errorsOf(body)]).toEqual([
          path,
          [{ field: 'limit', message: `limit must be an integer from 1 to ${max}` }],
        ]);
      }
    },
  );

  it('still reads limit=5 and limit=200', async () => {
    expect((await api.get('/commitments', { limit: '5' })).status).toBe(200);
    expect((await api.get('/events', { limit: '200' })).status).toBe(200);
  });

  it.each(['1', '"00002"', '"2', "'2'", 'W/2'])(
    'refuses If-Match: %s as not a version in quotes',
    async (value) => {
      const id = await api.propose();
      const res = await api.attempt(id, 'statements', statement(), { 'If-Match': value });
      expect(errorsOf(expectProblem(res, 400))).toEqual([
        {
          field: 'If-Match',
          message:
            'If-Match must be a version in quotes, as the ETag of GET /commitments/{id} gives it, e.g. "3"',
        },
      ]);
      expect(await api.history(id)).toHaveLength(1);
    },
  );

  it('takes If-Match as the ETag gives it', async () => {
    const id = await api.propose();
    const etag = (await api.get(`/commitments/${id}`)).headers.etag as string;
    expect(etag).toBe('"1"');
    expect((await api.attempt(id, 'statements', statement(), { 'If-Match': etag })).status).toBe(201);
  });

  it('refuses an unknown query parameter on the history, as on every other route', async () => {
    const id = await api.propose();
    const body = expectProblem(await api.get(`/commitments/${id}/history`, { verbose: 'true' }), 400);
    expect(errorsOf(body)).toEqual([
      { field: 'verbose', message: 'verbose is not a field this request accepts' },
    ]);
    expect((await api.get(`/commitments/${id}/history`)).status).toBe(200);
  });

  it.each(['A-', 'US-', 'A--B', '-US'])('refuses %j as a party code', async (party) => {
    const res = await api.post('/commitments', proposal({ parties: ['NP', party] }));
    expect(errorsOf(expectProblem(res, 400)).map((error) => error.field)).toEqual(['parties']);
    expect(errorsOf(expectProblem(await api.get('/commitments', { party }), 400))[0].field).toBe('party');
  });

  it.each(['\u0001', '\u0008', '\u000b', '\u001f'])(
    'refuses the control character %j in text',
    async (control) => {
      const res = await api.post('/commitments', proposal({ title: `Pledge${control}on rivers` }));
      expect(errorsOf(expectProblem(res, 400))).toEqual([
        {
          field: 'title',
          message: expect.stringMatching(
            /^title must not contain control characters: it has \\u00[01][0-9a-f] at index 6/,
          ),
        },
      ]);
    },
  );

  it('keeps tab, line feed and carriage return in text', async () => {
    const id = await api.propose({ summary: 'Line one\r\n\tline two\nline three' });
    expect((await api.view(id)).summary).toBe('Line one\r\n\tline two\nline three');
  });

  it('refuses a key given twice in a JSON body, naming it', async () => {
    const body = JSON.stringify(proposal()).replace(/^\{/, '{"title":"First title",');
    const res = await api.app.http
      .post('/commitments')
      .set(api.auth('analyst'))
      .set('Content-Type', 'application/json')
      .send(body);
    expect(errorsOf(expectProblem(res, 400))).toEqual([
      { field: 'title', message: 'title is given more than once in the same object: give each field once' },
    ]);
  });

  it('answers a charset other than UTF-8 with the same 415 for a JSON body and for an import', async () => {
    const json = await api.app.http
      .post('/commitments')
      .set(api.auth('analyst'))
      .set('Content-Type', 'application/json; charset=iso-8859-1')
      .send(JSON.stringify(proposal()));
    const file = await api.app.http
      .post('/imports')
      .set(api.auth('analyst'))
      .set('Content-Type', 'application/x-ndjson; charset=iso-8859-1')
      .send(`${JSON.stringify({ action: 'propose', ...proposal() })}\n`);
    for (const res of [json, file]) {
      const problem = expectProblem(res, 415);
      expect(problem.type).toBe('/problems/unsupported-charset');
      expect(problem.detail).toMatch(/UTF-8/);
    }
    const utf8 = await api.app.http
      .post('/commitments')
      .set(api.auth('analyst'))
      .set('Content-Type', 'application/json; charset=UTF-8')
      .send(JSON.stringify(proposal()));
    expect(utf8.status).toBe(201);
  });
});
