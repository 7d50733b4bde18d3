import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ProjectionRebuilds } from '../src/projections/projection-rebuilds.js';
import {
  DEFAULT_SUPERVISOR_OPTIONS,
  ProjectionSupervisor,
} from '../src/projections/projection-supervisor.js';
import { CommitmentSnapshotStore } from '../src/commitments/read-models/commitment-status/commitment-snapshot-store.js';
import { FOLLOW_UPS_READ_MODEL } from '../src/commitments/read-models/follow-ups/follow-ups.projection.js';
import { PARTY_COMMITMENTS_READ_MODEL } from '../src/commitments/read-models/parties/party-commitments.projection.js';
import { StreamStateProjection } from '../src/projections/stream-state.projection.js';
import { appendHistory, generateHistory } from './commitment-history.js';
import { openBenchDatabase } from './scratch-database.js';

/**
 * `npm run bench:rebuild`: writes a generated history of 100,000 events (BENCH_EVENTS to change it;
 * 1,000,000 more when the first run shows that it fits in a minute), then rebuilds every asynchronous read
 * model from it and prints events per second. PostgreSQL when DATABASE_URL is set (in a fresh database
 * created next to the one it names, dropped afterwards), the embedded engine in a temp dir otherwise.
 * Measures and prints; it passes or fails nothing.
 */

const EVENTS_PER_COMMITMENT = 20;
const LARGE_RUN_EVENTS = 1_000_000;
const MINUTE_MS = 60_000;

/** The runners' batch size; BENCH_BATCH overrides the app's default to compare. */
const BATCH_SIZE = process.env.BENCH_BATCH
  ? Number(process.env.BENCH_BATCH)
  : DEFAULT_SUPERVISOR_OPTIONS.batchSize;

const quiet = { log: () => undefined, warn: console.warn, error: console.error };

interface RunResult {
  events: number;
  commitments: number;
  appendSeconds: number;
  rebuildSeconds: number;
  rebuildEventsPerSecond: number;
  rows: { followUpItems: number; partyCommitments: number };
}

async function run(totalEvents: number): Promise<RunResult & { engine: string; server: string }> {
  const { engine, pool, store, serverVersion: server, close } = await openBenchDatabase('rebuild_bench');
  try {
    const commitments = Math.max(1, Math.round(totalEvents / EVENTS_PER_COMMITMENT));

    const history = generateHistory(commitments, totalEvents, 1);
    const appendStarted = performance.now();
    await appendHistory(store, history, engine.kind === 'postgres' ? 16 : 1);
    const appendSeconds = (performance.now() - appendStarted) / 1000;
    console.log(
      `  wrote ${totalEvents.toLocaleString('en-US')} events of ${commitments.toLocaleString('en-US')} commitments ` +
        `in ${appendSeconds.toFixed(1)} s`,
    );

    const supervisor = new ProjectionSupervisor(
      pool,
      store,
      engine,
      { ...DEFAULT_SUPERVISOR_OPTIONS, batchSize: BATCH_SIZE },
      quiet,
    );
    const states = new CommitmentSnapshotStore(pool, store);
    supervisor.register(new StreamStateProjection(pool, states, FOLLOW_UPS_READ_MODEL));
    supervisor.register(new StreamStateProjection(pool, states, PARTY_COMMITMENTS_READ_MODEL));
    await supervisor.checkpoints.ensureExist(supervisor.projections.map((projection) => projection.name));
    const rebuilds = new ProjectionRebuilds(pool, supervisor);
    // The clock runs from the request (emptying the tables) to the last read model caught up.
    const rebuildStarted = performance.now();
    await rebuilds.request('bench:rebuild');
    await Promise.all(
      supervisor.projections.map((projection) => supervisor.runner(projection.name).catchUp()),
    );
    const rebuildSeconds = (performance.now() - rebuildStarted) / 1000;

    const count = async (table: string) =>
      Number((await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`)).rows[0].n);
    return {
      engine: engine.kind,
      server,
      events: totalEvents,
      commitments,
      appendSeconds,
      rebuildSeconds,
      rebuildEventsPerSecond: Math.round(totalEvents / rebuildSeconds),
      rows: {
        followUpItems: await count('follow_up_items'),
        partyCommitments: await count('party_commitments'),
      },
    };
  } finally {
    await close();
  }
}

function report(result: RunResult): void {
  console.log(
    `  rebuilt follow-ups and party-commitments from ${result.events.toLocaleString('en-US')} events in ` +
      `${result.rebuildSeconds.toFixed(2)} s: ${result.rebuildEventsPerSecond.toLocaleString('en-US')} events/s ` +
      `(${result.rows.followUpItems.toLocaleString('en-US')} follow-up rows, ` +
      `${result.rows.partyCommitments.toLocaleString('en-US')} party rows)`,
  );
}

async function main(): Promise<void> {
  const requested = process.env.BENCH_EVENTS ? Number(process.env.BENCH_EVENTS) : 100_000;
  if (!Number.isInteger(requested) || requested < 1)
    throw new Error(`BENCH_EVENTS=${process.env.BENCH_EVENTS}`);
  console.log(
    `rebuild bench: ${process.env.DATABASE_URL ? 'postgres' : 'embedded'}, ${os.cpus().length} CPUs, node ${process.version}, ` +
      `batch ${BATCH_SIZE}`,
  );
  const runs: RunResult[] = [];
  const first = await run(requested);
  console.log(`  engine ${first.engine}, PostgreSQL ${first.server}`);
  report(first);
  runs.push(first);
  const scale = LARGE_RUN_EVENTS / requested;
  const projectedMs = (first.appendSeconds + first.rebuildSeconds) * 1000 * scale;
  if (!process.env.BENCH_EVENTS && projectedMs < MINUTE_MS) {
    const large = await run(LARGE_RUN_EVENTS);
    report(large);
    runs.push(large);
  } else if (!process.env.BENCH_EVENTS) {
    console.log(`  (1,000,000 events would take about ${Math.round(projectedMs / 1000)} s: skipped)`);
  }

  const resultsDir = path.resolve(import.meta.dirname, '..', '..', 'bench', 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `rebuild-${first.engine}.json`);
  const body = {
    bench: 'rebuild',
    engine: first.engine,
    serverVersion: first.server,
    cpus: os.cpus().length,
    node: process.version,
    batchSize: BATCH_SIZE,
    finishedAt: new Date().toISOString(),
    runs,
  };
  fs.writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  console.log(`results written to ${path.relative(process.cwd(), file)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
