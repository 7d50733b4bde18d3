import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Pool } from 'pg';
import { appendOneSql } from '../src/event-store/append-statements.js';
import { uuidV7 } from '../src/event-store/uuid-v7.js';
import { writeBenchReport } from './bench-report.js';
import { openBenchDatabase } from './scratch-database.js';
import { drive, type Figures, figures, type Sample, type Writer } from './store.bench.js';

/**
 * What each index of `events` costs an append, and what time-ordered (v7) event ids save over random (v4)
 * ones. Two copies of `events` are pre-filled with BENCH_INDEX_ROWS rows (v4 ids in one, v7 in the other),
 * then single-event appends run the store's own statement (append-statements.ts, pointed at the copy) at
 * 1, 8 and 32 writers: with every index; with each index but the primary key and the stream index dropped
 * in turn (and built again after); then with every index again, so that a drift in machine state shows.
 * BENCH_INDEX_SECONDS per measurement. Measures and prints; it passes or fails nothing.
 */

const LEVELS = [1, 8, 32];
const WARM_UP_MS = 1000;
const EVENT_TYPE = 'BenchEventRecorded';
const EVENT_DATA = JSON.stringify({ note: 'a small payload', score: 1, tags: ['bench'] });
const EVENT_METADATA = JSON.stringify({ recordedBy: 'bench' });

type IdFormat = 'v4' | 'v7';

interface Variant {
  readonly label: string;
  readonly ids: IdFormat;
  /** The index of `events` left out during this variant. */
  readonly dropped: string | null;
}

interface VariantResult {
  readonly label: string;
  readonly levels: readonly (Figures & { concurrency: number; walBytesPerEvent: number })[];
}

