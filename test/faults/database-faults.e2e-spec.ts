import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { commitmentIdOfStream } from '../../src/commitments/stream/commitment.stream.js';
import { ServerProcess } from '../support/server-process.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { TEST_KEYS } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { type Attempt, WriteLoad } from './write-load.js';

/**
 * Losing PostgreSQL under load, on the real built server in a child process (a crash is an exit, not a
 * dead Jest worker). Faults are made without touching the shared server: `pg_terminate_backend` of this
 * suite's own database's sessions, and a TCP proxy between the server and PostgreSQL that can be cut or
 * frozen. Every wait is for a state (writers acknowledged, projections live), never for a fixed time; the
 * only time limits are the promises under test (a 503 within 2 s of a cut, 5 s of a freeze).
 */
const onPostgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;

const WRITERS = 16;
const TERMINATION_ROUNDS = 5;
/** How long a state the service must reach may take on a loaded machine before the suite gives up. */
const STATE_TIMEOUT_MS = 60_000;
const CUT_ANSWER_MS = 2_000;
const FREEZE_ANSWER_MS = 5_000;

const API_KEYS = `reader:reader:${TEST_KEYS.reader},analyst:analyst:${TEST_KEYS.analyst},admin:admin:${TEST_KEYS.admin}`;

interface FaultWindow {
  readonly name: string;
  readonly from: number;
  readonly to: number;
  readonly answerWithinMs: number;
}

