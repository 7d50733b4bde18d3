import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CommandBus } from '@nestjs/cqrs';
import { RecordDevelopment } from '../../src/commitments/write/record-development.command.js';
import { CommitmentSnapshotStore } from '../../src/commitments/read-models/commitment-status/commitment-snapshot-store.js';
import { CommitmentWriter } from '../../src/commitments/write/commitment-writer.js';
import { EventStore } from '../../src/event-store/event-store.js';
import { StreamLocks } from '../../src/event-store/stream-locks.js';
import { createValidationPipe } from '../../src/http/validation.js';
import { importedDevelopment, type ImportedDevelopment } from '../../src/imports/import-development.js';
import { SourcesService } from '../../src/sources/sources.service.js';
import { bearer, createTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, TEST_ENGINES, type TestDatabase } from '../support/test-database.js';
import { generatedLines, toNdjson } from './import-fixtures.js';

const source = { title: 'Wire report' };
const statement = (n: number, extra: Record<string, unknown> = {}) => ({
  action: 'statements',
  commitmentId: 'raced',
  occurredAt: `2024-02-${String(n).padStart(2, '0')}`,
  source,
  speaker: { name: `Speaker ${n}`, party: 'US' },
  stance: 'supports',
  summary: `Statement ${n}`,
  ...extra,
});

/** The store as the writer sees it, with another writer getting in just before its first append. */
function storeWithARival(store: EventStore, rival: () => Promise<unknown>): EventStore {
  let raced = false;
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'appendToStream') return Reflect.get(target, property, receiver) as unknown;
      return async (...args: Parameters<EventStore['appendToStream']>) => {
        if (!raced) {
          raced = true;
          await rival();
        }
        return target.appendToStream(...args);
      };
    },
  });
}

/**
 * The import's writer on `store`, its turns on a stream not shared with the rival: the rival stands for a
 * writer in another instance (in this process, the rival's turn would wait for the import's, which waits
 * for it).
 */
function writerElsewhere(app: TestApp, store: EventStore, jobId: string) {
  return new CommitmentWriter(
    store,
    app.app.get(CommitmentSnapshotStore),
    new StreamLocks(),
    app.app.get(SourcesService),
  ).sequence({ recordedBy: 'analyst', correlationId: jobId });
}