function positiveEnv(name: string, fallback: number, max: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}=${raw}: expected a number > 0`);
  return Math.min(value, max);
}

/** The indexes of `events` (name and definition), the primary key first. */
async function eventIndexes(pool: Pool): Promise<{ name: string; definition: string; primary: boolean }[]> {
  const { rows } = await pool.query<{ name: string; definition: string; primary: boolean }>(
    `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition, i.indisprimary AS primary
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE i.indrelid = 'events'::regclass ORDER BY i.indisprimary DESC, c.relname`,
  );
  return rows;
}

/** The definition of one of `events`' indexes, for the copy `table` (the index named `<table>_<name>`). */
function copyIndex(definition: string, table: string): string {
  return definition.replace(
    /^CREATE (UNIQUE )?INDEX (\S+) ON (\S+) /,
    (_, unique: string | undefined, name: string) =>
      `CREATE ${unique ?? ''}INDEX ${table}_${name} ON ${table} `,
  );
}

/** A v7 id drawn in SQL from `ts` (the time bits of a random UUID replaced, the version set to 7). */
const SQL_UUID_V7 = `encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
  placing substring(int8send(floor(extract(epoch FROM ts) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1),
  'hex')::uuid`;

/**
 * A copy of `events` (columns, defaults, identity, checks; no triggers) with `rows` rows of 50-event
 * streams, recorded a millisecond apart up to now, a third citing a source and 1 % retractions, and then
 * every index of `events`; analysed and checkpointed so each copy starts alike.
 */
async function prefilledCopy(pool: Pool, table: string, ids: IdFormat, rows: number): Promise<void> {
  await pool.query(`DROP TABLE IF EXISTS ${table}`);
  await pool.query(
    `CREATE TABLE ${table} (LIKE events INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS)`,
  );
  await pool.query(
    `INSERT INTO ${table} (event_id, stream_id, stream_version, type, data, metadata, occurred_at, recorded_at)
     SELECT ${ids === 'v4' ? 'gen_random_uuid()' : SQL_UUID_V7}, 'prefilled-' || (g / 50), g % 50 + 1,
            CASE WHEN g % 100 = 0 THEN 'EntryRetracted' ELSE 'StatementMade' END,
            jsonb_build_object('note', 'a prefilled row', 'score', g % 7, 'source',
              CASE WHEN g % 3 = 0 THEN jsonb_build_object('sourceId', 'source-' || (g % 5000)) END),
            '{"recordedBy":"bench"}', ts, ts
     FROM generate_series(0, $1::int - 1) g, LATERAL (SELECT now() - ($1::int - g) * interval '1 ms' AS ts) t`,
    [rows],
  );
  for (const index of await eventIndexes(pool)) await pool.query(copyIndex(index.definition, table));
  await pool.query(`ANALYZE ${table}`);
  await pool.query('CHECKPOINT').catch(() => undefined);
}

/** The store's single-event append statement, writing to `table` instead of `events`. */
function appendStatement(table: string): { name: string; text: string } {
  return {
    name: `bench_index_append_${table}`,
    text: appendOneSql([]).replace(/(FROM|INTO) events\b/g, `$1 ${table}`),
  };
}

function writers(pool: Pool, table: string, ids: IdFormat, runId: string, concurrency: number): Writer[] {
  const statement = appendStatement(table);
  const newId = ids === 'v4' ? randomUUID : () => uuidV7();
  return Array.from({ length: concurrency }, (_, index) => {
    const streamId = `bench-${runId}-${table}-c${concurrency}-w${index}`;
    let version = 0;
    return async () => {
      const { rows } = await pool.query<{ stream_version: number | null }>({
        ...statement,
        values: [streamId, version, null, null, newId(), EVENT_TYPE, EVENT_DATA, EVENT_METADATA, null],
      });
      if (rows[0].stream_version === null) throw new Error(`append to ${streamId} refused`);
      version = rows[0].stream_version;
    };
  });
}

async function walPosition(pool: Pool): Promise<string | null> {
  const { rows } = await pool
    .query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')
    .catch(() => ({
      rows: [] as { lsn: string }[],
    }));
  return rows[0]?.lsn ?? null;
}

async function walSince(pool: Pool, from: string | null): Promise<number> {
  if (from === null) return NaN;
  const { rows } = await pool.query<{ bytes: string }>(
    'SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::text AS bytes',
    [from],
  );
  return Number(rows[0].bytes);
}

async function measureVariant(
  pool: Pool,
  variant: Variant,
  runId: string,
  seconds: number,
): Promise<VariantResult> {
  const table = `bench_index_${variant.ids}`;
  const dropped = variant.dropped === null ? null : `${table}_${variant.dropped}`;
  const definition =
    dropped === null ? null : (await eventIndexes(pool)).find((i) => i.name === variant.dropped);
  if (dropped !== null) await pool.query(`DROP INDEX ${dropped}`);
  try {
    const levels = [];
    for (const concurrency of LEVELS) {
      const side = writers(pool, table, variant.ids, runId, concurrency);
      await drive(side, WARM_UP_MS);
      // Every measurement starts a checkpoint cycle: the first change to a page after a checkpoint writes
      // the whole page to the WAL, which is where an index on random ids pays most.
      await pool.query('CHECKPOINT').catch(() => undefined);
      const wal = await walPosition(pool);
      const sample: Sample = await drive(side, seconds * 1000);
      const walBytes = await walSince(pool, wal);
      levels.push({ concurrency, ...figures([sample]), walBytesPerEvent: walBytes / sample.operations });
    }
    return { label: variant.label, levels };
  } finally {
    if (definition) await pool.query(copyIndex(definition.definition, table));
  }
}

function formatTable(results: readonly VariantResult[], reference: VariantResult[]): string {
  const base = (i: number) =>
    reference.reduce((sum, r) => sum + r.levels[i].eventsPerSecond, 0) / reference.length;
  const header = [
    'variant',
    ...LEVELS.flatMap((c) => [`${c}w ev/s`, 'ratio']),
    'p50 ms @1',
    'WAL B/ev @1',
    '@8',
    '@32',
  ];
  const rows = results.map((r) => [
    r.label,
    ...r.levels.flatMap((l, i) => [l.eventsPerSecond.toFixed(0), (l.eventsPerSecond / base(i)).toFixed(2)]),
    r.levels[0].p50Ms.toFixed(2),
    ...r.levels.map((l) => l.walBytesPerEvent.toFixed(0)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const db = await openBenchDatabase('store_indexes_bench', 'fresh');
  const { engine, pool } = db;
  const rows = Math.round(
    positiveEnv('BENCH_INDEX_ROWS', engine.kind === 'postgres' ? 1_000_000 : 100_000, 20_000_000),
  );
  const seconds = positiveEnv('BENCH_INDEX_SECONDS', 4, 20);
  try {
    console.log(
      `store indexes bench: ${engine.kind} (PostgreSQL ${db.serverVersion}), pool ${db.poolSize}, ` +
        `${rows} rows pre-filled, ${seconds} s per measurement, ${os.cpus().length} CPUs, node ${process.version}`,
    );
    const started = performance.now();
    await prefilledCopy(pool, 'bench_index_v4', 'v4', rows);
    await prefilledCopy(pool, 'bench_index_v7', 'v7', rows);
    console.log(`  pre-filled both copies in ${((performance.now() - started) / 1000).toFixed(0)} s`);

    // Not the stream index: every append's version check and every stream read go through it, and it is
    // what keeps two events from taking one version (without it an append scans the table).
    const secondary = (await eventIndexes(pool))
      .filter((index) => !index.primary && index.name !== 'events_stream_version_unique')
      .map((index) => index.name);
    const variants: Variant[] = [
      { label: 'every index, v4 ids', ids: 'v4', dropped: null },
      { label: 'every index, v7 ids', ids: 'v7', dropped: null },
      ...secondary.map((name) => ({ label: `without ${name}, v4`, ids: 'v4' as const, dropped: name })),
      { label: 'every index, v4 ids (again)', ids: 'v4', dropped: null },
      { label: 'every index, v7 ids (again)', ids: 'v7', dropped: null },
    ];
    const runId = randomUUID().slice(0, 8);
    const results: VariantResult[] = [];
    for (const [index, variant] of variants.entries()) {
      results.push(await measureVariant(pool, variant, `${runId}-${index}`, seconds));
      console.log(`  ${variant.label} done`);
    }
    const reference = results.filter((r) => r.label.startsWith('every index, v4'));
    console.log(
      `\nsingle-event appends with the store's statement into a ${rows}-row copy of events, ${engine.kind}; ` +
        `ratio = ev/s ÷ the mean of the two every-index v4 runs at the same writers`,
    );
    console.log(formatTable(results, reference));

    writeBenchReport(`store-indexes-${engine.kind}.json`, {
      bench: 'store-indexes',
      engine: engine.kind,
      serverVersion: db.serverVersion,
      poolSize: db.poolSize,
      rows,
      secondsPerMeasurement: seconds,
      results,
    });
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
