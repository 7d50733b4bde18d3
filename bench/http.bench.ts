import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type HttpFigures, measure, roundRobin } from './http-load.js';
import {
  appendStatements,
  processCpuMs,
  projectionsCaughtUp,
  proposeCommitments,
  request,
  type Server,
  startServer,
  STATEMENT,
} from './http-server.js';
import {
  createBaselineTable,
  measureLevel,
  measurementSeconds,
  type LevelResult,
  WARM_UP_MS,
} from './store.bench.js';
import { openBenchDatabase, scratchDatabase } from './scratch-database.js';
import { runAb, wantsAb } from './ab.js';

/**
 * `npm run bench:http`: the real server (`node dist/src/main.js`) in a child process, loaded with autocannon
 * from this one — POST /commitments/:id/statements and GET /commitments/:id at 8 and 32 connections, and the
 * GET at a fixed 1,000 req/s, also with 10,000 commitments in the database (each GET measured once the
 * projections have caught up with the writes before it); the cost of one statement as the
 * commitment's history grows (10, 200, 1,000 events already there); then, in the same run and on the same
 * engine, the store-level single-event append rate of `bench:store` as the baseline for the write path.
 * PostgreSQL when DATABASE_URL is set (a fresh database per part, created next to the one it names and
 * dropped afterwards), the embedded engine in fresh temp dirs otherwise. Measures and prints; it passes or
 * fails nothing.
 */

const COMMITMENTS = 256;
const MANY_COMMITMENTS = 10_000;
const CONCURRENCY_LEVELS = [8, 32] as const;
const FIXED_RATE = 1000;
const FIXED_RATE_CONNECTIONS = 20;
const WRITE_TARGET_RATIO = 0.6;
const GET_P99_TARGET_MS = 10;
/** Events already in the stream before each step of the series, and statements measured per step. */
const HISTORY_LENGTHS = [10, 200, 1000] as const;
const SERIES_REQUESTS = 200;
const SERIES_TARGET_RATIO = 1.3;

// --- the store-level baseline ----------------------------------------------------------------------------

/** `bench:store`'s measurement (store and its INSERT baseline) on a fresh database of the same engine. */
async function measureStore(
  seconds: number,
): Promise<{ serverVersion: string; poolSize: number; levels: LevelResult[] }> {
  const db = await openBenchDatabase('http_bench_store');
  try {
    await createBaselineTable(db.pool);
    const runId = randomBytes(4).toString('hex');
    const levels: LevelResult[] = [];
    for (const concurrency of CONCURRENCY_LEVELS) {
      levels.push(await measureLevel(db.store, db.pool, runId, concurrency, seconds));
      console.log(`  store appends at concurrency ${concurrency} done`);
    }
    return { serverVersion: db.serverVersion, poolSize: db.poolSize, levels };
  } finally {
    await db.close();
  }
}

// --- printing --------------------------------------------------------------------------------------------

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function describeNon2xx(figures: HttpFigures): string {
  const entries = Object.entries(figures.non2xx);
  const parts = entries.map(([status, count]) => `${count}×${status}`);
  if (figures.errors > 0) parts.push(`${figures.errors} errors`);
  if (figures.timeouts > 0) parts.push(`${figures.timeouts} timeouts`);
  return parts.length === 0 ? '0' : parts.join(' ');
}

// --- the history-length series ----------------------------------------------------------------------------

interface SeriesStep {
  readonly eventsBefore: number;
  readonly requests: number;
  readonly msPerRequest: number;
  /** Server process CPU per statement (embedded: the database's share included). */
  readonly serverCpuMsPerRequest: number;
}

/**
 * One statement after another on commitments whose histories already hold 10, 200 and 1,000 events: what a
 * write costs as a history grows. Sequential, so that nothing but the history differs between the steps.
 */
async function historySeries(server: Server, runId: string): Promise<SeriesStep[]> {
  const ids = await proposeCommitments(server, `${runId}-h`, HISTORY_LENGTHS.length + 1);
  await appendStatements(server, ids[HISTORY_LENGTHS.length], 100); // warms the write path up
  const steps: SeriesStep[] = [];
  for (const [index, length] of HISTORY_LENGTHS.entries()) {
    await appendStatements(server, ids[index], length - 1);
    const cpuBefore = processCpuMs(server.child.pid);
    const started = performance.now();
    await appendStatements(server, ids[index], SERIES_REQUESTS);
    steps.push({
      eventsBefore: length,
      requests: SERIES_REQUESTS,
      msPerRequest: (performance.now() - started) / SERIES_REQUESTS,
      serverCpuMsPerRequest: (processCpuMs(server.child.pid) - cpuBefore) / SERIES_REQUESTS,
    });
    console.log(`  ${SERIES_REQUESTS} statements after ${length} events done`);
  }
  return steps;
}

