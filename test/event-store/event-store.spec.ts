import { Client, Pool, type PoolConfig } from 'pg';
import { AppendStatements } from '../../src/event-store/append-statements.js';
import { EventStore } from '../../src/event-store/event-store.js';
import {
  ConcurrencyError,
  IdempotencyKeyReusedError,
  StreamNotFoundError,
} from '../../src/event-store/event-store.errors.js';
import type { LogPosition } from '../../src/event-store/event-store.types.js';
import { openMigratedDatabase, TEST_ENGINES, type MigratedDatabase } from '../support/test-database.js';

const note = (n: number) => ({ type: 'NoteTaken', data: { n } });

/**
 * The log is read only below the oldest transaction still running anywhere on the server (xids are
 * cluster-wide), so a suite running beside this one can hold new events back for a moment: wait for them.
 */
async function readAllSettled(
  store: EventStore,
  after: LogPosition | null,
  expected: number,
  limit?: number,
) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const read = await store.readAll({ after, limit });
    if (read.events.length >= expected || Date.now() > deadline) return read;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Where the log ends now, counting every committed event (readAll may still be holding some back). */
async function logEnd(db: MigratedDatabase): Promise<LogPosition | null> {
  const [last] = await db.dataSource.query(
    `SELECT transaction_id::text AS "transactionId", global_position::text AS "globalPosition"
     FROM events ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
  );
  return (last as LogPosition | undefined) ?? null;
}

describe.each(TEST_ENGINES)('event store on %s', (engineName) => {
  let db: MigratedDatabase;
  let store: EventStore;

  beforeAll(async () => {
    db = await openMigratedDatabase(engineName);
    store = new EventStore(db.pool);
  });
  afterAll(() => db.close());

  it('appends with versions from 1 and reads the stream back in order', async () => {
    const first = await store.appendToStream('s-basic', [note(1), note(2)], {
      expectedVersion: 'no_stream',
      metadata: { recordedBy: 'alice', correlationId: 'c-1', causationId: 'k-1' },
    });
    expect(first.streamVersion).toBe(2);
    await store.appendToStream('s-basic', [{ ...note(3), occurredAt: '2024-10-11' }], { expectedVersion: 2 });
    const events = await store.readStream('s-basic');
    expect(events.map((e) => [e.streamVersion, e.data])).toEqual([
      [1, { n: 1 }],
      [2, { n: 2 }],
      [3, { n: 3 }],
    ]);
    expect(events[0].metadata).toEqual({ recordedBy: 'alice', correlationId: 'c-1', causationId: 'k-1' });
    expect(events[2].occurredAt).toBe('2024-10-11T00:00:00.000Z');
    expect(Date.parse(events[0].recordedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(await store.readStream('s-basic', { fromVersion: 2, toVersion: 2 })).toHaveLength(1);
  });

  /**
   * The statement takes its input as arrays; were each execution planned again (a custom plan sized to
   * the arrays it is given), every append would pay the planning of the whole statement.
   */
  it('keeps one generic plan for each append statement instead of planning each append again', async () => {
    // Prepared statements belong to a session: one connection sees them all (the embedded engine serves
    // every connection from its one session, which a second pool would reset when it closes).
    const pool =
      engineName === 'embedded'
        ? db.pool
        : new Pool({ ...(db.pool as unknown as { options: PoolConfig }).options, max: 1 });
    try {
      const single = new EventStore(pool);
      for (let n = 1; n <= 12; n++) {
        await single.appendToStream('s-plan', [note(n)], { expectedVersion: n - 1 });
        await single.appendToStream(`s-plan-${n}`, [note(1), note(2)], { expectedVersion: 'no_stream' });
      }
      const statements = new AppendStatements(new Map());
      const names = [statements.for([], 'one').name, statements.for([], 'arrays').name];
      const { rows } = await pool.query<{ generic_plans: string; custom_plans: string }>(
        'SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = ANY($1)',
        [names],
      );
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        expect(Number(row.custom_plans)).toBeLessThanOrEqual(5);
        expect(Number(row.generic_plans)).toBeGreaterThanOrEqual(7);
      }
    } finally {
      if (pool !== db.pool) await pool.end();
    }
  });

  it('lets exactly one of 32 concurrent appends with the same expected version win', async () => {
    await store.appendToStream('s-race', [note(0)], { expectedVersion: 'no_stream' });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 32 }, (_, i) => store.appendToStream('s-race', [note(i)], { expectedVersion: 1 })),
    );
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(31);
    for (const loss of lost) expect(loss.reason).toBeInstanceOf(ConcurrencyError);
    expect((await store.readStream('s-race')).map((e) => e.streamVersion)).toEqual([1, 2]);
  });

  it("refuses 'no_stream' on an existing stream and a version on a missing one", async () => {
    await store.appendToStream('s-exists', [note(1)], { expectedVersion: 'no_stream' });
    await expect(
      store.appendToStream('s-exists', [note(2)], { expectedVersion: 'no_stream' }),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(store.appendToStream('s-missing', [note(1)], { expectedVersion: 3 })).rejects.toBeInstanceOf(
      StreamNotFoundError,
    );
    await expect(store.readExistingStream('s-missing')).rejects.toBeInstanceOf(StreamNotFoundError);
  });

  it('keeps 25 concurrent read-decide-append cycles on one stream isolated and gapless', async () => {
    const writer = async (n: number) => {
      for (;;) {
        const version = await store.streamVersion('s-isolated');
        try {
          return await store.appendToStream('s-isolated', [note(n)], { expectedVersion: version });
        } catch (error) {
          if (!(error instanceof ConcurrencyError)) throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: 25 }, (_, n) => writer(n)));
    const events = await store.readStream<
      { data: { n: number } } & Awaited<ReturnType<typeof store.readStream>>[number]
    >('s-isolated');
    expect(events.map((e) => e.streamVersion)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(new Set(events.map((e) => e.data.n)).size).toBe(25);
  });

  it('isolates 20 concurrent explicit transactions that read, then insert', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, n) =>
        db.dataSource.transaction(async (manager) => {
          const [{ version }] = await manager.query(
            `SELECT coalesce(max(stream_version), 0) AS version FROM events WHERE stream_id = 's-tx'`,
          );
          await manager.query(
            `INSERT INTO events (event_id, stream_id, stream_version, type, data, occurred_at)
             VALUES (gen_random_uuid(), 's-tx', $1, 'NoteTaken', $2, now())`,
            [version + 1, JSON.stringify({ n })],
          );
        }),
      ),
    );
    const succeeded = outcomes.filter((o) => o.status === 'fulfilled').length;
    // Both engines: a transaction either commits the next version or is refused by the unique
    // (stream, version) key, never anything else. How many commit differs, for a reason: PGlite through
    // one pooled connection serialises the transactions, so all 20 do; PostgreSQL runs them at once under
    // READ COMMITTED, so those that read the same version race and one per version commits.
    const refusals = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(refusals.map((reason) => (reason as { constraint?: unknown }).constraint)).toEqual(
      refusals.map(() => 'events_stream_version_unique'),
    );
    expect(succeeded).toBeGreaterThanOrEqual(1);
    if (engineName === 'embedded') expect(succeeded).toBe(20);
    const versions = (await store.readStream('s-tx')).map((e) => e.streamVersion);
    expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => i + 1));
    expect(versions).toHaveLength(succeeded);
  });

  it('answers an idempotent retry with the first result and appends nothing', async () => {
    const idempotency = { key: 'retry-1', requestHash: 'hash-a' };
    const first = await store.appendToStream('s-idem', [note(1)], {
      expectedVersion: 'no_stream',
      idempotency,
    });
    const retry = await store.appendToStream('s-idem', [note(1)], {
      expectedVersion: 'no_stream',
      idempotency,
    });
    expect(retry).toEqual({ ...first, replayed: true });
    expect(first.replayed).toBe(false);
    expect(await store.readStream('s-idem')).toHaveLength(1);
    await expect(
      store.appendToStream('s-idem', [note(2)], {
        expectedVersion: 1,
        idempotency: { key: 'retry-1', requestHash: 'hash-b' },
      }),
    ).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect(await store.readStream('s-idem')).toHaveLength(1);
  });

  it('appends once when the same idempotent append races with itself', async () => {
    const idempotency = { key: 'race-1', requestHash: 'hash' };
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        store.appendToStream('s-idem-race', [note(1)], { expectedVersion: 'any', idempotency }),
      ),
    );
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(new Set(results.map((r) => r.events[0].eventId)).size).toBe(1);
    expect(await store.readStream('s-idem-race')).toHaveLength(1);
  });

  it.each([
    ['UPDATE', `UPDATE events SET type = 'Tampered'`],
    ['DELETE', `DELETE FROM events`],
    ['TRUNCATE', `TRUNCATE events`],
  ])('refuses %s on the events table', async (_op, sql) => {
    await store.appendToStream('s-immutable', [note(1)], { expectedVersion: 'any' });
    await expect(db.dataSource.query(sql)).rejects.toThrow(/append-only/);
    expect(await store.readStream('s-immutable')).not.toHaveLength(0);
  });

  it('writes the inline row its stream kind derives from the state, nothing when the append is refused, and refuses an append without a state', async () => {
    await db.dataSource.query(
      `CREATE TABLE IF NOT EXISTS note_totals (stream_id text PRIMARY KEY, total int NOT NULL, version int NOT NULL)`,
    );
    store.registerStreamKind<{ total: number; version: number }>({
      streamPrefix: 's-proj',
      eventTypes: ['NoteTaken'],
      fold: () => null,
      inline: [
        {
          definition: {
            name: 'note_totals',
            table: 'note_totals',
            keyColumns: ['stream_id'],
            columns: ['stream_id', 'total', 'version'],
          },
          row: ({ total, version }) => ({ stream_id: 's-proj', total, version }),
        },
      ],
    });
    await store.appendToStream('s-proj', [note(5)], { expectedVersion: 0, state: { total: 5, version: 1 } });
    await store.appendToStream('s-proj', [note(7)], { expectedVersion: 1, state: { total: 12, version: 2 } });
    await expect(
      store.appendToStream('s-proj', [note(9)], { expectedVersion: 1, state: { total: 99, version: 2 } }),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(store.appendToStream('s-proj', [note(9)], { expectedVersion: 2 })).rejects.toThrow(
      /append to s-proj refused: its stream kind \(s-proj\) keeps the inline read model\(s\) note_totals/,
    );
    expect(await store.streamVersion('s-proj')).toBe(2);
    expect(await db.dataSource.query(`SELECT total, version FROM note_totals`)).toEqual([
      { total: 12, version: 2 },
    ]);
  });

  it('reads the global log in commit order without skipping a transaction that committed late', async () => {
    const start = await logEnd(db);
    const slow =
      engineName === 'postgres' ? new Client({ connectionString: db.database.env.DATABASE_URL }) : null;
    const slowRunner = slow ? null : db.dataSource.createQueryRunner();
    const run = (sql: string) => (slow ? slow.query(sql) : slowRunner!.query(sql));
    if (slow) await slow.connect();
    await run('BEGIN');
    await run(`INSERT INTO events (event_id, stream_id, stream_version, type, data, occurred_at)
               VALUES (gen_random_uuid(), 's-slow', 1, 'NoteTaken', '{"n":"slow"}', now())`);

    let fastAppend: Promise<unknown>;
    if (engineName === 'postgres') {
      // The later transaction commits first and holds a higher position than the slow one's event.
      await store.appendToStream('s-fast', [note(1)], { expectedVersion: 'no_stream' });
      const early = await store.readAll({ after: start });
      expect(early.events).toHaveLength(0); // not yet safe to read: an older transaction is still open
      fastAppend = Promise.resolve();
    } else {
      // One embedded session: the later append waits for the open transaction, and nothing interleaves.
      fastAppend = store.appendToStream('s-fast', [note(1)], { expectedVersion: 'no_stream' });
    }
    await run('COMMIT');
    if (slow) await slow.end();
    if (slowRunner) await slowRunner.release();
    await fastAppend;

    const read = await readAllSettled(store, start, 2);
    expect(read.events.map((e) => e.streamId)).toEqual(['s-slow', 's-fast']);
    const positions = read.events.map((e) => BigInt(e.position.globalPosition));
    // On both engines the slow event took its position first: on PostgreSQL it is read first although it
    // committed last; on the embedded engine the fast append waited for it.
    expect(positions[0]).toBeLessThan(positions[1]);
    expect((await store.readAll({ after: read.checkpoint })).events).toHaveLength(0);
  });

  it('pages through the global log with checkpoints', async () => {
    const start = await logEnd(db);
    for (let i = 0; i < 5; i++)
      await store.appendToStream(`s-page-${i}`, [note(i)], { expectedVersion: 'no_stream' });
    const seen: string[] = [];
    let checkpoint = start;
    while (seen.length < 5) {
      const page = await readAllSettled(store, checkpoint, 1, 2);
      if (page.events.length === 0) break;
      seen.push(...page.events.map((e) => e.streamId));
      checkpoint = page.checkpoint;
    }
    expect(seen).toEqual(['s-page-0', 's-page-1', 's-page-2', 's-page-3', 's-page-4']);
  });
});
