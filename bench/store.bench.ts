import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Pool } from 'pg';
import { EventStore } from '../src/event-store/event-store.js';
import { pathToFileURL } from 'node:url';
import { foldCommitment } from '../src/commitments/domain/commitment.fold.js';
import { toRecordedCommitmentEvent } from '../src/commitments/stream/commitment.stream.js';
import { appendHistory, generateHistory } from './commitment-history.js';
import { writeBenchReport } from './bench-report.js';
import { openBenchDatabase } from './scratch-database.js';
import { runAb, wantsAb } from './ab.js';

/**
 * Single-event appends through the event store against a plain prepared single-row INSERT into a table of
 * the same shape (the baseline), on the engine DATABASE_URL names (embedded PGlite in a temp dir when unset).
 * Measures and prints; it passes or fails nothing.
 */

const CONCURRENCY_LEVELS = [1, 8, 32];
const MAX_SECONDS = 20;
export const WARM_UP_MS = 2000;
const READ_STREAM_LENGTH = 1000;
const READ_REPETITIONS = 41;

const EVENT_TYPE = 'BenchEventRecorded';
const EVENT_DATA = { note: 'a small payload', score: 1, tags: ['bench'] };
const EVENT_METADATA = { recordedBy: 'bench', correlationId: '00000000-0000-4000-8000-000000000000' };

export interface Sample {
  operations: number;
  elapsedMs: number;
  latenciesMs: number[];
  /** CPU time of this Node process (user + system) during the sample. */
  clientCpuMs: number;
}

export interface Figures {
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  operations: number;
  /** Node-side CPU per append: driver, JSON and store code, not the database's share. */
  clientCpuUsPerEvent: number;
}

export interface LevelResult {
  concurrency: number;
  store: Figures;
  baseline: Figures;
  ratio: number;
  /** The store with group commit (`EVENT_STORE_GROUP_COMMIT`), when measured. */
  grouped?: Figures;
  groupedRatio?: number;
}

/** One writer's next append; each writer owns its stream, so no append ever conflicts. */
export type Writer = () => Promise<void>;

export function measurementSeconds(): number {
  const raw = process.env.BENCH_SECONDS;
  const seconds = raw === undefined || raw === '' ? 10 : Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new Error(`BENCH_SECONDS=${raw}: expected seconds > 0`);
  return Math.min(seconds, MAX_SECONDS);
}

