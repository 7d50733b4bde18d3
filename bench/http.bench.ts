import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import {
  createBaselineTable,
  measureLevel,
  measurementSeconds,
  percentile,
  WARM_UP_MS,
  type LevelResult,
} from './store.bench.js';
import { openBenchDatabase, scratchDatabase, type ScratchDatabase } from './scratch-database.js';

/**
 * `npm run bench:http`: the real server (`node dist/src/main.js`) in a child process, loaded with autocannon
 * from this one — POST /commitments/:id/statements and GET /commitments/:id at 8 and 32 connections, and the
 * GET at a fixed 1,000 req/s — then, in the same run and on the same engine, the store-level single-event
 * append rate of `bench:store` as the baseline for the write path. PostgreSQL when DATABASE_URL is set (a
 * fresh database per part, created next to the one it names and dropped afterwards), the embedded engine in
 * fresh temp dirs otherwise. Measures and prints; it passes or fails nothing.
 */

const COMMITMENTS = 256;
const CONCURRENCY_LEVELS = [8, 32] as const;
const FIXED_RATE = 1000;
const FIXED_RATE_CONNECTIONS = 20;
const WRITE_TARGET_RATIO = 0.6;
const GET_P99_TARGET_MS = 10;
const STARTUP_TIMEOUT_MS = 60_000;
const SHUTDOWN_TIMEOUT_MS = 20_000;

// --- autocannon: the options and events this bench uses beyond bench/autocannon.d.ts ---------------------

interface LoadRequest {
  method: 'GET' | 'POST';
  path?: string;
  body?: string;
  headers?: Record<string, string>;
  /** Called before every request this entry sends; returns the request to send. */
  setupRequest?: (request: LoadRequest) => LoadRequest;
}

interface LoadOptions {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
  requests: LoadRequest[];
  /** Requests per second over all connections (autocannon paces each connection per one-second tick). */
  overallRate?: number;
  ignoreCoordinatedOmission?: boolean;
}

interface LoadInstance extends PromiseLike<{ duration: number; errors: number; timeouts: number }> {
  on(
    event: 'response',
    listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void,
  ): this;
}

const load = autocannon as unknown as (options: LoadOptions) => LoadInstance;

// --- the measured scenarios ------------------------------------------------------------------------------

interface HttpFigures {
  route: string;
  connections: number;
  /** The paced rate asked for, when there is one. */
  targetRate: number | null;
  seconds: number;
  /** 2xx answers per second. */
  requestsPerSecond: number;
  ok: number;
  /** Answers other than 2xx, by status code. */
  non2xx: Record<string, number>;
  errors: number;
  timeouts: number;
  /** Percentiles of the 2xx answers' latencies, measured by autocannon per request. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** CPU time of the server process (user + system) per 2xx answer; the database's share not included. */
  serverCpuUsPerRequest: number;
}

interface Scenario {
  name: string;
  route: string;
  method: 'GET' | 'POST';
  connections: number;
  overallRate?: number;
  /** The path of the next request (one commitment after another, round-robin). */
  nextPath: () => string;
  body?: string;
}

function roundRobin(ids: readonly string[], suffix: string): () => string {
  let next = 0;
  return () => `/commitments/${ids[next++ % ids.length]}${suffix}`;
}

/** Whole-process CPU of the child from /proc (Linux); NaN elsewhere. */
function processCpuMs(pid: number | undefined): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name; in clock ticks.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

async function runScenario(
  server: Server,
  scenario: Scenario,
  seconds: number,
  record: boolean,
): Promise<HttpFigures> {
  const latenciesMs: number[] = [];
  const non2xx: Record<string, number> = {};
  const cpuBefore = processCpuMs(server.child.pid);
  const instance = load({
    url: server.baseUrl,
    connections: scenario.connections,
    duration: seconds,
    overallRate: scenario.overallRate,
    // Latencies are taken from the response events below: each request's own time, not autocannon's
    // histogram, which keeps whole milliseconds and, when paced, adds synthetic values every 1 ms.
    ignoreCoordinatedOmission: scenario.overallRate !== undefined,
    headers: server.headers,
    requests: [
      {
        method: scenario.method,
        body: scenario.body,
        setupRequest: (request) => ({ ...request, path: scenario.nextPath() }),
      },
    ],
  });
  instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
    if (!record) return;
    if (statusCode >= 200 && statusCode < 300) latenciesMs.push(responseTimeMs);
    else non2xx[statusCode] = (non2xx[statusCode] ?? 0) + 1;
  });
  const result = await instance;
  const cpuMs = processCpuMs(server.child.pid) - cpuBefore;
  const sorted = latenciesMs.sort((a, b) => a - b);
  return {
    route: scenario.route,
    connections: scenario.connections,
    targetRate: scenario.overallRate ?? null,
    seconds: result.duration,
    requestsPerSecond: sorted.length / result.duration,
    ok: sorted.length,
    non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.length > 0 ? sorted[sorted.length - 1] : NaN,
    serverCpuUsPerRequest: (cpuMs * 1000) / sorted.length,
  };
}