// --- the run ---------------------------------------------------------------------------------------------

const pacedGet = (ids: readonly string[], name: string) => ({
  name,
  route: 'GET /commitments/:id',
  method: 'GET' as const,
  connections: FIXED_RATE_CONNECTIONS,
  overallRate: FIXED_RATE,
  nextPath: roundRobin(ids, ''),
});

async function main(): Promise<void> {
  const seconds = measurementSeconds();
  const runId = randomBytes(3).toString('hex');
  const database = await scratchDatabase('http_bench_app');
  const engine = database.kind;
  let server: Server | null = null;
  const http: Record<string, HttpFigures> = {};
  let series: SeriesStep[];
  try {
    server = await startServer(database);
    console.log(
      `http bench: ${engine}, server pid ${server.child.pid}, ${seconds} s per measurement after a ` +
        `warm-up, ${os.cpus().length} CPUs, node ${process.version}`,
    );
    const ids = await proposeCommitments(server, runId, COMMITMENTS);
    const view = await request(server, 'GET', `/commitments/${ids[0]}`);
    if (view.status !== 200 || view.etag !== '"1"') {
      throw new Error(`GET /commitments/${ids[0]}: ${view.status} ETag ${view.etag} ${view.text}`);
    }
    console.log(`  ${ids.length} commitments proposed`);
    const body = JSON.stringify(STATEMENT);
    for (const connections of CONCURRENCY_LEVELS) {
      http[`post-${connections}`] = await measure(
        server,
        {
          name: `POST statements, ${connections} connections`,
          route: 'POST /commitments/:id/statements',
          method: 'POST',
          connections,
          nextPath: roundRobin(ids, '/statements'),
          body,
        },
        seconds,
      );
    }
    await projectionsCaughtUp(server);
    for (const connections of CONCURRENCY_LEVELS) {
      http[`get-${connections}`] = await measure(
        server,
        {
          name: `GET commitment, ${connections} connections`,
          route: 'GET /commitments/:id',
          method: 'GET',
          connections,
          nextPath: roundRobin(ids, ''),
        },
        seconds,
      );
    }
    http[`get-rate-${FIXED_RATE}`] = await measure(
      server,
      pacedGet(ids, `GET commitment at ${FIXED_RATE} req/s`),
      seconds,
    );
    series = await historySeries(server, runId);
    const many = [...ids, ...(await proposeCommitments(server, `${runId}-m`, MANY_COMMITMENTS - ids.length))];
    await projectionsCaughtUp(server);
    console.log(`  ${many.length} commitments in the database, the projections caught up`);
    http[`get-rate-${FIXED_RATE}-many`] = await measure(
      server,
      pacedGet(many, `GET commitment at ${FIXED_RATE} req/s, ${many.length} commitments`),
      seconds,
    );
  } finally {
    await server?.stop();
    await database.drop();
  }

  // The server is gone: the store measurement has the machine to itself, as in `npm run bench:store`.
  const store = await measureStore(seconds);

  const httpRows = Object.values(http).map((f) => [
    f.route,
    f.targetRate === null ? String(f.connections) : `${f.connections} @ ${f.targetRate}/s`,
    f.requestsPerSecond.toFixed(0),
    f.p50Ms.toFixed(2),
    f.p99Ms.toFixed(2),
    f.maxMs.toFixed(1),
    describeNon2xx(f),
    f.serverCpuUsPerRequest.toFixed(0),
  ]);
  console.log(`\nHTTP, ${engine} (PostgreSQL ${store.serverVersion}), ${seconds} s each`);
  console.log(
    table(
      ['route', 'connections', '2xx req/s', 'p50 ms', 'p99 ms', 'max ms', 'non-2xx', 'server µs/req'],
      httpRows,
    ),
  );

  const ratios = CONCURRENCY_LEVELS.map((concurrency) => {
    const level = store.levels.find((l) => l.concurrency === concurrency) as LevelResult;
    const post = http[`post-${concurrency}`];
    return {
      concurrency,
      httpWritesPerSecond: post.requestsPerSecond,
      storeAppendsPerSecond: level.store.eventsPerSecond,
      ratio: post.requestsPerSecond / level.store.eventsPerSecond,
      target: WRITE_TARGET_RATIO,
      met: post.requestsPerSecond / level.store.eventsPerSecond >= WRITE_TARGET_RATIO,
    };
  });
  console.log(
    `\nwrite path: HTTP POST statements vs store-level single-event appends (bench:store), ${engine}`,
  );
  console.log(
    table(
      [
        'concurrency',
        'HTTP 2xx/s',
        'store ev/s',
        'store p50',
        'p99',
        'INSERT ev/s',
        'HTTP / store',
        'target',
      ],
      ratios.map((r) => {
        const level = store.levels.find((l) => l.concurrency === r.concurrency) as LevelResult;
        return [
          String(r.concurrency),
          r.httpWritesPerSecond.toFixed(0),
          r.storeAppendsPerSecond.toFixed(0),
          level.store.p50Ms.toFixed(2),
          level.store.p99Ms.toFixed(2),
          level.baseline.eventsPerSecond.toFixed(0),
          r.ratio.toFixed(2),
          `≥ ${WRITE_TARGET_RATIO} ${r.met ? 'met' : 'NOT met'}`,
        ];
      }),
    ),
  );
  const paced = [http[`get-rate-${FIXED_RATE}`], http[`get-rate-${FIXED_RATE}-many`]];
  for (const figures of paced) {
    console.log(
      `\nGET at ${FIXED_RATE} req/s (${FIXED_RATE_CONNECTIONS} connections)` +
        `${figures === paced[1] ? `, ${MANY_COMMITMENTS.toLocaleString('en-US')} commitments` : ''}: ` +
        `${figures.requestsPerSecond.toFixed(0)} req/s answered, p50 ${figures.p50Ms.toFixed(2)} ms, ` +
        `p99 ${figures.p99Ms.toFixed(2)} ms — target p99 ≤ ${GET_P99_TARGET_MS} ms ` +
        `${figures.p99Ms <= GET_P99_TARGET_MS ? 'met' : 'NOT met'}`,
    );
  }
  const first = series[0];
  console.log(
    `\none statement at a time as the history grows, ${engine} (target: cost at 1,000 ≤ 1.3× at 10)`,
  );
  console.log(
    table(
      ['events before', 'statements', 'ms per request', 'server CPU ms per request', 'CPU vs 10 events'],
      series.map((step) => [
        String(step.eventsBefore),
        String(step.requests),
        step.msPerRequest.toFixed(2),
        step.serverCpuMsPerRequest.toFixed(2),
        (step.serverCpuMsPerRequest / first.serverCpuMsPerRequest).toFixed(2),
      ]),
    ),
  );
  const seriesRatio = series[series.length - 1].serverCpuMsPerRequest / first.serverCpuMsPerRequest;
  console.log(
    `write cost at ${series[series.length - 1].eventsBefore} events: ${seriesRatio.toFixed(2)}× the cost at ` +
      `${first.eventsBefore} — target ≤ ${SERIES_TARGET_RATIO} ${seriesRatio <= SERIES_TARGET_RATIO ? 'met' : 'NOT met'}`,
  );

  const resultsDir = path.resolve(import.meta.dirname, '..', '..', 'bench', 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `http-${engine}.json`);
  const report = {
    bench: 'http',
    engine,
    serverVersion: store.serverVersion,
    poolSize: store.poolSize,
    commitments: COMMITMENTS,
    secondsPerMeasurement: seconds,
    warmUpMs: WARM_UP_MS,
    cpus: os.cpus().length,
    node: process.version,
    finishedAt: new Date().toISOString(),
    http,
    store: store.levels,
    writeRatios: ratios,
    getAtFixedRate: paced.map((figures) => ({
      rate: FIXED_RATE,
      connections: FIXED_RATE_CONNECTIONS,
      p99Ms: figures.p99Ms,
      targetP99Ms: GET_P99_TARGET_MS,
      met: figures.p99Ms <= GET_P99_TARGET_MS,
    })),
    historySeries: { steps: series, ratio: seriesRatio, target: SERIES_TARGET_RATIO },
  };
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`results written to ${path.relative(process.cwd(), file)}`);
}

// `--baseline <git-rev>` measures this tree against that revision in alternating rounds (see ab.ts).
(wantsAb(process.argv) ? runAb('http', process.argv) : main()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
