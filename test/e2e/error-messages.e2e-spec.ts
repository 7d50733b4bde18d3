import { bearer, createTestApp, type TestApp } from '../support/test-app.js';
import { TEST_ENGINES } from '../support/test-database.js';
import { expectProblem, proposal } from './e2e-fixtures.js';

/** The messages a client acts on: each says what is wrong and what would be right. */
describe.each(TEST_ENGINES)('error messages on %s', (engineName) => {
  let t: TestApp;
  let id: string;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    t.http
      .post(path)
      .set('Authorization', bearer(t.keys.analyst))
      .set('Content-Type', 'application/json')
      .set(headers)
      .send(typeof body === 'string' ? body : JSON.stringify(body));
  const statement = (overrides: Record<string, unknown> = {}) => ({
    speaker: { name: 'A. Speaker', party: 'NP' },
    stance: 'notes',
    summary: 'Noted.',
    occurredAt: '2024-03-02',
    source: { title: 'Desk notes' },
    ...overrides,
  });
  const errorsOf = (body: Record<string, unknown>) => body.errors as { field: string; message: string }[];

  beforeAll(async () => {
    t = await createTestApp(engineName);
    const created = await post('/commitments', proposal());
    expect(created.status).toBe(201);
    id = created.body.commitmentId as string;
  });
  afterAll(() => t?.close());

  it('413 states the limit', async () => {
    const body = expectProblem(
      await post('/commitments', proposal({ summary: 'x'.repeat(1024 * 1024) })),
      413,
    );
    expect(body.detail).toBe('The request body is larger than the limit of 1 MiB (1,048,576 bytes).');
  });

  it('415 names the one accepted type', async () => {
    const res = await t.http
      .post('/commitments')
      .set('Authorization', bearer(t.keys.analyst))
      .set('Content-Type', 'text/plain')
      .send('a proposal');
    expect(expectProblem(res, 415).detail).toMatch(
      /Content-Type: application\/json", the only type accepted/,
    );
  });

  it('a quoted If-Match beyond any version is out of range, not malformed', async () => {
    const body = expectProblem(
      await post(`/commitments/${id}/statements`, statement(), { 'If-Match': '"99999999999"' }),
      400,
    );
    expect(errorsOf(body)).toEqual([
      {
        field: 'If-Match',
        message: 'If-Match "99999999999" is out of range: a version is a whole number from 0 to 2147483647',
      },
    ]);
    const stale = await post(`/commitments/${id}/statements`, statement(), { 'If-Match': '"2147483647"' });
    expectProblem(stale, 412);
  });

  it('one error per failed field: a missing summary is "required", once', async () => {
    const { summary: _summary, ...withoutSummary } = statement();
    const body = expectProblem(await post(`/commitments/${id}/statements`, withoutSummary), 400);
    expect(errorsOf(body)).toEqual([
      { field: 'summary', message: 'summary is required; it must be a string' },
    ]);
    const empty = expectProblem(await post(`/commitments/${id}/statements`, statement({ summary: '' })), 400);
    expect(errorsOf(empty)).toEqual([{ field: 'summary', message: 'summary must not be empty' }]);
    const long = expectProblem(
      await post(`/commitments/${id}/statements`, statement({ summary: '😀'.repeat(5001) })),
      400,
    );
    expect(errorsOf(long)).toEqual([
      { field: 'summary', message: 'summary must be at most 5000 characters' },
    ]);
    // 5,000 emoji are 10,000 UTF-16 units but 5,000 characters: within the limit.
    expect(
      (await post(`/commitments/${id}/statements`, statement({ summary: '😀'.repeat(5000) }))).status,
    ).toBe(201);
  });

  it('every field of an empty proposal is named once, saying it is required', async () => {
    const body = expectProblem(await post('/commitments', {}), 400);
    const errors = errorsOf(body);
    expect(errors.map((e) => e.field).sort()).toEqual(
      ['kind', 'occurredAt', 'parties', 'proposedBy', 'source', 'title'].sort(),
    );
    for (const error of errors) expect(error.message).toMatch(new RegExp(`^${error.field} is required`));
  });

  it('a non-numeric metric value "must be a number"', async () => {
    const body = expectProblem(
      await post(`/commitments/${id}/progress`, {
        summary: 'Halfway.',
        metrics: [{ name: 'sites', value: '12' }],
        occurredAt: '2024-03-02',
        source: { title: 'Desk notes' },
      }),
      400,
    );
    expect(errorsOf(body)).toEqual([{ field: 'metrics[0].value', message: 'value must be a number' }]);
  });

  it('an unknown field is named as such; a lone surrogate names its field and where it is', async () => {
    const unknown = expectProblem(
      await post(`/commitments/${id}/statements`, statement({ mood: 'calm' })),
      400,
    );
    expect(errorsOf(unknown)).toEqual([
      { field: 'mood', message: 'mood is not a field this request accepts' },
    ]);
    const surrogate = expectProblem(
      await post(`/commitments/${id}/statements`, '{"summary":"bad \\ud800 x","speaker":{"name":"\\udc00"}}'),
      400,
    );
    expect(errorsOf(surrogate)).toEqual([
      {
        field: 'speaker.name',
        message: 'name must be well-formed Unicode: it has a lone surrogate \\udc00 at index 0',
      },
      {
        field: 'summary',
        message: 'summary must be well-formed Unicode: it has a lone surrogate \\ud800 at index 4',
      },
    ]);
  });

  it('a query parameter given twice, or not percent-encoded UTF-8, is named', async () => {
    const get = (query: string) =>
      t.http.get(`/commitments?${query}`).set('Authorization', bearer(t.keys.reader));
    expect(errorsOf(expectProblem(await get('q=a&q=b'), 400))).toEqual([
      { field: 'q', message: 'q must be given once' },
    ]);
    expect(errorsOf(expectProblem(await get('q=%FF'), 400))).toEqual([
      { field: 'q', message: 'q must be percent-encoded UTF-8 (e.g. %C3%A9 for é; a literal % is %25)' },
    ]);
  });

  it('a path that is not UTF-8, or a segment too long for any id, says so', async () => {
    const bad = expectProblem(
      await t.http.get('/commitments/%ED%A0%80').set('Authorization', bearer(t.keys.reader)),
      400,
    );
    expect(bad.detail).toMatch(/percent-encoding must decode to UTF-8/);
    const long = expectProblem(
      await t.http.get(`/commitments/${'a'.repeat(101)}`).set('Authorization', bearer(t.keys.reader)),
      414,
    );
    expect(long.detail).toBe('A path segment is longer than 100 characters; no id is that long.');
  });
});