async function measure(server: Server, scenario: Scenario, seconds: number): Promise<HttpFigures> {
  await runScenario(server, scenario, WARM_UP_MS / 1000, false);
  const figures = await runScenario(server, scenario, seconds, true);
  console.log(`  ${scenario.name} done`);
  return figures;
}

// --- the server and its databases ------------------------------------------------------------------------

interface Server {
  child: ChildProcess;
  baseUrl: string;
  headers: Record<string, string>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function startServer(database: ScratchDatabase): Promise<Server> {
  const port = await freePort();
  const secret = randomBytes(24).toString('base64url');
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  delete env.DATA_DIR;
  Object.assign(env, database.env, {
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SEED: 'false',
    API_KEYS: `bench:analyst:${secret}`,
  });
  const main = path.resolve(import.meta.dirname, '..', 'src', 'main.js');
  const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), SHUTDOWN_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  let status = 0;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} on start-up`);
      if (Date.now() > deadline) {
        throw new Error(`GET /health did not answer 200 within ${STARTUP_TIMEOUT_MS} ms (last: ${status})`);
      }
      status = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2000) }).then(
        (response) => response.status,
        () => 0,
      );
      if (status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    child,
    baseUrl,
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    stop,
  };
}

async function request(server: Server, method: 'GET' | 'POST', route: string, body?: unknown) {
  const response = await fetch(server.baseUrl + route, {
    method,
    headers: server.headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, etag: response.headers.get('etag'), text };
}

const STATEMENT = {
  speaker: { name: 'Bench Speaker', party: 'US' },
  stance: 'supports',
  summary: 'A statement recorded by the HTTP benchmark.',
  occurredAt: '2025-06-01',
  source: { title: 'Benchmark record' },
};

/** N commitments, proposed over HTTP by 8 clients, so that statements spread over many streams. */
async function proposeCommitments(server: Server, runId: string): Promise<string[]> {
  const ids = Array.from({ length: COMMITMENTS }, (_, i) => `bench-${runId}-${String(i).padStart(4, '0')}`);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < ids.length) {
        const id = ids[next++];
        const answer = await request(server, 'POST', '/commitments', {
          id,
          title: `Benchmark commitment ${id}`,
          kind: 'pledge',
          parties: ['ASEAN', 'US'],
          proposedBy: 'US',
          occurredAt: '2025-01-15',
          source: { title: 'Benchmark record' },
        });
        if (answer.status !== 201)
          throw new Error(`POST /commitments ${id}: ${answer.status} ${answer.text}`);
      }
    }),
  );
  const statement = await request(server, 'POST', `/commitments/${ids[0]}/statements`, STATEMENT);
  if (statement.status !== 201) throw new Error(`POST statements: ${statement.status} ${statement.text}`);
  const view = await request(server, 'GET', `/commitments/${ids[0]}`);
  if (view.status !== 200 || view.etag !== '"2"') {
    throw new Error(`GET /commitments/${ids[0]}: ${view.status} ETag ${view.etag} ${view.text}`);
  }
  return ids;
}

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

// --- the run ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const seconds = measurementSeconds();
  const runId = randomBytes(3).toString('hex');
  const database = await scratchDatabase('http_bench_app');
  const engine = database.kind;
  let server: Server | null = null;
  const http: Record<string, HttpFigures> = {};
  try {
    server = await startServer(database);
    console.log(
      `http bench: ${engine}, server pid ${server.child.pid}, ${seconds} s per measurement after a ` +
        `${WARM_UP_MS / 1000} s warm-up, ${os.cpus().length} CPUs, node ${process.version}`,
    );
    const ids = await proposeCommitments(server, runId);
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
      {
        name: `GET commitment at ${FIXED_RATE} req/s`,
        route: 'GET /commitments/:id',
        method: 'GET',
        connections: FIXED_RATE_CONNECTIONS,
        overallRate: FIXED_RATE,
        nextPath: roundRobin(ids, ''),
      },
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
  const paced = http[`get-rate-${FIXED_RATE}`];
  const getMet = paced.p99Ms <= GET_P99_TARGET_MS;
  console.log(
    `\nGET at ${FIXED_RATE} req/s (${FIXED_RATE_CONNECTIONS} connections): ${paced.requestsPerSecond.toFixed(0)} req/s ` +
      `answered, p50 ${paced.p50Ms.toFixed(2)} ms, p99 ${paced.p99Ms.toFixed(2)} ms — target p99 ≤ ` +
      `${GET_P99_TARGET_MS} ms ${getMet ? 'met' : 'NOT met'}`,
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
    getAtFixedRate: {
      rate: FIXED_RATE,
      connections: FIXED_RATE_CONNECTIONS,
      p99Ms: paced.p99Ms,
      targetP99Ms: GET_P99_TARGET_MS,
      met: getMet,
    },
  };
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`results written to ${path.relative(process.cwd(), file)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