onPostgres('losing PostgreSQL under load (16 writers, real server process)', () => {
  let database: TestDatabase;
  let databaseName: string;
  let proxy: TcpProxy;
  let server: ServerProcess;
  /** Straight to PostgreSQL, never through the proxy: the faults' own tool and the final audit. */
  let admin: Client;
  let load: WriteLoad;
  const windows: FaultWindow[] = [];
  /** What was measured, printed at the end: how fast the 503s came, how fast writes resumed. */
  const measured: string[] = [];
  const party = `F-${randomBytes(3).toString('hex').toUpperCase()}`;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    databaseName = new URL(database.env.DATABASE_URL).pathname.slice(1);
    const proxied = await TcpProxy.forDatabaseUrl(database.env.DATABASE_URL);
    proxy = proxied.proxy;
    server = await ServerProcess.start({ DATABASE_URL: proxied.url, API_KEYS, SEED: 'false' });
    admin = new Client({ connectionString: database.env.DATABASE_URL });
    await admin.connect();
    load = new WriteLoad(server.url, TEST_KEYS.analyst, WRITERS, party, () => server.exit === null);
    await load.start();
  }, 120_000);

  afterAll(async () => {
    if (measured.length > 0) console.log(`faults under load:\n  ${measured.join('\n  ')}`);
    proxy?.thaw();
    proxy?.restore();
    await load?.stop();
    await server?.stop();
    await admin?.end();
    await proxy?.close();
    await database?.drop();
  }, 120_000);

  /** Fails at once, with the server's output, when the process has died. */
  function expectServerAlive(): void {
    if (server.exit) {
      throw new Error(`the server exited (${JSON.stringify(server.exit)}):\n${server.tail()}`);
    }
  }

  async function get(
    path: string,
    key = TEST_KEYS.admin,
  ): Promise<{ status: number; body: unknown; retryAfter: string | null }> {
    const response = await fetch(`${server.url}${path}`, {
      headers: { authorization: `Bearer ${key}` },
      signal: AbortSignal.timeout(30_000),
    });
    return {
      status: response.status,
      body: await response.json(),
      retryAfter: response.headers.get('retry-after'),
    };
  }

  /**
   * Terminates every session of the app's database, once it has one: right after a round the writers
   * may all have been answered by one grouped append still in flight on a session being terminated, and
   * the app holds no session until its next query connects again (group commit makes that window real).
   */
  async function terminateAppSessions(): Promise<number> {
    const deadline = Date.now() + STATE_TIMEOUT_MS;
    for (;;) {
      const { rows } = await admin.query<{ terminated: number }>(
        `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS terminated
         FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [databaseName],
      );
      if (rows[0].terminated > 0 || Date.now() > deadline) return rows[0].terminated;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('survives pg_terminate_backend of all its sessions, round after round, and keeps writing', async () => {
    let since = Date.now();
    for (let round = 0; round < TERMINATION_ROUNDS; round++) {
      await load.everyWriterAcknowledgedSince(since, STATE_TIMEOUT_MS);
      const from = Date.now();
      expect(await terminateAppSessions()).toBeGreaterThan(0);
      since = Date.now();
      windows.push({ name: `termination ${round + 1}`, from, to: since, answerWithinMs: CUT_ANSWER_MS });
      expectServerAlive();
    }
    await load.everyWriterAcknowledgedSince(since, STATE_TIMEOUT_MS);
    expectServerAlive();
  }, 180_000);

  it('answers 503 with Retry-After within 2 s while the link is cut, and recovers when it is back', async () => {
    await load.everyWriterAcknowledgedSince(Date.now(), STATE_TIMEOUT_MS);
    const from = Date.now();
    proxy.cut();
    await load.everyWriterFailedSince(from, STATE_TIMEOUT_MS);
    const health = await get('/health');
    expect(health.status).toBe(503);
    expect(health.retryAfter).toMatch(/^\d+$/);
    expectServerAlive();
    proxy.restore();
    const to = Date.now();
    windows.push({ name: 'cut', from, to, answerWithinMs: CUT_ANSWER_MS });
    await load.everyWriterAcknowledgedSince(to, STATE_TIMEOUT_MS);
    measured.push(recovery('cut', to));
    expect((await get('/health')).status).toBe(200);
    expectServerAlive();
  }, 180_000);

  it('answers 503 with Retry-After within 5 s while the server is frozen, and recovers at the thaw', async () => {
    await load.everyWriterAcknowledgedSince(Date.now(), STATE_TIMEOUT_MS);
    const from = Date.now();
    proxy.freeze();
    await load.everyWriterFailedSince(from, STATE_TIMEOUT_MS);
    expectServerAlive();
    proxy.thaw();
    const to = Date.now();
    windows.push({ name: 'freeze', from, to, answerWithinMs: FREEZE_ANSWER_MS });
    await load.everyWriterAcknowledgedSince(to, STATE_TIMEOUT_MS);
    measured.push(recovery('freeze', to));
    expectServerAlive();
  }, 180_000);

  it('answered every failed write with an honest 503 problem, in time', async () => {
    await load.stop();
    expectServerAlive();
    const failed = load.attempts.filter((attempt) => attempt.status !== 201);
    expect(failed.filter((attempt) => attempt.status !== 503).map(describeAttempt)).toEqual([]);
    for (const attempt of failed) {
      expect(attempt.retryAfter).toMatch(/^\d+$/);
      expect(attempt.contentType).toMatch(/^application\/problem\+json/);
      expect(attempt.body).toEqual(
        expect.objectContaining({
          type: '/problems/database-unavailable',
          status: 503,
          outcome: expect.any(String),
        }),
      );
      expect(['not_applied', 'unknown']).toContain(attempt.body?.outcome);
      expect(attempt.body?.detail).toMatch(
        attempt.body?.outcome === 'unknown' ? /unknown[\s\S]*same Idempotency-Key/ : /[Nn]othing was changed/,
      );
    }
    const windowOf = (attempt: Attempt) =>
      windows.find((w) => attempt.endedAt >= w.from && attempt.startedAt <= w.to + 1);
    /** From the fault (or the request, if it came later) to the answer. */
    const answerMs = (attempt: Attempt) =>
      attempt.endedAt - Math.max(attempt.startedAt, windowOf(attempt)?.from ?? attempt.startedAt);
    const late = failed.filter(
      (attempt) => answerMs(attempt) > (windowOf(attempt)?.answerWithinMs ?? CUT_ANSWER_MS),
    );
    expect(late.map(describeAttempt)).toEqual([]);
    for (const name of ['termination', 'cut', 'freeze']) {
      const inWindow = failed.filter((attempt) => windowOf(attempt)?.name.startsWith(name));
      const unknown = inWindow.filter((attempt) => attempt.body?.outcome === 'unknown').length;
      measured.push(
        `${name}: ${inWindow.length} × 503 (${unknown} outcome unknown), slowest answer ` +
          `${Math.max(0, ...inWindow.map(answerMs))} ms`,
      );
    }
    // Otherwise the faults proved nothing: writers really were refused during them.
    expect(failed.length).toBeGreaterThanOrEqual(2 * WRITERS);
  });

  it('kept every acknowledged write, each exactly once, versions without gaps', async () => {
    const { rows } = await admin.query<{
      event_id: string;
      stream_id: string;
      stream_version: number;
      key: string | null;
      recorded_ms: string;
    }>(
      // The service keeps each key under its caller's name ("analyst:<key>"): one caller's keys never meet another's.
      `SELECT event_id, stream_id, stream_version, substring(metadata->>'idempotencyKey' FROM '^analyst:(.*)$') AS key,
              (extract(epoch FROM recorded_at) * 1000)::int8::text AS recorded_ms
       FROM events ORDER BY stream_id, stream_version`,
    );
    const byKey = new Map<string, typeof rows>();
    for (const row of rows) byKey.set(row.key ?? '', [...(byKey.get(row.key ?? '') ?? []), row]);
    expect([...byKey].filter(([, events]) => events.length > 1).map(([key]) => key)).toEqual([]);
    expect(byKey.has('')).toBe(false);

    for (const [key, ack] of load.acknowledged) {
      const [event] = byKey.get(key) ?? [];
      expect({ key, eventId: event?.event_id, version: event?.stream_version }).toEqual({
        key,
        eventId: ack.eventId,
        version: ack.version,
      });
    }
    // Every event is one a writer was told about: nothing was applied that no one was answered for.
    expect(rows.length).toBe(load.acknowledged.size);

    const versions = new Map<string, number[]>();
    for (const row of rows)
      versions.set(row.stream_id, [...(versions.get(row.stream_id) ?? []), row.stream_version]);
    for (const [stream, list] of versions) {
      expect({ stream, list }).toEqual({ stream, list: list.map((_, index) => index + 1) });
    }

    // "Nothing was changed" must be true: a write so answered was applied by a later attempt, not by it.
    for (const [key, ack] of load.acknowledged) {
      const attempts = load.attempts.filter((attempt) => attempt.key === key);
      if (attempts.some((attempt) => attempt.body?.outcome === 'unknown')) continue;
      const recordedAt = Number(byKey.get(key)?.[0].recorded_ms);
      const answered = attempts.find((attempt) => attempt.status === 201 && attempt.endedAt === ack.at);
      expect({ key, appliedDuringAcknowledgedAttempt: recordedAt >= (answered?.startedAt ?? 0) - 5 }).toEqual(
        {
          key,
          appliedDuringAcknowledgedAttempt: true,
        },
      );
    }
  });

  it('brings the asynchronous read models up to date, and serves again without a restart', async () => {
    interface Overview {
      projections: { name: string; state: string; lag: { events: number } }[];
    }
    const deadline = Date.now() + STATE_TIMEOUT_MS;
    for (;;) {
      const res = await get('/admin/projections');
      const overview = res.status === 200 ? (res.body as Overview) : undefined;
      if (overview?.projections.every((p) => p.state === 'live' && p.lag.events === 0)) break;
      if (Date.now() > deadline) throw new Error(`projections not live: ${JSON.stringify(res)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await get('/health')).status).toBe(200);
    expectServerAlive();
  }, 120_000);

  it('leaves read models that agree with the log', async () => {
    await expectReadModelsAgreeWithLog();
    expectServerAlive();
  });

  /**
   * The inline status row of each commitment is at its stream's last version, and the party view (built
   * asynchronously from every stream) lists every commitment with the stance of its latest statement.
   */
  async function expectReadModelsAgreeWithLog(): Promise<void> {
    const { rows } = await admin.query<{ stream_id: string; version: number }>(
      `SELECT stream_id, max(stream_version) AS version FROM events GROUP BY stream_id`,
    );
    const logVersion = new Map(rows.map((row) => [commitmentIdOfStream(row.stream_id), row.version]));
    for (const id of load.commitmentIds) {
      const view = await get(`/commitments/${id}`, TEST_KEYS.reader);
      expect({ id, version: (view.body as { version?: number }).version }).toEqual({
        id,
        version: logVersion.get(id),
      });
    }
    const partyView = await get(`/parties/${party}`, TEST_KEYS.reader);
    expect(partyView.status).toBe(200);
    const listed = (partyView.body as { commitments: { commitmentId: string; stance?: string }[] })
      .commitments;
    expect(listed.map((c) => c.commitmentId).sort()).toEqual([...load.commitmentIds].sort());
    expect(listed.filter((c) => c.stance !== 'reaffirms')).toEqual([]);
  }

  function recovery(fault: string, back: number): string {
    const first = Math.min(...load.acknowledgedSince(back).map((ack) => ack.at));
    return `${fault}: first write acknowledged ${first - back} ms after the database was back, every writer within ${Date.now() - back} ms`;
  }
});

function describeAttempt(attempt: Attempt): string {
  const took = attempt.endedAt - attempt.startedAt;
  return `${attempt.key}: ${attempt.status || attempt.transportError} after ${took} ms ${JSON.stringify(attempt.body)}`;
}
