import { expectProblem } from '../e2e/e2e-fixtures.js';
import { bearer, createTestApp, type TestApp } from '../support/test-app.js';
import { TEST_ENGINES } from '../support/test-database.js';
import { importFile } from './import-fixtures.js';

const source = { title: 'Joint statement', publisher: 'Secretariat' };

interface ImportJobPage {
  readonly refusals: { line: number }[];
  readonly nextRefusalsAfter: number | null;
}
const line = (fields: Record<string, unknown>) => JSON.stringify(fields);

async function read(app: TestApp, path: string): Promise<Record<string, unknown>> {
  const res = await app.http.get(path).set('Authorization', bearer(app.keys.reader));
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.text}`);
  return res.body as Record<string, unknown>;
}

describe.each(TEST_ENGINES)('import files on %s', (engineName) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp(engineName, { IMPORT_MAX_BYTES: '65536' });
  });
  afterAll(() => app?.close());

  it('reports each bad line with its line number, field and the API’s problem, and writes no part of one', async () => {
    const propose = (id: string) => ({
      action: 'propose',
      commitmentId: id,
      title: `Bad lines ${id}`,
      kind: 'pledge',
      parties: ['US', 'VN'],
      proposedBy: 'US',
      occurredAt: '2024-01-10',
      source,
    });
    const statement = (id: string, extra: Record<string, unknown> = {}) => ({
      action: 'statements',
      commitmentId: id,
      occurredAt: '2024-02-01',
      source,
      speaker: { name: 'A speaker', party: 'US' },
      stance: 'supports',
      summary: `Said on ${id}`,
      ...extra,
    });
    const { summary: _summary, ...withoutSummary } = statement('bad-a');
    const file = Buffer.concat([
      Buffer.from(
        [
          line(propose('bad-a')),
          line(withoutSummary),
          '{"action": "statements",',
          line({
            action: 'progress',
            commitmentId: 'bad-a',
            occurredAt: '2024-03-01',
            source,
            summary: 'On track',
          }),
          line(propose('bad-b')),
          line({ action: 'completions', commitmentId: 'bad-b', occurredAt: '2024-03-01', source }),
          line(statement('bad-b')),
          line(statement('bad-c', { colour: 'blue' })),
          '',
        ].join('\n'),
      ),
      Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d, 0x0a]),
      Buffer.from(
        [
          '',
          line(statement('no-such-commitment')),
          line({ action: 'teleport', commitmentId: 'bad-a' }),
          '',
        ].join('\r\n'),
      ),
    ]);
    const job = await importFile(app, file);
    expect(job).toMatchObject({
      state: 'completed',
      linesRead: 11,
      appended: 2,
      alreadyPresent: 0,
      refused: 9,
    });
    const refusals = job.refusals.map((r) => [
      r.line,
      r.commitmentId,
      r.field,
      r.problem.status,
      r.problem.type,
    ]);
    expect(refusals).toEqual([
      [2, 'bad-a', 'summary', 400, '/problems/validation'],
      [3, null, null, 400, 'about:blank'],
      [4, 'bad-a', null, 409, '/problems/earlier-line-refused'],
      [6, 'bad-b', null, 409, '/problems/illegal-development'],
      [7, 'bad-b', null, 409, '/problems/earlier-line-refused'],
      [8, 'bad-c', 'colour', 400, '/problems/validation'],
      [9, null, null, 400, '/problems/invalid-utf8'],
      [11, 'no-such-commitment', null, 404, '/problems/commitment-not-found'],
      [12, 'bad-a', 'action', 400, '/problems/validation'],
    ]);
    const { action: _action, commitmentId: _id, ...body } = withoutSummary;
    const invalid = await app.http
      .post('/commitments/bad-a/statements')
      .set('Authorization', bearer(app.keys.analyst))
      .send(body);
    expect(expectProblem(invalid, 400)).toEqual(job.refusals[0].problem);
    expect(job.refusals[2].problem.detail).toMatch(/line 2, an earlier development of 'bad-a'/);
    // The API answers the same line the same way.
    const api = await app.http
      .post('/commitments/bad-b/completions')
      .set('Authorization', bearer(app.keys.analyst))
      .send({ occurredAt: '2024-03-01', source });
    expect(expectProblem(api, 409)).toEqual(job.refusals[3].problem);
    const rows = await app.query<{ stream_id: string; count: string }>(
      `SELECT stream_id, count(*)::text AS count FROM events GROUP BY stream_id ORDER BY stream_id`,
    );
    expect(rows).toEqual([
      { stream_id: 'commitment-bad-a', count: '1' },
      { stream_id: 'commitment-bad-b', count: '1' },
    ]);
  });

  it('checks quotes against registered sources as the API does, a batch’s sources read once', async () => {
    const registered = await app.http
      .post('/sources')
      .set('Authorization', bearer(app.keys.analyst))
      .send({ title: 'Chairman’s statement', text: 'The leaders welcomed the “new” plan of action.' });
    expect(registered.status).toBe(201);
    const sourceId = (registered.body as { id: string }).id;
    const cite = (n: number, citation: Record<string, unknown>) => ({
      action: 'statements',
      commitmentId: 'cited',
      occurredAt: `2024-02-0${n}`,
      speaker: { name: 'A speaker', party: 'US' },
      stance: 'supports',
      summary: `Statement ${n}`,
      source: citation,
    });
    const job = await importFile(
      app,
      [
        line({
          action: 'propose',
          commitmentId: 'cited',
          title: 'Cited',
          kind: 'pledge',
          parties: ['US', 'VN'],
          proposedBy: 'US',
          occurredAt: '2024-01-10',
          source,
        }),
        line(cite(1, { sourceId, quote: 'welcomed the "new" plan' })),
        line(cite(2, { sourceId })),
        line(cite(3, { sourceId, quote: 'rejected the plan' })),
        line({
          action: 'propose',
          commitmentId: 'cited-nowhere',
          title: 'Cited nowhere',
          kind: 'pledge',
          parties: ['US', 'VN'],
          proposedBy: 'US',
          occurredAt: '2024-01-10',
          source: { sourceId: 's-not-registered' },
        }),
        '',
      ].join('\n'),
    );
    expect(job).toMatchObject({ state: 'completed', appended: 3, refused: 2 });
    expect(job.refusals.map((r) => [r.line, r.problem.type])).toEqual([
      [4, '/problems/quote-not-in-source'],
      [5, '/problems/unknown-source'],
    ]);
    // The API answers the same lines the same way.
    const { action: _a, commitmentId: _c, ...misquoted } = cite(3, { sourceId, quote: 'rejected the plan' });
    const api = await app.http
      .post('/commitments/cited/statements')
      .set('Authorization', bearer(app.keys.analyst))
      .send(misquoted);
    expect(expectProblem(api, 422)).toEqual(job.refusals[0].problem);
    const history = await read(app, '/commitments/cited/history');
    const sources = (history.events as { data: { source: Record<string, unknown> } }[]).map(
      (event) => event.data.source,
    );
    expect(sources.slice(1)).toEqual([
      { sourceId, quote: 'welcomed the "new" plan', quoteVerified: true },
      { sourceId, quoteVerified: false },
    ]);
  });

  it('imports a CSV with a BOM, CRLF line ends, quoted fields and ;-lists, numbering rows by their first line', async () => {
    const rows = [
      'action,commitmentId,occurredAt,sourceTitle,title,kind,parties,proposedBy,topics,summary,speakerName,speakerParty,stance',
      'propose,csv-a,2024-01-05,"Communiqué, final","Plan, with a comma",plan_of_action,US; VN;ASEAN,US,maritime-security;ai,"First line',
      'second ""quoted"" line",,,',
      'statements,csv-a,2024-02-01,Press release,,,,,,"He said ""yes""","Doe, Jane",VN,supports',
      'statements,csv-a,2024-02-02,Press release,,,,,,Fine,Roe,VN,"shouting"',
      'statements,csv-a,2024-02-03,Press release,,,,,,Not decided,Roe,VN,supports',
      'statements,csv-b,2024-02-03,Press release,,,,,,Unquoted, comma,Roe,VN,supports',
    ];
    const job = await importFile(app, `\uFEFF${rows.join('\r\n')}\r\n`, 'text/csv; charset=utf-8');
    expect(job).toMatchObject({ state: 'completed', linesRead: 5, appended: 2, refused: 3 });
    expect(job.refusals.map((r) => [r.line, r.field, r.problem.type])).toEqual([
      [5, 'stance', '/problems/validation'],
      [6, null, '/problems/earlier-line-refused'],
      [7, null, '/problems/validation'],
    ]);
    expect(job.refusals[2].problem.detail).toMatch(/14 cells where the header names 13 columns/);
    const view = await read(app, '/commitments/csv-a');
    expect(view).toMatchObject({
      title: 'Plan, with a comma',
      kind: 'plan_of_action',
      topics: ['maritime-security', 'ai'],
      summary: 'First line\nsecond "quoted" line',
    });
    expect((view.parties as { party: string }[]).map((p) => p.party)).toEqual(['US', 'VN', 'ASEAN']);
    const history = (await read(app, '/commitments/csv-a/history')).events as {
      data: Record<string, unknown>;
    }[];
    expect(history[0].data.source).toEqual({ title: 'Communiqué, final' });
    expect(history[1].data).toMatchObject({
      speaker: { name: 'Doe, Jane', party: 'VN' },
      summary: 'He said "yes"',
    });
  });

  it('lists refused lines 1,000 at a time, paged by the last line listed', async () => {
    const job = await importFile(app, `${'{"action":\n'.repeat(1002)}`);
    expect(job).toMatchObject({ state: 'completed', linesRead: 1002, refused: 1002 });
    expect(job.refusals).toHaveLength(1000);
    const first = await app.http.get(`/imports/${job.jobId}`).set('Authorization', bearer(app.keys.reader));
    expect((first.body as { nextRefusalsAfter: number }).nextRefusalsAfter).toBe(1000);
    const rest = await app.http
      .get(`/imports/${job.jobId}?refusalsAfter=1000`)
      .set('Authorization', bearer(app.keys.reader));
    expect((rest.body as ImportJobPage).refusals.map((refusal) => refusal.line)).toEqual([1001, 1002]);
    expect((rest.body as ImportJobPage).nextRefusalsAfter).toBeNull();
    const bad = await app.http
      .get(`/imports/${job.jobId}?refusalsAfter=first`)
      .set('Authorization', bearer(app.keys.reader));
    expectProblem(bad, 400);
  });

  it('fails a CSV whose header names an unknown column, reading no row', async () => {
    const job = await importFile(app, 'action,commitmentId,colour\r\nstatements,x-y,blue\r\n', 'text/csv');
    expect(job).toMatchObject({ state: 'failed', linesRead: 0, appended: 0 });
    expect(job.error).toMatch(/unknown column "colour"/);
  });

  it('takes NDJSON and CSV only, within the size limit, from analysts', async () => {
    const post = (type: string, body: string, key = app.keys.analyst) =>
      app.http.post('/imports').set('Authorization', bearer(key)).set('Content-Type', type).send(body);
    expect(expectProblem(await post('application/json', '{}'), 415).detail).toMatch(/x-ndjson/);
    expectProblem(await post('text/plain', 'x'), 415);
    expectProblem(await post('text/csv; charset=latin1', 'x'), 415);
    expectProblem(await post('application/x-ndjson', '{}', app.keys.reader), 403);
    const tooLarge = await post('application/x-ndjson', `${'{}\n'.repeat(30_000)}`);
    expect(expectProblem(tooLarge, 413).detail).toMatch(/65,536 bytes/);
    // Elsewhere a CSV or NDJSON body stays the 415 of any body that is not JSON.
    const elsewhere = await app.http
      .post('/commitments')
      .set('Authorization', bearer(app.keys.analyst))
      .set('Content-Type', 'text/csv')
      .send('a,b');
    expect(expectProblem(elsewhere, 415).detail).toMatch(/must be JSON/);
  });

  it('answers 404 for an unknown job, and shows a job whose instance stopped beating as interrupted', async () => {
    const get = (id: string) => app.http.get(`/imports/${id}`).set('Authorization', bearer(app.keys.reader));
    expectProblem(await get('00000000-0000-4000-8000-000000000000'), 404);
    expectProblem(await get('not-a-job'), 404);
    const { jobId } = (
      await app.http
        .post('/imports')
        .set('Authorization', bearer(app.keys.analyst))
        .set('Content-Type', 'application/x-ndjson')
        .send('\n')
    ).body as { jobId: string };
    await importFileDone(app, jobId);
    // A job left "running" by an instance that died: its heartbeat stopped long ago.
    await app.query(
      `INSERT INTO import_jobs (job_id, format, state, requested_by, instance, bytes, heartbeat_at)
       VALUES ('11111111-1111-4111-8111-111111111111', 'csv', 'running', 'analyst', 'gone:1', 10, now() - interval '1 hour')`,
    );
    const res = await get('11111111-1111-4111-8111-111111111111');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'interrupted', finishedAt: expect.any(String) });
    expect((res.body as { error: string }).error).toMatch(/stopped before it finished/);
  });
});

async function importFileDone(app: TestApp, jobId: string): Promise<void> {
  for (;;) {
    const res = await app.http.get(`/imports/${jobId}`).set('Authorization', bearer(app.keys.reader));
    if ((res.body as { state: string }).state !== 'running') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
