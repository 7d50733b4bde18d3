import fc from 'fast-check';
import { EventStore } from '../../src/event-store/event-store.js';
import { ConcurrencyError } from '../../src/event-store/event-store.errors.js';
import type { AppendOptions, ExpectedVersion } from '../../src/event-store/event-store.types.js';
import { openMigratedDatabase, TEST_ENGINES, type MigratedDatabase } from '../support/test-database.js';

interface Command {
  readonly stream: number;
  readonly expected: ExpectedVersion;
  /** An idempotency key of this stream's (keys name their stream, as request hashes do), and its hash. */
  readonly key?: number;
  readonly hash: number;
  /** The inline read models it writes: none, a row of its stream's, or the one row every stream writes. */
  readonly projection: 'none' | 'stream' | 'shared';
}

const command: fc.Arbitrary<Command> = fc.record(
  {
    stream: fc.integer({ min: 0, max: 3 }),
    expected: fc.oneof(
      fc.constant<ExpectedVersion>('any'),
      fc.constant<ExpectedVersion>('no_stream'),
      fc.integer({ min: 0, max: 4 }),
    ),
    key: fc.integer({ min: 0, max: 2 }),
    hash: fc.integer({ min: 0, max: 1 }),
    projection: fc.constantFrom<Command['projection'][]>('none', 'stream', 'shared'),
  },
  { requiredKeys: ['stream', 'expected', 'hash', 'projection'] },
);

/** What a caller learns from its append, without the ids that differ between runs. */
function outcome(settled: PromiseSettledResult<{ streamVersion: number; replayed: boolean }>): string {
  if (settled.status === 'fulfilled')
    return `${settled.value.replayed ? 'replayed' : 'stored'} at ${settled.value.streamVersion}`;
  const error = settled.reason as Error & { actualVersion?: number | null };
  return `${error.name === 'Error' ? error.message : error.name}${error instanceof ConcurrencyError ? ` (stream at ${error.actualVersion})` : ''}`;
}

/** The options of an append that writes no row of `gc_latest`. */
const NO_ROW: AppendOptions = { state: { row: null } };

