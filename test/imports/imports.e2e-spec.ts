import { bearer, createTestApp, type TestApp } from '../support/test-app.js';
import { TEST_ENGINES } from '../support/test-database.js';
import { generatedLines, importFile, postOneByOne, toNdjson, type ImportLine } from './import-fixtures.js';

const SLOW_START = { DATABASE_CONNECT_TIMEOUT_MS: '30000' };
const COMMITMENTS = 12;
const STEPS_EACH = 16;

interface HistoryEvent {
  eventId: string;
  version: number;
  type: string;
  occurredAt: string;
  recordedAt: string;
  recordedBy: string | null;
  data: Record<string, unknown>;
  retracted: boolean;
  retractedBy?: string;
}

/** A history with what must differ between two databases taken out: event ids become versions; record times, and world times the request set, go. */
function comparable(events: HistoryEvent[]): unknown[] {
  const versionOf = new Map(events.map((event) => [event.eventId, event.version]));
  return events.map(
    ({ eventId: _eventId, recordedAt: _recordedAt, retractedBy, data, occurredAt, ...event }) => ({
      ...event,
      occurredAt:
        event.type === 'FollowUpScheduled' || event.type === 'EntryRetracted' ? 'request time' : occurredAt,
      data: typeof data.eventId === 'string' ? { ...data, eventId: versionOf.get(data.eventId) } : data,
      retractedBy: retractedBy === undefined ? undefined : versionOf.get(retractedBy),
    }),
  );
}

const withoutIds = (problem: object) =>
  JSON.parse(
    JSON.stringify(problem).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>'),
  ) as unknown;

async function read(app: TestApp, path: string): Promise<Record<string, unknown>> {
  const res = await app.http.get(path).set('Authorization', bearer(app.keys.reader));
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.text}`);
  return res.body as Record<string, unknown>;
}

describe.each(TEST_ENGINES)('bulk import on %s', (engineName) => {
  let imported: TestApp;
  let posted: TestApp;
  const lines: ImportLine[] = generatedLines(COMMITMENTS, STEPS_EACH);

  beforeAll(async () => {
    // One at a time, each allowed a slow start: two embedded engines booting together on a busy machine
    // can outlast the default connect timeout.
    imported = await createTestApp(engineName, SLOW_START);
    posted = await createTestApp(engineName, SLOW_START);
  });
  afterAll(async () => {
    await Promise.all([imported?.close(), posted?.close()]);
  });

  it('gives the statuses and histories that posting the same lines one by one gives', async () => {
    const actions = new Set(lines.map((line) => line.action));
    expect(actions.size).toBe(14);
    expect(lines.some((line) => line.retractsKey !== undefined)).toBe(true);

    const job = await importFile(imported, toNdjson(lines));
    const byHand = await postOneByOne(posted.http, posted.keys.analyst, lines);

    expect(job).toMatchObject({
      state: 'completed',
      linesRead: lines.length,
      alreadyPresent: 0,
      error: null,
    });
    expect(job.refusals.map((refusal) => refusal.line)).toEqual(byHand.refused);
    // Each refusal is the API's own answer to that line, or says which earlier line of its commitment was refused.
    for (const refusal of job.refusals) {
      const answered = byHand.problems.get(refusal.line);
      if (answered) expect(withoutIds(refusal.problem)).toEqual(withoutIds(answered));
      else expect(refusal.problem).toMatchObject({ type: '/problems/earlier-line-refused', status: 409 });
    }
    expect(byHand.problems.size).toBeGreaterThan(0);
    expect(job.appended).toBe(lines.length - byHand.refused.length);
    expect(job.appended).toBeGreaterThan(lines.length / 2);
    const { items } = (await read(imported, '/commitments?limit=200')) as { items: { id: string }[] };
    expect(items.map((item) => item.id).sort()).toEqual(byHand.commitmentIds);
    for (const id of byHand.commitmentIds) {
      expect(await read(imported, `/commitments/${id}`)).toEqual(await read(posted, `/commitments/${id}`));
      const [mine, theirs] = await Promise.all([
        read(imported, `/commitments/${id}/history`),
        read(posted, `/commitments/${id}/history`),
      ]);
      expect(comparable(mine.events as HistoryEvent[])).toEqual(comparable(theirs.events as HistoryEvent[]));
      expect((mine.events as HistoryEvent[]).every((event) => event.recordedBy === 'analyst')).toBe(true);
    }
  });

  it('appends nothing when the same file is imported again', async () => {
    const [{ count: before }] = await imported.query<{ count: string }>(
      'SELECT count(*)::text AS count FROM events',
    );
    const first = await read(imported, '/commitments?limit=200');
    const again = await importFile(imported, toNdjson(lines));
    const [{ count: after }] = await imported.query<{ count: string }>(
      'SELECT count(*)::text AS count FROM events',
    );
    expect(after).toBe(before);
    expect(again.appended).toBe(0);
    expect(again.alreadyPresent).toBe(Number(before));
    expect(again.alreadyPresent + again.refused).toBe(lines.length);
    expect(await read(imported, '/commitments?limit=200')).toEqual(first);
  });

  it('records each line with the job as its correlation and its line as its causation', async () => {
    const rows = await imported.query<{ metadata: Record<string, string> }>(
      `SELECT metadata FROM events WHERE stream_id =
         (SELECT stream_id FROM events GROUP BY stream_id ORDER BY count(*) DESC, stream_id LIMIT 1)`,
    );
    expect(rows.length).toBeGreaterThan(1);
    const jobs = await imported.query<{ job_id: string }>(
      'SELECT job_id FROM import_jobs ORDER BY created_at LIMIT 1',
    );
    for (const { metadata } of rows) {
      expect(metadata).toMatchObject({ recordedBy: 'analyst', correlationId: jobs[0].job_id });
      expect(metadata.causationId).toMatch(new RegExp(`^${jobs[0].job_id}#\\d+$`));
      expect(metadata.idempotencyKey).toEqual(expect.any(String));
    }
  });
});