describe.each(TEST_ENGINES)('import against other writers on %s', (engineName) => {
  let app: TestApp;
  let lines: ImportedDevelopment[];

  beforeAll(async () => {
    app = await createTestApp(engineName);
    const propose = await app.http
      .post('/commitments')
      .set('Authorization', bearer(app.keys.analyst))
      .send({
        id: 'raced',
        title: 'Raced',
        kind: 'pledge',
        parties: ['US'],
        proposedBy: 'US',
        occurredAt: '2024-01-01',
        source,
      });
    expect(propose.status).toBe(201);
    const pipe = createValidationPipe();
    lines = [];
    for (const [index, fields] of [
      statement(3),
      statement(4, { idempotencyKey: 'shared-key' }),
      statement(5),
    ].entries()) {
      lines.push(
        (await importedDevelopment(index + 1, fields, 'analyst', pipe, new Date())) as ImportedDevelopment,
      );
    }
  });
  afterAll(() => app?.close());

  it('decides a commitment’s lines again after losing the race, and counts a line a rival stored as present', async () => {
    const commands = app.app.get(CommandBus);
    const rival = () =>
      commands.execute(
        new RecordDevelopment(
          {
            type: 'RecordStatement',
            data: { ...statement(4), commitmentId: 'raced', occurredAt: '2024-02-04' } as never,
          },
          { metadata: { recordedBy: 'analyst' }, idempotency: lines[1].idempotency },
        ),
      );
    const writer = writerElsewhere(app, storeWithARival(app.app.get(EventStore), rival), 'job');
    const outcomes = await writer.record(lines);
    expect(outcomes.map((o) => [o.line, o.outcome.status])).toEqual([
      [1, 'appended'],
      [2, 'present'],
      [3, 'appended'],
    ]);
    const history = await app.http
      .get('/commitments/raced/history')
      .set('Authorization', bearer(app.keys.reader));
    expect(
      (history.body as { events: { data: { summary?: string } }[] }).events.map((e) => e.data.summary),
    ).toEqual([undefined, 'Statement 4', 'Statement 3', 'Statement 5']);
  });

  it('decides a commitment’s lines again on its fresh state after another writer appended first', async () => {
    const commands = app.app.get(CommandBus);
    const fields = [statement(10), statement(12)].map((line) => ({ ...line, commitmentId: 'raced' }));
    const pipe = createValidationPipe();
    const mine: ImportedDevelopment[] = [];
    for (const [index, line] of fields.entries()) {
      mine.push(
        (await importedDevelopment(index + 1, line, 'analyst', pipe, new Date())) as ImportedDevelopment,
      );
    }
    const rival = () =>
      commands.execute(
        new RecordDevelopment(
          {
            type: 'RecordStatement',
            data: { ...statement(11), commitmentId: 'raced', occurredAt: '2024-02-11' } as never,
          },
          { metadata: { recordedBy: 'rival' } },
        ),
      );
    const writer = writerElsewhere(app, storeWithARival(app.app.get(EventStore), rival), 'job-2');
    const outcomes = await writer.record(mine);
    expect(outcomes.map((o) => o.outcome.status)).toEqual(['appended', 'appended']);
    const history = await app.http
      .get('/commitments/raced/history')
      .set('Authorization', bearer(app.keys.reader));
    const events = (history.body as { events: { recordedBy: string; data: { summary?: string } }[] }).events;
    expect(events.slice(-3).map((e) => [e.recordedBy, e.data.summary])).toEqual([
      ['rival', 'Statement 11'],
      ['analyst', 'Statement 10'],
      ['analyst', 'Statement 12'],
    ]);
  });
});

describe.each(TEST_ENGINES)('an import when its instance stops, on %s', (engineName) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-stop-'));
  let database: TestDatabase;

  beforeAll(async () => {
    database =
      engineName === 'embedded'
        ? { engineName, env: { DATA_DIR: dir }, drop: async () => undefined }
        : await createTestDatabase(engineName);
  });
  afterAll(async () => {
    await database?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is interrupted, says why, and the same file imported again completes it', async () => {
    const lines = generatedLines(300, 40, 5);
    const first = await createTestApp(engineName, {}, { database });
    const res = await first.http
      .post('/imports')
      .set('Authorization', bearer(first.keys.analyst))
      .set('Content-Type', 'application/x-ndjson')
      .send(toNdjson(lines));
    expect(res.status).toBe(202);
    const { jobId } = res.body as { jobId: string };
    await first.close();

    const second = await createTestApp(engineName, {}, { database });
    try {
      const stopped = await second.http
        .get(`/imports/${jobId}`)
        .set('Authorization', bearer(second.keys.reader));
      expect(stopped.body).toMatchObject({
        state: 'interrupted',
        error: expect.stringMatching(/shutting down/),
      });
      expect((stopped.body as { linesRead: number }).linesRead).toBeLessThan(lines.length);
      const again = await second.http
        .post('/imports')
        .set('Authorization', bearer(second.keys.analyst))
        .set('Content-Type', 'application/x-ndjson')
        .send(toNdjson(lines));
      let job: {
        state: string;
        linesRead: number;
        appended: number;
        alreadyPresent: number;
        refused: number;
      };
      do {
        job = (
          await second.http
            .get(`/imports/${(again.body as { jobId: string }).jobId}`)
            .set('Authorization', bearer(second.keys.reader))
        ).body as typeof job;
      } while (job.state === 'running');
      expect(job.state).toBe('completed');
      expect(job.appended + job.alreadyPresent + job.refused).toBe(lines.length);
      expect(job.alreadyPresent).toBe((stopped.body as { appended: number }).appended);
    } finally {
      await second.close();
    }
  }, 240_000);
});
