import type { Pool } from 'pg';
import { PG_POOL } from '../../src/database/database.module.js';
import { EventStore } from '../../src/event-store/event-store.js';
import { ProjectionCheckpoints } from '../../src/projections/projection-checkpoints.js';
import { DEFAULT_RUNNER_OPTIONS, ProjectionRunner } from '../../src/projections/projection-runner.js';
import {
  DEFAULT_SUPERVISOR_OPTIONS,
  ProjectionSupervisor,
} from '../../src/projections/projection-supervisor.js';
import { bearer, createTestApp, type TestApp } from '../support/test-app.js';
import { TEST_ENGINES } from '../support/test-database.js';
import {
  logSettled,
  projectionsLive,
  RecordingProjection,
  recordedEventIds,
  SILENT_LOGGER,
  verifyOverHttp,
} from './projection-fixtures.js';
import { nextPowerOfTen, TransactionIdCounter } from './transaction-ids.js';

/**
 * Issue 8, defect 1: the log was read in the text order of its transaction ids, where 1000 sorts before
 * 999, and readers skipped and repeated events once ids gained a digit. Here the log crosses such points,
 * with appends on both sides of each (and the readers caught up just before each), and every reader must
 * see each event exactly once, in numeric (transaction id, position) order.
 */

/**
 * On a shared PostgreSQL server ids are cluster-wide: the next digit is crossed only if this close
 * (TEST_MAX_TRANSACTIONS_TO_CONSUME raises it for a run that may go further; about 200,000 empty
 * transactions a second here).
 */
const MAX_TRANSACTIONS_TO_CONSUME = BigInt(process.env.TEST_MAX_TRANSACTIONS_TO_CONSUME ?? 150_000);
const EMBEDDED_TRANSACTION_ID_BOUNDARIES = [1_000n, 10_000n, 100_000n];
/** Positions are per database: these are crossed inside one transaction, where only the position orders. */
const POSITION_BOUNDARIES = [10, 100, 1_000];
const PAGE_LIMITS = [1, 7, 50, 100, 1000];
/** Over HTTP, one event per request is read only around each boundary: the whole log would take minutes. */
const FEED_PAGE_LIMITS = PAGE_LIMITS.filter((limit) => limit > 1);
const FEED_WINDOW = 25;
/** A page at a time through some 6,000 events: generous for a machine kept busy by other work. */
const PAGING_TIMEOUT_MS = 180_000;
/** Transactions left free below a boundary for the appends that must land before it. */
const MARGIN = 40n;
const source = { title: 'Joint statement' };

interface LoggedEvent {
  readonly eventId: string;
  readonly transactionId: bigint;
  readonly globalPosition: bigint;
  readonly position: string;
}

