import { EventStore } from '../../src/event-store/event-store.js';
import type { LogPosition, NewEvent } from '../../src/event-store/event-store.types.js';
import { prepareLogExport } from '../../src/event-store/log-export.js';
import { restoreIntoEmptyLog } from '../../src/event-store/log-restore.js';
import { type MigratedDatabase, openMigratedDatabase, TEST_ENGINES } from '../support/test-database.js';

const note = (n: number, key?: string): NewEvent => ({
  type: 'NoteTaken',
  data: { n },
  ...(key ? { idempotency: { key, requestHash: `hash-${key}` } } : {}),
});

const EVERY_EVENT = `SELECT event_id, stream_id, stream_version, type, data, metadata, occurred_at, recorded_at,
  transaction_id::text, global_position FROM events ORDER BY global_position`;
const EVERY_RECORD = 'SELECT * FROM idempotency_keys ORDER BY idempotency_key';

async function exportLines(db: MigratedDatabase): Promise<string[]> {
  let text = '';
  for await (const chunk of (await prepareLogExport(db.pool, {})).chunks()) text += chunk.toString('utf8');
  return text.trimEnd().split('\n').slice(0, -1);
}

/**
 * The store's side of a restore: exported events inserted in batches of any size, the positions each
 * batch reports, and idempotency records re-created as the appends that first stored them made them —
 * an append's own key over several events included, and split across batches.
 */
describe.each(TEST_ENGINES)('restoring exported events on %s', (engineName) => {
  let from: MigratedDatabase;
  let to: MigratedDatabase;

  beforeAll(async () => {
    from = await openMigratedDatabase(engineName);
    to = await openMigratedDatabase(engineName);
  });
  afterAll(() => Promise.all([from?.close(), to?.close()]));

  it('inserts them verbatim where the log reports them, with the idempotency records the appends made', async () => {
    const store = new EventStore(from.pool);
    await store.appendToStream('s-a', [note(1, 'single')]);
    await store.appendToStream('s-a', [note(2), note(3), note(4)], {
      idempotency: { key: 'three-at-once', requestHash: 'hash-three' },
      metadata: { recordedBy: 'tester' },
    });
    await store.appendToStream('s-b', [note(1, 'own-1'), note(2), note(3, 'own-3')]);
    await store.appendToStream('s-a', [note(5)]);
    const lines = await exportLines(from);
    expect(lines).toHaveLength(8);

    const positions: LogPosition[] = [];
    await restoreIntoEmptyLog(to.pool, [], async (session) => {
      // Batches of three: the three-event append (lines 2–4) is split across two of them.
      for (let start = 0; start < lines.length; start += 3) {
        positions.push(...(await session.insertExported(`[${lines.slice(start, start + 3).join(',')}]`)));
      }
      await session.recreateIdempotencyRecords();
      const streams = await session.readStreams(['s-a', 's-b']);
      expect(streams.get('s-a')?.map((event) => event.streamVersion)).toEqual([1, 2, 3, 4, 5]);
    });

    const restored =
      await to.dataSource.query<{ transaction_id: string; global_position: string }[]>(EVERY_EVENT);
    expect(positions).toEqual(
      restored.map((row) => ({
        transactionId: row.transaction_id,
        globalPosition: String(row.global_position),
      })),
    );
    const original = await from.dataSource.query<Record<string, unknown>[]>(EVERY_EVENT);
    const withoutTransaction = (rows: Record<string, unknown>[]) =>
      rows.map(({ transaction_id: _transaction, ...row }) => row);
    expect(withoutTransaction(restored)).toEqual(withoutTransaction(original));
    expect(await to.dataSource.query(EVERY_RECORD)).toEqual(await from.dataSource.query(EVERY_RECORD));
  });
});
