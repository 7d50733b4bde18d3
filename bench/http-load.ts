import autocannon from 'autocannon';
import { percentile, WARM_UP_MS } from './store.bench.js';
import { processCpuMs, type Server } from './http-server.js';

/** autocannon scenarios against a running {@link Server}: rates, latencies and the server's CPU per answer. */

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

export interface HttpFigures {
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

export interface Scenario {
  name: string;
  route: string;
  method: 'GET' | 'POST';
  connections: number;
  overallRate?: number;
  /** The path of the next request (one commitment after another, round-robin). */
  nextPath: () => string;
  body?: string;
}

export function roundRobin(ids: readonly string[], suffix: string): () => string {
  let next = 0;
  return () => `/commitments/${ids[next++ % ids.length]}${suffix}`;
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

export async function measure(server: Server, scenario: Scenario, seconds: number): Promise<HttpFigures> {
  await runScenario(server, scenario, WARM_UP_MS / 1000, false);
  const figures = await runScenario(server, scenario, seconds, true);
  console.log(`  ${scenario.name} done`);
  return figures;
}