describe.each(TEST_ENGINES)('group commit on %s', (engineName) => {
  let db: MigratedDatabase;
  let grouped: EventStore;
  let oneByOne: EventStore;
  let run = 0;

  beforeAll(async () => {
    db = await openMigratedDatabase(engineName);
    grouped = new EventStore(db.pool, { groupCommit: true });
    oneByOne = new EventStore(db.pool);
    await db.pool.query('CREATE TABLE gc_latest (row_key text PRIMARY KEY, command int NOT NULL)');
    for (const store of [grouped, oneByOne]) {
      // The state an append passes is the row it writes, or null for none.
      store.registerStreamKind<{ row: { row_key: string; command: number } | null }>({
        streamPrefix: 'gc-',
        eventTypes: ['Noted'],
        fold: () => null,
        inline: [
          {
            definition: {
              name: 'gc_latest',
              table: 'gc_latest',
              keyColumns: ['row_key'],
              columns: ['row_key', 'command'],
            },
            row: (state) => state.row,
          },
        ],
      });
    }
  });
  afterAll(() => db.close());

  /** The streams of one side of one run, with `prefill[s]` events in stream s already. */
  async function streams(side: string, prefill: readonly number[]): Promise<(stream: number) => string> {
    const streamId = (stream: number) => `gc-${side}-${run}-${stream}`;
    for (const [stream, length] of prefill.entries()) {
      for (let n = 0; n < length; n++)
        await oneByOne.appendToStream(streamId(stream), [{ type: 'Noted', data: { n } }], NO_ROW);
    }
    return streamId;
  }

  /** The read-model rows of one side of one run, by key without the side. */
  async function latestRows(side: string): Promise<Record<string, number>> {
    const prefix = `gc-${side}-${run}-`;
    const { rows } = await db.pool.query<{ row_key: string; command: number }>(
      'SELECT row_key, command FROM gc_latest WHERE starts_with(row_key, $1)',
      [prefix],
    );
    return Object.fromEntries(rows.map((row) => [row.row_key.slice(prefix.length), row.command]));
  }

  function options(streamId: string, c: Command, i: number): AppendOptions {
    const rowKey = c.projection === 'shared' ? streamId.replace(/-\d+$/, '-shared') : streamId;
    return {
      expectedVersion: c.expected,
      state: { row: c.projection === 'none' ? null : { row_key: rowKey, command: i } },
      ...(c.key !== undefined && {
        idempotency: { key: `${streamId}-key-${c.key}`, requestHash: `hash-${c.hash}` },
      }),
    };
  }

  it('answers concurrent appends to overlapping streams as the one-by-one path does, in arrival order, read models too', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 4, maxLength: 4 }),
        fc.array(command, { minLength: 1, maxLength: 14 }),
        async (prefill, commands) => {
          run++;
          const serialStream = await streams('serial', prefill);
          const serial: PromiseSettledResult<{ streamVersion: number; replayed: boolean }>[] = [];
          for (const [i, c] of commands.entries()) {
            const id = serialStream(c.stream);
            const [settled] = await Promise.allSettled([
              oneByOne.appendToStream(id, [{ type: 'Noted', data: { i } }], options(id, c, i)),
            ]);
            serial.push(settled);
          }
          const groupedStream = await streams('grouped', prefill);
          // Issued in one turn of the event loop: one flush, as concurrent requests would be.
          const together = await Promise.allSettled(
            commands.map((c, i) => {
              const id = groupedStream(c.stream);
              return grouped.appendToStream(id, [{ type: 'Noted', data: { i } }], options(id, c, i));
            }),
          );
          expect(together.map(outcome)).toEqual(serial.map(outcome));
          // Each stream's row as one by one; the row every stream writes holds one of its stored writes (which
          // one is the commit order of appends to different streams, which concurrency leaves open anyway).
          const { shared, ...perStream } = await latestRows('grouped');
          const { shared: serialShared, ...serialPerStream } = await latestRows('serial');
          expect(perStream).toEqual(serialPerStream);
          const sharedWrites = commands.flatMap((c, i) =>
            c.projection === 'shared' && outcome(together[i]).startsWith('stored') ? [i] : [],
          );
          if (sharedWrites.length === 0) expect(shared).toBeUndefined();
          else expect(sharedWrites).toContain(shared);
          expect(serialShared === undefined).toBe(shared === undefined);
          for (const [stream, length] of prefill.entries()) {
            const events = await grouped.readStream(groupedStream(stream));
            const stored = together.filter(
              (s, i) => commands[i].stream === stream && s.status === 'fulfilled' && !s.value.replayed,
            ).length;
            expect(events.map((e) => e.streamVersion)).toEqual(
              Array.from({ length: length + stored }, (_, n) => n + 1),
            );
          }
        },
      ),
      { numRuns: engineName === 'embedded' ? 40 : 60 },
    );
  });

  it('commits a turn of appends to distinct streams once: one transaction, positions in arrival order', async () => {
    const results = await Promise.all(
      [0, 1, 2, 3].map((n) =>
        grouped.appendToStream(`gc-one-commit-${n}`, [{ type: 'Noted', data: { n } }], NO_ROW),
      ),
    );
    const events = await Promise.all(results.map((r) => grouped.readStream(r.streamId)));
    const positions = events.map(([event]) => event.position);
    expect(new Set(positions.map((p) => p.transactionId)).size).toBe(1);
    const order = positions.map((p) => BigInt(p.globalPosition));
    expect([...order].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(order);
  });

  it('fails every append of the group with the same error when the database refuses the statement', async () => {
    const good = grouped.appendToStream('gc-error-good', [{ type: 'Noted', data: {} }], NO_ROW);
    const bad = grouped.appendToStream(
      'gc-error-bad',
      [{ type: null as unknown as string, data: {} }],
      NO_ROW,
    );
    const [first, second] = await Promise.allSettled([good, bad]);
    expect(first.status).toBe('rejected');
    expect(second.status).toBe('rejected');
    expect((first as PromiseRejectedResult).reason).toBe((second as PromiseRejectedResult).reason);
    expect(await grouped.readStream('gc-error-good')).toEqual([]);
  });
});
