import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogNotEmptyError } from '../../src/event-store/event-store.errors.js';
import { ExportDigest, trailerLine } from '../../src/event-store/log-export-format.js';
import { ExportFileError } from '../../src/log-transfer/export-file.js';
import { LogRestorer, type RestoreTuning } from '../../src/log-transfer/log-restorer.js';
import { ProjectionRebuilds } from '../../src/projections/projection-rebuilds.js';
import { ReadModelVerifier } from '../../src/projections/read-model-verifier.js';
import { generatedLines, importFile, toNdjson } from '../imports/import-fixtures.js';
import { bearer, createTestApp, type TestApp } from '../support/test-app.js';
import { type EngineName, TEST_ENGINES } from '../support/test-database.js';

const SLOW_START = { DATABASE_CONNECT_TIMEOUT_MS: '30000' };

/** From each engine to the other; with the embedded engine alone, from one embedded database to another. */
const PAIRS: [EngineName, EngineName][] =
  TEST_ENGINES.length > 1
    ? [
        ['embedded', 'postgres'],
        ['postgres', 'embedded'],
      ]
    : [['embedded', 'embedded']];

async function exported(app: TestApp, query = ''): Promise<string> {
  const res = await app.http
    .get(`/export${query}`)
    .set('Authorization', bearer(app.keys.reader))
    .buffer(true)
    .parse((response, done) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => done(null, text));
    });
  if (res.status !== 200) throw new Error(`GET /export${query}: ${res.status}`);
  expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
  return res.body as string;
}

async function get(app: TestApp, url: string): Promise<{ status: number; body: unknown }> {
  const res = await app.http.get(url).set('Authorization', bearer(app.keys.reader));
  return { status: res.status, body: res.body as unknown };
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (const started = Date.now(); !(await check()); await new Promise((r) => setTimeout(r, 100))) {
    if (Date.now() - started > 60_000) throw new Error(`not within 60 s: ${what}`);
  }
}

async function restore(app: TestApp, file: string, tuning?: RestoreTuning): Promise<void> {
  const outcome = await app.app.get(LogRestorer).restore(file, undefined, tuning);
  const rebuilds = app.app.get(ProjectionRebuilds);
  await eventually(
    async () => (await rebuilds.progress(outcome.rebuildJobId))?.state === 'completed',
    'rebuild',
  );
}

/** Every idempotency record, positions left out (they are the target's own). */
const IDEMPOTENCY_RECORDS = `SELECT idempotency_key, request_hash, stream_id, created_at, result->'streamVersion' AS version,
          jsonb_path_query_array(result, '$.events[*].eventId') AS events,
          jsonb_path_query_array(result, '$.events[*].streamVersion') AS versions
   FROM idempotency_keys ORDER BY idempotency_key`;

/** What a restore writes besides the events. */
const RESTORED_TABLES = [
  'SELECT * FROM commitment_status ORDER BY id',
  'SELECT * FROM sources ORDER BY id',
  IDEMPOTENCY_RECORDS,
];

/** Idempotency records whose events' positions are not where the log holds them. */
const MISPLACED_RECORDS = `
  SELECT k.idempotency_key FROM idempotency_keys k
  CROSS JOIN LATERAL jsonb_array_elements(k.result->'events') AS recorded(event)
  LEFT JOIN events e ON e.event_id = (recorded.event->>'eventId')::uuid
  WHERE e.global_position IS NULL OR e.global_position::text <> recorded.event->>'globalPosition'`;

async function eventCount(app: TestApp): Promise<number> {
  const [{ count }] = await app.query<{ count: string }>('SELECT count(*)::text AS count FROM events');
  return Number(count);
}