export async function drive(writers: readonly Writer[], durationMs: number): Promise<Sample> {
  const latenciesMs: number[] = [];
  const cpu = process.cpuUsage();
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    writers.map(async (write) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await write();
        latenciesMs.push(performance.now() - t0);
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  const { user, system } = process.cpuUsage(cpu);
  return { operations: latenciesMs.length, elapsedMs, latenciesMs, clientCpuMs: (user + system) / 1000 };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function figures(samples: readonly Sample[]): Figures {
  const operations = samples.reduce((sum, s) => sum + s.operations, 0);
  const elapsedMs = samples.reduce((sum, s) => sum + s.elapsedMs, 0);
  const sorted = samples.flatMap((s) => s.latenciesMs).sort((a, b) => a - b);
  return {
    eventsPerSecond: operations / (elapsedMs / 1000),
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    operations,
    clientCpuUsPerEvent: (samples.reduce((sum, s) => sum + s.clientCpuMs, 0) * 1000) / operations,
  };
}

function storeWriters(store: EventStore, runId: string, concurrency: number): Writer[] {
  return Array.from({ length: concurrency }, (_, index) => {
    const streamId = `bench-${runId}-c${concurrency}-w${index}`;
    let version = 0;
    return async () => {
      const result = await store.appendToStream(streamId, [{ type: EVENT_TYPE, data: EVENT_DATA }], {
        expectedVersion: version === 0 ? 'no_stream' : version,
        metadata: EVENT_METADATA,
      });
      version = result.streamVersion;
    };
  });
}

const BASELINE_INSERT = {
  name: 'bench_baseline_insert',
  text: `INSERT INTO bench_baseline (event_id, stream_id, stream_version, type, data, metadata, occurred_at)
         VALUES ($1, $2, $3, $4, $5, $6, now())`,
};

function baselineWriters(pool: Pool, runId: string, concurrency: number): Writer[] {
  const data = JSON.stringify(EVENT_DATA);
  const metadata = JSON.stringify(EVENT_METADATA);
  return Array.from({ length: concurrency }, (_, index) => {
    const streamId = `baseline-${runId}-c${concurrency}-w${index}`;
    let version = 0;
    return async () => {
      await pool.query({
        ...BASELINE_INSERT,
        values: [randomUUID(), streamId, version + 1, EVENT_TYPE, data, metadata],
      });
      version += 1;
    };
  });
}

/**
 * `LIKE … INCLUDING ALL` copies columns, defaults, identity, CHECK constraints and indexes (so the primary
 * key and both unique constraints); not the append-only triggers, which fire on UPDATE/DELETE/TRUNCATE only.
 * The baseline starts with a copy of the rows already in `events`: an insert into a large table with a
 * random-UUID index dirties more pages (and writes more full-page images) than one into an empty table.
 */
export async function createBaselineTable(pool: Pool): Promise<number> {
  await pool.query('DROP TABLE IF EXISTS bench_baseline');
  await pool.query('CREATE TABLE bench_baseline (LIKE events INCLUDING ALL)');
  const describe = async (table: string) => {
    const columns = await pool.query<{
      column_name: string;
      column_default: string | null;
      is_identity: string;
    }>(
      `SELECT column_name, column_default, is_identity FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
      [table],
    );
    const indexes = await pool.query<{ definition: string }>(
      `SELECT concat_ws(' ', CASE WHEN indisprimary THEN 'primary' WHEN indisunique THEN 'unique' END,
                        regexp_replace(pg_get_indexdef(indexrelid), '^.* USING ', '')) AS definition
       FROM pg_index WHERE indrelid = $1::regclass ORDER BY 1`,
      [table],
    );
    return JSON.stringify({ columns: columns.rows, indexes: indexes.rows.map((r) => r.definition) });
  };
  const [events, baseline] = [await describe('events'), await describe('bench_baseline')];
  if (events !== baseline) {
    throw new Error(`bench_baseline does not have the shape of events:\n${events}\n${baseline}`);
  }
  const copied = await pool.query('INSERT INTO bench_baseline OVERRIDING SYSTEM VALUE SELECT * FROM events');
  await pool.query(
    `SELECT setval(pg_get_serial_sequence('bench_baseline', 'global_position'),
                   coalesce((SELECT max(global_position) FROM bench_baseline), 0) + 1, false)`,
  );
  await pool.query('ANALYZE bench_baseline');
  return copied.rowCount ?? 0;
}

export async function measureLevel(
  store: EventStore,
  pool: Pool,
  runId: string,
  concurrency: number,
  seconds: number,
  grouped?: EventStore,
): Promise<LevelResult> {
  const sides = [storeWriters(store, runId, concurrency), baselineWriters(pool, runId, concurrency)];
  if (grouped) sides.push(storeWriters(grouped, `${runId}g`, concurrency));
  for (const side of sides) await drive(side, WARM_UP_MS);
  // Halves in the order store, (grouped,) baseline, baseline, (grouped,) store: a drift in machine state
  // weighs on every side equally.
  const halfMs = (seconds * 1000) / 2;
  const order = grouped ? [0, 2, 1, 1, 2, 0] : [0, 1, 1, 0];
  const samples: Sample[][] = sides.map(() => []);
  for (const side of order) samples[side].push(await drive(sides[side], halfMs));
  const [storeFigures, baselineFigures, groupedFigures] = samples.map(figures);
  return {
    concurrency,
    store: storeFigures,
    baseline: baselineFigures,
    ratio: storeFigures.eventsPerSecond / baselineFigures.eventsPerSecond,
    ...(groupedFigures && {
      grouped: groupedFigures,
      groupedRatio: groupedFigures.eventsPerSecond / baselineFigures.eventsPerSecond,
    }),
  };
}

export interface ReadFigures {
  readonly streamLength: number;
  readonly repetitions: number;
  /** Median ms of a plain `SELECT *` of the stream's rows through the same pool (node-pg's parsing). */
  readonly rawMs: number;
  /** Median ms of `readStream` plus the commitment fold, as a time-travel read does. */
  readonly readAndFoldMs: number;
  readonly ratio: number;
  /** Mean CPU ms of this process per read (less sensitive to a loaded machine than the wall time). */
  readonly rawClientCpuMs: number;
  readonly readAndFoldClientCpuMs: number;
}

/**
 * Reading and folding one generated commitment stream of {@link READ_STREAM_LENGTH} events, against a raw
 * node-pg read of the same rows in the same run; the two alternate so that load affects both alike.
 */
export async function measureRead(store: EventStore, pool: Pool): Promise<ReadFigures> {
  const history = generateHistory(1, READ_STREAM_LENGTH, 3);
  const streamId = history[0][0].streamId;
  // The history is the same every run: a database that has it from an earlier run keeps it.
  if ((await store.streamVersion(streamId)) === 0) await appendHistory(store, history, 1);
  const raw = () =>
    pool.query({
      name: 'bench_raw_read',
      text: 'SELECT * FROM events WHERE stream_id = $1 ORDER BY stream_version',
      values: [streamId],
    });
  const readAndFold = async () => {
    const snapshot = foldCommitment((await store.readStream(streamId)).map(toRecordedCommitmentEvent));
    if (snapshot?.eventCount !== READ_STREAM_LENGTH) throw new Error(`folded ${snapshot?.eventCount} events`);
  };
  const cpuMs = { raw: 0, readAndFold: 0 };
  const timed = async (work: () => Promise<unknown>, side: keyof typeof cpuMs) => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    await work();
    const elapsed = performance.now() - started;
    const { user, system } = process.cpuUsage(cpu);
    cpuMs[side] += (user + system) / 1000;
    return elapsed;
  };
  for (let i = 0; i < 5; i++) await Promise.all([raw(), readAndFold()]); // prepares, warms the JIT
  cpuMs.raw = cpuMs.readAndFold = 0;
  const rawMs: number[] = [];
  const readAndFoldMs: number[] = [];
  for (let i = 0; i < READ_REPETITIONS; i++) {
    rawMs.push(await timed(raw, 'raw'));
    readAndFoldMs.push(await timed(readAndFold, 'readAndFold'));
  }
  const median = (values: number[]) =>
    percentile(
      [...values].sort((x, y) => x - y),
      50,
    );
  return {
    streamLength: READ_STREAM_LENGTH,
    repetitions: READ_REPETITIONS,
    rawMs: median(rawMs),
    readAndFoldMs: median(readAndFoldMs),
    ratio: median(readAndFoldMs) / median(rawMs),
    rawClientCpuMs: cpuMs.raw / READ_REPETITIONS,
    readAndFoldClientCpuMs: cpuMs.readAndFold / READ_REPETITIONS,
  };
}

function formatTable(results: readonly LevelResult[]): string {
  const header = ['conc', 'store ev/s', 'p50 ms', 'p99 ms', 'grouped ev/s', 'p50 ms', 'p99 ms'];
  header.push(
    'baseline ev/s',
    'p50 ms',
    'p99 ms',
    'ratio',
    'grouped ratio',
    'node µs/ev store',
    'grouped',
    'baseline',
  );
  const cells = (f: Figures | undefined) =>
    f ? [f.eventsPerSecond.toFixed(0), f.p50Ms.toFixed(2), f.p99Ms.toFixed(2)] : ['-', '-', '-'];
  const rows = results.map((r) => [
    String(r.concurrency),
    ...cells(r.store),
    ...cells(r.grouped),
    ...cells(r.baseline),
    r.ratio.toFixed(2),
    r.groupedRatio?.toFixed(2) ?? '-',
    r.store.clientCpuUsPerEvent.toFixed(0),
    r.grouped?.clientCpuUsPerEvent.toFixed(0) ?? '-',
    r.baseline.clientCpuUsPerEvent.toFixed(0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const seconds = measurementSeconds();
  const db = await openBenchDatabase('store_bench', 'named');
  const { engine, pool, store, serverVersion: server } = db;
  try {
    const runId = randomUUID().slice(0, 8);
    const existing = await createBaselineTable(pool);
    const grouped = new EventStore(pool, { groupCommit: true });

    console.log(
      `store bench: ${engine.kind} (PostgreSQL ${server}), pool ${db.poolSize}, ` +
        `${seconds} s per measurement, ${os.cpus().length} CPUs, node ${process.version}`,
    );
    if (existing > 0) console.log(`events holds ${existing} rows; the baseline starts with a copy of them`);

    const levels: LevelResult[] = [];
    for (const concurrency of CONCURRENCY_LEVELS) {
      levels.push(await measureLevel(store, pool, runId, concurrency, seconds, grouped));
      console.log(`  concurrency ${concurrency} done`);
    }
    const read = await measureRead(store, pool);

    console.log(
      `\nsingle-event appends (store, and store with group commit) vs prepared single-row INSERT (baseline), ${engine.kind}`,
    );
    console.log(formatTable(levels));
    console.log(
      `\nreading one ${read.streamLength}-event commitment stream (median of ${read.repetitions}): ` +
        `readStream + fold ${read.readAndFoldMs.toFixed(2)} ms, raw node-pg SELECT * ${read.rawMs.toFixed(2)} ms, ` +
        `ratio ${read.ratio.toFixed(2)} (target ≤ 1.2); node CPU per read ${read.readAndFoldClientCpuMs.toFixed(2)} ` +
        `and ${read.rawClientCpuMs.toFixed(2)} ms`,
    );

    writeBenchReport(`store-${engine.kind}.json`, {
      bench: 'store',
      engine: engine.kind,
      serverVersion: server,
      poolSize: db.poolSize,
      secondsPerMeasurement: seconds,
      warmUpMs: WARM_UP_MS,
      eventsBefore: existing,
      appends: levels,
      read,
    });
    await pool.query('DROP TABLE IF EXISTS bench_baseline');
  } finally {
    await db.close();
  }
}

// Run as `npm run bench:store`; imported (by the HTTP bench, for its baseline) it only lends its functions.
// `--baseline <git-rev>` measures this tree against that revision in alternating rounds (see ab.ts).
if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  (wantsAb(process.argv) ? runAb('store', process.argv) : main()).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
