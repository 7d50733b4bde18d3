import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Pool } from 'pg';
import { appendOneSql } from '../src/event-store/append-statements.js';
import { uuidV7 } from '../src/event-store/uuid-v7.js';
import { writeBenchReport } from './bench-report.js';
import { openBenchDatabase } from './scratch-database.js';
import { drive, type Figures, figures, measurementSeconds, type Sample, type Writer } from './store.bench.js';

/**
 * Would a `streams` table holding each stream's current version (as Marten and Emmett keep one) make a
 * single-event append cheaper? Two empty copies of `events`: one written by the store's single-event
 * statement (the version read as the stream index's last entry), the other by the same statement with the
 * version checked and advanced in a `streams` row (an UPDATE … WHERE version = expected, or an INSERT for a
 * new stream). Alternating halves at 1, 8 and 32 writers, WAL bytes per append on PostgreSQL; BENCH_SECONDS
 * per measurement. Measures and prints; it passes or fails nothing.
 */

const LEVELS = [1, 8, 32];
const WARM_UP_MS = 1000;
const EVENT_TYPE = 'BenchEventRecorded';
const EVENT_DATA = JSON.stringify({ note: 'a small payload', score: 1, tags: ['bench'] });
const EVENT_METADATA = JSON.stringify({ recordedBy: 'bench' });

type Design = 'events index' | 'streams table';

const STATEMENTS: Record<Design, { name: string; text: string }> = {
  'events index': {
    name: 'bench_streams_index_append',
    text: appendOneSql([]).replace(/(FROM|INTO) events\b/g, '$1 bench_streams_events_a'),
  },
  'streams table': {
    name: 'bench_streams_table_append',
    text: `
      WITH updated AS (
        UPDATE bench_streams SET version = version + 1
        WHERE stream_id = $1 AND ($2::int IS NULL OR version = $2::int)
        RETURNING version
      ), created AS (
        INSERT INTO bench_streams (stream_id, version)
        SELECT $1, 1 WHERE ($2::int IS NULL OR $2::int = 0) AND NOT EXISTS (SELECT 1 FROM updated)
        ON CONFLICT (stream_id) DO NOTHING
        RETURNING version
      ), next AS (
        SELECT version FROM updated UNION ALL SELECT version FROM created
      ), inserted AS (
        INSERT INTO bench_streams_events_b (event_id, stream_id, stream_version, type, data, metadata, occurred_at)
        SELECT $5::uuid, $1, version, $6, $7::jsonb, $8::jsonb, coalesce($9::timestamptz, now()) FROM next
        RETURNING stream_version, global_position
      ), idempotency AS (
        INSERT INTO idempotency_keys (idempotency_key, request_hash, stream_id, result)
        SELECT $3, $4, $1, jsonb_build_object('streamVersion', stream_version)
        FROM inserted WHERE $3::text IS NOT NULL
        RETURNING 1
      )
      SELECT i.stream_version, i.global_position::text AS global_position FROM next n LEFT JOIN inserted i ON true`,
  },
};

function writers(pool: Pool, design: Design, runId: string, concurrency: number): Writer[] {
  const statement = STATEMENTS[design];
  return Array.from({ length: concurrency }, (_, index) => {
    const streamId = `bench-${runId}-${design.replace(' ', '-')}-c${concurrency}-w${index}`;
    let version = 0;
    return async () => {
      const { rows } = await pool.query<{ stream_version: number | null }>({
        ...statement,
        values: [streamId, version, null, null, uuidV7(), EVENT_TYPE, EVENT_DATA, EVENT_METADATA, null],
      });
      if (rows[0]?.stream_version == null) throw new Error(`append to ${streamId} refused`);
      version = rows[0].stream_version;
    };
  });
}

async function walPosition(pool: Pool): Promise<string | null> {
  const { rows } = await pool
    .query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')
    .catch(() => ({ rows: [] as { lsn: string }[] }));
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

interface LevelFigures {
  readonly concurrency: number;
  readonly designs: Record<Design, Figures & { walBytesPerEvent: number }>;
  /** Appends per second with the streams table over those without. */
  readonly ratio: number;
}

async function main(): Promise<void> {
  const seconds = measurementSeconds();
  const db = await openBenchDatabase('streams_table_bench', 'fresh');
  const { engine, pool } = db;
  try {
    for (const table of ['bench_streams_events_a', 'bench_streams_events_b']) {
      await pool.query(`CREATE TABLE ${table} (LIKE events INCLUDING ALL)`);
    }
    await pool.query('CREATE TABLE bench_streams (stream_id text PRIMARY KEY, version integer NOT NULL)');
    console.log(
      `streams table bench: ${engine.kind} (PostgreSQL ${db.serverVersion}), ${seconds} s per measurement, ` +
        `${os.cpus().length} CPUs, node ${process.version}, load average ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
    );
    const runId = randomUUID().slice(0, 8);
    const designs: Design[] = ['events index', 'streams table'];
    const levels: LevelFigures[] = [];
    for (const concurrency of LEVELS) {
      const sides = designs.map((design) => writers(pool, design, runId, concurrency));
      for (const side of sides) await drive(side, WARM_UP_MS);
      const samples: Sample[][] = [[], []];
      const wal = [0, 0];
      // Halves in the order index, table, table, index: a drift in machine state weighs on both.
      for (const side of [0, 1, 1, 0]) {
        const from = await walPosition(pool);
        const sample = await drive(sides[side], (seconds * 1000) / 2);
        wal[side] += await walSince(pool, from);
        samples[side].push(sample);
      }
      const [index, table] = samples.map((s, side) => {
        const f = figures(s);
        return { ...f, walBytesPerEvent: wal[side] / f.operations };
      });
      levels.push({
        concurrency,
        designs: { 'events index': index, 'streams table': table },
        ratio: table.eventsPerSecond / index.eventsPerSecond,
      });
      console.log(
        `  ${concurrency} writers: events index ${index.eventsPerSecond.toFixed(0)} ev/s ` +
          `(p50 ${index.p50Ms.toFixed(2)} ms, WAL ${index.walBytesPerEvent.toFixed(0)} B/ev), streams table ` +
          `${table.eventsPerSecond.toFixed(0)} ev/s (p50 ${table.p50Ms.toFixed(2)} ms, WAL ` +
          `${table.walBytesPerEvent.toFixed(0)} B/ev): ratio ${(table.eventsPerSecond / index.eventsPerSecond).toFixed(2)}`,
      );
    }
    writeBenchReport(`streams-table-${engine.kind}.json`, {
      bench: 'streams-table',
      engine: engine.kind,
      serverVersion: db.serverVersion,
      secondsPerMeasurement: seconds,
      levels,
    });
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