describe.each(TEST_ENGINES)('global log order across digit boundaries on %s', (engineName) => {
  let app: TestApp;
  let pool: Pool;
  let store: EventStore;
  let counter: TransactionIdCounter;
  let recording: ProjectionRunner;
  /** The recording projection refuses a repeated event: its failure is kept for its test, the scenario goes on. */
  let recordingFailure: unknown = null;
  let log: LoggedEvent[];
  let developments = 0;
  let commitments = 0;
  let notes = 0;
  const crossedTransactionIds: bigint[] = [];

  /** One development over HTTP (one transaction, one event): a new commitment, or a statement on the last. */
  async function develop(): Promise<void> {
    const n = developments++;
    const id = `log-order-${Math.floor(n / 3)}`;
    if (n % 3 === 0) return propose(id);
    const res = await post(`/commitments/${id}/statements`, {
      speaker: { name: 'Foreign Minister', party: n % 2 ? 'VN' : 'US' },
      stance: n % 2 ? 'supports' : 'concerned',
      summary: `Statement ${n}`,
      occurredAt: '2024-04-01',
      source,
    });
    if (res.status !== 201) throw new Error(`${res.status} ${res.text}`);
  }

  async function propose(id: string): Promise<void> {
    const res = await post('/commitments', {
      id,
      title: `Log order ${id}`,
      kind: 'pledge',
      parties: ['VN', 'US'],
      proposedBy: 'VN',
      occurredAt: '2024-03-01',
      dueDate: '2031-01-01',
      source,
    });
    if (res.status !== 201) throw new Error(`${res.status} ${res.text}`);
    commitments++;
  }

  function post(url: string, body: object) {
    return app.http.post(url).set('Authorization', bearer(app.keys.analyst)).send(body);
  }

  /** `count` events of a new stream in one transaction: consecutive positions under one transaction id. */
  async function appendNotes(count: number): Promise<void> {
    const events = Array.from({ length: count }, (_, i) => ({ type: 'NoteTaken', data: { i } }));
    await store.appendToStream(`note-${notes++}`, events);
  }

  async function lastTransactionId(): Promise<bigint> {
    const { rows } = await pool.query<{ last: string }>(
      'SELECT max(transaction_id)::text AS last FROM events',
    );
    return BigInt(rows[0].last);
  }

  /** Every reader takes in the log as it stands: the next events they read are the other side. */
  async function readersCatchUp(): Promise<void> {
    await logSettled(pool);
    if (recordingFailure === null) {
      await recording.catchUp().catch((error: unknown) => {
        recordingFailure = error;
      });
    }
    await projectionsLive(app);
  }

  /**
   * Appends before the boundary, lets every reader catch up, then appends across it: a commitment proposed
   * just before it and never touched again, then developments and notes until past it. With `pauseApp`,
   * the app's projectors are stopped meanwhile and more than one of their batches is appended past the
   * boundary: read in text order, a batch would hold only events past it and its checkpoint would jump
   * over the ones just before it, for good (issue 8), leaving that commitment out of the read models.
   */
  async function crossTransactionIdBoundary(boundary: bigint, pauseApp: boolean): Promise<void> {
    const from = await counter.next();
    const startedAt = Date.now();
    const consumed = await counter.advanceTo(boundary - MARGIN);
    const consumedMs = Date.now() - startedAt;
    await develop();
    await appendNotes(3);
    await develop();
    await readersCatchUp();
    const supervisor = app.app.get(ProjectionSupervisor);
    if (pauseApp) await supervisor.stop();
    await counter.advanceTo(boundary - 3n);
    await propose(`just-before-${boundary}`);
    expect(await lastTransactionId()).toBeLessThan(boundary);
    while ((await lastTransactionId()) < boundary + 2n) {
      await develop();
      await appendNotes(2);
    }
    if (pauseApp) {
      await appendNotes(DEFAULT_SUPERVISOR_OPTIONS.batchSize);
      await supervisor.start();
    }
    await readersCatchUp();
    crossedTransactionIds.push(boundary);
    console.log(
      `${engineName}: transaction ids crossed ${boundary - 1n} → ${boundary} (from ${from}, after ` +
        `${consumed} empty transactions in ${consumedMs} ms, ${Date.now() - startedAt} ms with the appends)`,
    );
  }

  /** A transaction whose events take positions boundary-2 … boundary+1, between two single-event ones. */
  async function crossPositionBoundary(boundary: number): Promise<void> {
    const { rows } = await pool.query<{ next: string }>(
      'SELECT (coalesce(max(global_position), 0) + 1)::text AS next FROM events',
    );
    const next = Number(rows[0].next);
    if (next > boundary - 3) throw new Error(`position ${boundary} is too close already (next ${next})`);
    if (next < boundary - 3) await appendNotes(boundary - 3 - next);
    await develop();
    await readersCatchUp();
    await appendNotes(4);
    await develop();
    await readersCatchUp();
  }

  /** `GET /events` page after page from `after` (null: the start), until `count` events or the end. */
  async function readFeed(limit: number, after: string | null, count = Infinity): Promise<string[]> {
    const seen: string[] = [];
    while (seen.length < count) {
      const res = await app.http
        .get('/events')
        .query({ limit, ...(after === null ? {} : { after }) })
        .set('Authorization', bearer(app.keys.reader));
      expect(res.status).toBe(200);
      const events = res.body.events as { position: string }[];
      if (events.length === 0) {
        expect(res.body.lastPosition).toBe(after);
        break;
      }
      seen.push(...events.map((event) => event.position));
      after = res.body.lastPosition as string;
    }
    return seen;
  }

  beforeAll(async () => {
    app = await createTestApp(engineName);
    pool = app.app.get(PG_POOL);
    store = app.app.get(EventStore);
    counter = await TransactionIdCounter.open(pool, app.database);
    await RecordingProjection.createTable(pool);
    const checkpoints = new ProjectionCheckpoints(pool);
    await checkpoints.ensureExist(['recording']);
    recording = new ProjectionRunner(
      pool,
      store,
      checkpoints,
      new RecordingProjection(),
      { ...DEFAULT_RUNNER_OPTIONS, batchSize: 7 },
      SILENT_LOGGER,
    );

    await crossPositionBoundary(POSITION_BOUNDARIES[0]);
    await crossPositionBoundary(POSITION_BOUNDARIES[1]);
    if (engineName === 'embedded') {
      const [first, second, last] = EMBEDDED_TRANSACTION_ID_BOUNDARIES;
      await crossTransactionIdBoundary(first, false);
      await crossPositionBoundary(POSITION_BOUNDARIES[2]);
      await crossTransactionIdBoundary(second, false);
      await crossTransactionIdBoundary(last, true);
    } else {
      await crossPositionBoundary(POSITION_BOUNDARIES[2]);
      const next = await counter.next();
      const boundary = nextPowerOfTen(next + MARGIN);
      if (boundary - next <= MAX_TRANSACTIONS_TO_CONSUME) await crossTransactionIdBoundary(boundary, true);
      else
        console.log(
          `${engineName}: transaction ids stand at ${next} on this server; the next digit (${boundary}) is ` +
            `${boundary - next} transactions away, more than ${MAX_TRANSACTIONS_TO_CONSUME}: not crossed, ` +
            'only the position boundaries are',
        );
    }

    await logSettled(pool);
    const { rows } = await pool.query<{ event_id: string; transaction_id: string; global_position: string }>(
      'SELECT event_id, transaction_id::text AS transaction_id, global_position::text AS global_position FROM events',
    );
    log = rows
      .map((row) => ({
        eventId: row.event_id,
        transactionId: BigInt(row.transaction_id),
        globalPosition: BigInt(row.global_position),
        position: `${row.transaction_id}-${row.global_position}`,
      }))
      .sort(
        (a, b) =>
          compareBigInt(a.transactionId, b.transactionId) ||
          compareBigInt(a.globalPosition, b.globalPosition),
      );
  }, 300_000);
  afterAll(async () => {
    await counter?.close();
    await app?.close();
  });

  it('crosses each boundary with events on both sides, where text order is not numeric order', () => {
    for (const boundary of crossedTransactionIds) {
      expect(log.some((e) => e.transactionId < boundary)).toBe(true);
      expect(log.some((e) => e.transactionId >= boundary)).toBe(true);
    }
    for (const boundary of POSITION_BOUNDARIES) {
      const [before, after] = [BigInt(boundary - 1), BigInt(boundary)].map((p) =>
        log.find((e) => e.globalPosition === p),
      );
      expect(before?.transactionId).toBe(after?.transactionId);
    }
    // The engines differ here for a reason: an embedded database starts its transaction ids afresh, so all
    // three boundaries are within reach; PostgreSQL's ids are the whole server's, so the next boundary is
    // crossed only when it is near enough (beforeAll logs when it is not), and the loop above checks it.
    if (engineName === 'embedded') expect(crossedTransactionIds).toEqual(EMBEDDED_TRANSACTION_ID_BOUNDARIES);
    // The scenario could catch the defect: read in the text order of its columns, the log comes out otherwise.
    const inTextOrder = [...log].sort(
      (a, b) =>
        compareText(a.transactionId.toString(), b.transactionId.toString()) ||
        compareText(a.globalPosition.toString(), b.globalPosition.toString()),
    );
    expect(inTextOrder.map((e) => e.eventId)).not.toEqual(log.map((e) => e.eventId));
  });

  it.each(PAGE_LIMITS)(
    'readAll pages of %i deliver each event once, in numeric order',
    async (limit) => {
      const seen: string[] = [];
      let after = null;
      for (;;) {
        const page = await store.readAll({ after, limit });
        if (page.events.length === 0) break;
        expect(page.events.length).toBeLessThanOrEqual(limit);
        seen.push(
          ...page.events.map((event) => `${event.position.transactionId}-${event.position.globalPosition}`),
        );
        after = page.checkpoint;
      }
      expect(seen).toEqual(log.map((e) => e.position));
    },
    PAGING_TIMEOUT_MS,
  );

  it.each(FEED_PAGE_LIMITS)(
    'GET /events pages of %i, read on with after=lastPosition, deliver each event once, in order',
    async (limit) => {
      // The start of the log named as a position, on one of the runs.
      expect(await readFeed(limit, limit === 100 ? '0-0' : null)).toEqual(log.map((e) => e.position));
    },
    PAGING_TIMEOUT_MS,
  );

  it('GET /events one event at a time across each boundary delivers each event once, in order', async () => {
    const firstPast = [
      ...crossedTransactionIds.map((boundary) => log.findIndex((e) => e.transactionId >= boundary)),
      ...POSITION_BOUNDARIES.map((boundary) => log.findIndex((e) => e.globalPosition === BigInt(boundary))),
    ];
    for (const index of firstPast) {
      const from = Math.max(0, index - FEED_WINDOW);
      const window = log.slice(from, index + FEED_WINDOW).map((e) => e.position);
      const after = from === 0 ? '0-0' : log[from - 1].position;
      expect(await readFeed(1, after, window.length)).toEqual(window);
    }
  });

  it('a projector recording every event it is handed saw each once, in numeric order', async () => {
    expect(recordingFailure).toBeNull();
    await recording.catchUp();
    expect(await recordedEventIds(pool)).toEqual(log.map((e) => e.eventId));
  });

  it('the audit (projections:verify) finds every read model equal to what the events give', async () => {
    await projectionsLive(app);
    const audit = await verifyOverHttp(app);
    expect(audit.differences).toEqual([]);
    expect([audit.streamsChecked, audit.streamsChanged]).toEqual([commitments, 0]);
    for (const model of audit.readModels) {
      expect([model.name, model.streamsCompared, model.streamsBehind]).toEqual([model.name, commitments, 0]);
    }
  });

  it('every projector applied each event once: its count and its checkpoint match the log', async () => {
    await projectionsLive(app);
    const checkpoints = new ProjectionCheckpoints(pool);
    for (const name of ['follow-ups', 'party-commitments', 'recording']) {
      const checkpoint = await checkpoints.read(name);
      expect([
        name,
        checkpoint.eventsApplied,
        `${checkpoint.position.transactionId}-${checkpoint.position.globalPosition}`,
      ]).toEqual([name, log.length, log[log.length - 1].position]);
    }
  });
});

function compareBigInt(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