describe.each(PAIRS)('export from %s, restore into %s', (from, to) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'export-restore-'));
  const file = path.join(dir, 'log.ndjson');
  const lines = generatedLines(10, 14, 11);
  let source: TestApp;
  let target: TestApp;
  let text: string;
  let sourceId: string;

  beforeAll(async () => {
    // One at a time, each allowed a slow start: two engines booting together on a busy machine can
    // outlast the default connect timeout.
    source = await createTestApp(from, SLOW_START);
    target = await createTestApp(to, SLOW_START);
    const job = await importFile(source, toNdjson(lines));
    expect(job.appended).toBeGreaterThan(50);
    // A registered source, and a development citing it: sources are streams of their own.
    const registered = await source.http
      .post('/sources')
      .set('Authorization', bearer(source.keys.analyst))
      .send({ title: 'Transfer record', text: 'Both sides agreed to keep talking.' });
    expect(registered.status).toBe(201);
    sourceId = (registered.body as { id: string }).id;
    const cited = await source.http
      .post(`/commitments/${String(lines[0].commitmentId)}/statements`)
      .set('Authorization', bearer(source.keys.analyst))
      .send({
        occurredAt: '2025-06-01',
        speaker: { name: 'A speaker', party: 'US' },
        stance: 'welcomes',
        summary: 'Talks go on',
        source: { sourceId, quote: 'agreed to keep talking' },
      });
    expect(cited.status).toBe(201);
    text = await exported(source);
    fs.writeFileSync(file, text);
  });
  afterAll(async () => {
    await Promise.all([source?.close(), target?.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exports every event in commit order, ending with the digest of the lines before it', async () => {
    const all = text.trimEnd().split('\n');
    const trailer = JSON.parse(all.pop()!) as Record<string, unknown>;
    expect(all).toHaveLength(await eventCount(source));
    const digest = new ExportDigest();
    for (const line of all) digest.add(`${line}\n`);
    expect(trailer).toEqual({
      format: 'event-log-export/1',
      stream: null,
      after: null,
      events: all.length,
      sha256: digest.hex(),
    });
    const first = JSON.parse(all[0]) as Record<string, unknown>;
    expect(Object.keys(first)).toEqual([
      'eventId',
      'streamId',
      'version',
      'type',
      'occurredAt',
      'recordedAt',
      'recordedBy',
      'metadata',
      'data',
    ]);
    expect(first.recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    const [fromLog] = await source.query<{ event_id: string }>(
      'SELECT event_id FROM events ORDER BY transaction_id, global_position LIMIT 1',
    );
    expect(first.eventId).toBe(fromLog.event_id);

    const middle = JSON.parse(all[20]) as { eventId: string; streamId: string };
    const after = (await exported(source, `?after=${middle.eventId}`)).trimEnd().split('\n');
    expect(after.slice(0, -1)).toEqual(all.slice(21));
    expect(JSON.parse(after[after.length - 1])).toMatchObject({
      after: middle.eventId,
      events: all.length - 21,
    });
    const commitmentId = middle.streamId.slice('commitment-'.length);
    const one = (await exported(source, `?commitment=${commitmentId}`)).trimEnd().split('\n');
    expect(one.slice(0, -1)).toEqual(all.filter((line) => line.includes(`"streamId":"${middle.streamId}"`)));
    expect((await get(source, '/export?commitment=no-such-one')).status).toBe(404);
    expect((await get(source, '/export?after=00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await get(source, '/export?after=7')).status).toBe(400);
  });

  it('refuses an altered, a truncated or a foreign file and a non-empty database, writing nothing', async () => {
    const altered = path.join(dir, 'altered.ndjson');
    const at = text.indexOf('"summary":"') + 12;
    fs.writeFileSync(altered, text.slice(0, at) + (text[at] === 'x' ? 'y' : 'x') + text.slice(at + 1));
    await expect(restore(target, altered)).rejects.toThrow(/altered or damaged/);
    const truncated = path.join(dir, 'truncated.ndjson');
    fs.writeFileSync(truncated, text.slice(0, text.lastIndexOf('\n', text.length - 2) + 1));
    await expect(restore(target, truncated)).rejects.toThrow(/truncated/);
    const foreign = path.join(dir, 'foreign.ndjson');
    const events = text.trimEnd().split('\n').slice(0, -1);
    events[3] = events[3].replace(/"type":"[A-Za-z]+"/, '"type":"SomethingElseHappened"');
    const digest = new ExportDigest();
    for (const line of events) digest.add(`${line}\n`);
    fs.writeFileSync(
      foreign,
      events.map((line) => `${line}\n`).join('') +
        trailerLine({ stream: null, after: null, events: events.length, sha256: digest.hex() }),
    );
    await expect(restore(target, foreign)).rejects.toThrow(ExportFileError);
    await expect(restore(target, foreign)).rejects.toThrow(/unknown event type "SomethingElseHappened"/);
    expect(await eventCount(target)).toBe(0);
    expect(await target.query('SELECT id FROM commitment_status')).toEqual([]);

    const before = await eventCount(source);
    await expect(source.app.get(LogRestorer).restore(file)).rejects.toThrow(LogNotEmptyError);
    expect(await eventCount(source)).toBe(before);
  });

  it('restores into an empty database: the same export, the same answers, equal read models', async () => {
    await restore(target, file);
    expect(await exported(target)).toBe(text);

    const ids = (text.match(/"streamId":"commitment-[^"]+"/g) ?? []).map((m) =>
      m.slice('"streamId":"commitment-'.length, -1),
    );
    const commitments = [...new Set(ids)];
    for (const id of commitments) {
      const history = (await get(source, `/commitments/${id}/history`)).body as {
        events: { recordedAt: string }[];
      };
      const instants = new Set<string>(['2020-01-01']);
      for (const { recordedAt } of history.events) {
        instants.add(recordedAt);
        instants.add(new Date(Date.parse(recordedAt) - 1).toISOString());
      }
      for (const knownAt of instants) {
        const url = `/commitments/${id}?knownAt=${knownAt}`;
        expect(await get(target, url)).toEqual(await get(source, url));
      }
      expect(await get(target, `/commitments/${id}`)).toEqual(await get(source, `/commitments/${id}`));
    }
    const report = await target.app.get(ReadModelVerifier).verify();
    expect(report.streamsChecked).toBe(commitments.length);
    expect(report.differenceCount).toBe(0);
    const readModels = [
      '/follow-ups?before=2100-01-01',
      '/parties/US',
      '/parties/VN',
      '/commitments?limit=200',
    ];
    // The source's catalogue row is the inline read model of its stream, registration time included.
    for (const url of [`/sources/${sourceId}?include=text`, `/sources/${sourceId}/citations`])
      expect(await get(target, url)).toEqual(await get(source, url));
    await eventually(async () => {
      for (const url of readModels) {
        if (JSON.stringify(await get(source, url)) !== JSON.stringify(await get(target, url))) return false;
      }
      return true;
    }, 'the asynchronous read models of both databases agree');

    // The idempotency records came with their events, each answering as its append did.
    expect(await target.query(IDEMPOTENCY_RECORDS)).toEqual(await source.query(IDEMPOTENCY_RECORDS));
    expect(await target.query(MISPLACED_RECORDS)).toEqual([]);
    // The same file imports as already present.
    const again = await importFile(target, toNdjson(lines));
    expect(again.appended).toBe(0);
    expect(await exported(target)).toBe(text);
  });

  it('restores the same when streams are read back instead of folded from memory, in batches of any size', async () => {
    const split = await createTestApp(to, SLOW_START);
    try {
      // 16 KiB of held events: streams are let go and read back, later ones held again.
      await restore(split, file, { eventsPerInsert: 7, heldBytes: 16_384 });
      expect(await exported(split)).toBe(text);
      for (const sql of RESTORED_TABLES) expect(await split.query(sql)).toEqual(await target.query(sql));
      expect(await split.query(MISPLACED_RECORDS)).toEqual([]);
      const everyEvent =
        'SELECT event_id, stream_id, stream_version, type, data, metadata, occurred_at, recorded_at FROM events ORDER BY global_position';
      expect(await split.query(everyEvent)).toEqual(await target.query(everyEvent));
    } finally {
      await split.close();
    }
  });
});
