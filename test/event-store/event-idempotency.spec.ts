import { EventStore } from '../../src/event-store/event-store.js';
import { IdempotentEventsPresentError } from '../../src/event-store/event-store.errors.js';
import type { NewEvent } from '../../src/event-store/event-store.types.js';
import { appendSql } from '../../src/event-store/append-statements.js';
import { openMigratedDatabase, TEST_ENGINES, type MigratedDatabase } from '../support/test-database.js';
import { logSettled } from '../projections/projection-fixtures.js';

const keyed = (n: number, key: string, requestHash = `hash-${key}`): NewEvent => ({
  type: 'NoteTaken',
  data: { n },
  idempotency: { key, requestHash },
});

/** A multi-event append whose events carry idempotency keys of their own (the import's appends). */
describe.each(TEST_ENGINES)('per-event idempotency on %s', (engineName) => {
  let db: MigratedDatabase;
  let store: EventStore;

  beforeAll(async () => {
    db = await openMigratedDatabase(engineName);
    store = new EventStore(db.pool);
  });
  afterAll(() => db.close());

  it('writes one idempotency record per keyed event in the append, each naming its own event', async () => {
    const result = await store.appendToStream(
      's-keys',
      [keyed(1, 'k-1'), { type: 'NoteTaken', data: { n: 2 } }, keyed(3, 'k-3')],
      { expectedVersion: 'no_stream' },
    );
    const stored = await store.storedIdempotency(['k-1', 'k-3', 'k-unknown']);
    expect(stored.map((record) => [record.key, record.result.streamVersion]).sort()).toEqual([
      ['k-1', 1],
      ['k-3', 3],
    ]);
    const third = stored.find((record) => record.key === 'k-3')!;
    expect(third.requestHash).toBe('hash-k-3');
    expect(third.result.events).toEqual([result.events[2]]);
    const events = await store.readStream('s-keys');
    expect(events[0].metadata).toEqual({ idempotencyKey: 'k-1', requestHash: 'hash-k-1' });
    expect(events[1].metadata).toEqual({});
  });

  it('appends nothing when one key of the append is stored already, and names it', async () => {
    await store.appendToStream('s-present', [keyed(1, 'p-1')], { expectedVersion: 'no_stream' });
    const attempt = store.appendToStream('s-present', [keyed(2, 'p-2'), keyed(1, 'p-1')], {
      expectedVersion: 1,
    });
    const error = await attempt.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IdempotentEventsPresentError);
    expect((error as IdempotentEventsPresentError).present.map((record) => record.key)).toEqual(['p-1']);
    expect(await store.readStream('s-present')).toHaveLength(1);
    expect(await store.storedIdempotency(['p-2'])).toEqual([]);
  });

  it('lets exactly one of several concurrent appends carrying the same key store it', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, index) =>
        store.appendToStream(`s-race-${index}`, [keyed(index, 'shared-key', 'same-hash')], {
          expectedVersion: 'no_stream',
        }),
      ),
    );
    const appended = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    expect(appended).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(IdempotentEventsPresentError);
    }
    const [{ count }] = await db.dataSource.query<{ count: string }[]>(
      `SELECT count(*)::text AS count FROM events WHERE starts_with(stream_id, 's-race-')`,
    );
    expect(count).toBe('1');
  });

  it('refuses an append that carries the same key twice', async () => {
    await expect(
      store.appendToStream('s-twice', [keyed(1, 'twice'), keyed(2, 'twice')], { expectedVersion: 'any' }),
    ).rejects.toThrow(/appears twice/);
    expect(await store.readStream('s-twice')).toEqual([]);
  });
});

describe.each(TEST_ENGINES)('the global log on %s', (engineName) => {
  let db: MigratedDatabase;

  beforeAll(async () => {
    db = await openMigratedDatabase(engineName);
  });
  afterAll(() => db.close());

  it('pages in the numeric order of positions, also past a digit within one transaction', async () => {
    const store = new EventStore(db.pool);
    await store.appendToStream(
      's-digits',
      Array.from({ length: 15 }, (_, n) => ({ type: 'NoteTaken', data: { n } })),
    );
    // The log is read below the oldest running transaction of the whole server (xids are cluster-wide):
    // a suite running beside this one in another database may hold the new events back for a moment.
    await logSettled(db.pool);
    const seen: number[] = [];
    let after = null;
    for (let page = 0; page < 10 && seen.length < 15; page++) {
      const read = await store.readAll({ after, limit: 4 });
      seen.push(...read.events.map((event) => (event.data as { n: number }).n));
      after = read.checkpoint;
    }
    expect(seen).toEqual(Array.from({ length: 15 }, (_, n) => n));
  });

  /**
   * A prepared append keeps the plan it was given when the key table was small; a lookup planned as a
   * join over the whole table then reads every stored key on every append (an import of 100,000 lines
   * slowed from 0.7 to 11 ms per append as the table grew). Each key must be one probe of the primary key
   * whatever the statistics say: checked on the generic plan with the table's statistics taken at 2,000 keys.
   */
  it('looks each key up through its index in the plan the prepared appends keep', async () => {
    await db.dataSource.query(
      `INSERT INTO idempotency_keys (idempotency_key, request_hash, stream_id, result)
       SELECT 'plan-' || n, 'hash', 's-plan', '{}'::jsonb FROM generate_series(1, 2000) AS n`,
    );
    await db.dataSource.query('ANALYZE idempotency_keys');
    const client = await db.pool.connect();
    try {
      await client.query('SET plan_cache_mode = force_generic_plan');
      const plans: Record<string, string> = {};
      const id = (n: number) => `${'0'.repeat(8)}-0000-7000-8000-${String(n).padStart(12, '0')}`;
      await client.query(`PREPARE plan_append AS ${appendSql([])}`);
      for (const [name, args] of [
        [
          'one append of two keyed events',
          `'{s}', '{null}', '{k}', '{h}', '{1,1}', '{1,2}', '{${id(1)},${id(2)}}', '{t,t}', '{"{}","{}"}', ` +
            `'{"{}","{}"}', '{null,null}', '{k1,k2}', '{h1,h2}'`,
        ],
        [
          'a group',
          `'{s,r}', '{null,null}', '{k,l}', '{h,i}', '{1,2}', '{1,1}', '{${id(1)},${id(2)}}', '{t,t}', ` +
            `'{"{}","{}"}', '{"{}","{}"}', '{null,null}', '{null,null}', '{null,null}'`,
        ],
      ] as const) {
        const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE plan_append(${args})`);
        plans[name] = rows.map((row) => row['QUERY PLAN']).join('\n');
      }
      await client.query('DEALLOCATE plan_append');
      for (const plan of Object.values(plans)) {
        expect(plan).not.toMatch(/Seq Scan on idempotency_keys/);
        expect(plan).toMatch(/Index (Only )?Scan using idempotency_keys_pkey on idempotency_keys/);
      }
    } finally {
      await client.query('RESET plan_cache_mode');
      client.release();
    }
  });
});
