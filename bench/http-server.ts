import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { ScratchDatabase } from './scratch-database.js';

/** The real server (`dist/src/main.js`) in a child process, on a database of the benchmark's own. */
export interface Server {
  readonly child: ChildProcess;
  readonly baseUrl: string;
  readonly headers: Record<string, string>;
  /** An admin key's headers, for the projections overview. */
  readonly adminHeaders: Record<string, string>;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 60_000;
const SHUTDOWN_TIMEOUT_MS = 20_000;

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

/**
 * Starts the server with one analyst key and waits for `GET /health`; `nodeArgs` go before the script,
 * `extraEnv` overrides the environment (`SEED: 'true'`, say).
 */
export async function startServer(
  database: ScratchDatabase,
  nodeArgs: readonly string[] = [],
  extraEnv: Record<string, string> = {},
): Promise<Server> {
  const port = await freePort();
  const secret = randomBytes(24).toString('base64url');
  const adminSecret = randomBytes(24).toString('base64url');
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  delete env.DATA_DIR;
  Object.assign(env, database.env, {
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SEED: 'false',
    API_KEYS: `bench:analyst:${secret},bench-admin:admin:${adminSecret}`,
    ...extraEnv,
  });
  const main = path.resolve(import.meta.dirname, '..', 'src', 'main.js');
  const child = spawn(process.execPath, [...nodeArgs, main], {
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
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
    adminHeaders: { authorization: `Bearer ${adminSecret}` },
    stop,
  };
}

/**
 * Waits until every projection has applied the whole log (`GET /admin/projections`: no lag), so that a
 * measurement after a bulk of writes sees the server as it runs with that much data, not while its
 * projectors are still working through the bulk.
 */
export async function projectionsCaughtUp(server: Server, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${server.baseUrl}/admin/projections`, { headers: server.adminHeaders });
    if (response.status !== 200)
      throw new Error(`GET /admin/projections: ${response.status} ${await response.text()}`);
    const { projections } = (await response.json()) as { projections: { lag: { events: number } }[] };
    if (projections.every((projection) => projection.lag.events === 0)) return;
    if (Date.now() > deadline) throw new Error(`the projections did not catch up within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Whole-process CPU of the child from /proc (Linux), in ms; NaN elsewhere. */
export function processCpuMs(pid: number | undefined): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name; in clock ticks.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

export async function request(server: Server, method: 'GET' | 'POST', route: string, body?: unknown) {
  const response = await fetch(server.baseUrl + route, {
    method,
    headers: server.headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, etag: response.headers.get('etag'), text };
}

export const STATEMENT = {
  speaker: { name: 'Bench Speaker', party: 'US' },
  stance: 'supports',
  summary: 'A statement recorded by the HTTP benchmark.',
  occurredAt: '2025-06-01',
  source: { title: 'Benchmark record' },
};

/** `count` commitments proposed over HTTP by 8 clients, so that statements spread over many streams. */
export async function proposeCommitments(server: Server, runId: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `bench-${runId}-${String(i).padStart(5, '0')}`);
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
  return ids;
}

/** Appends `count` statements to one commitment, one after the other. */
export async function appendStatements(server: Server, id: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const answer = await request(server, 'POST', `/commitments/${id}/statements`, STATEMENT);
    if (answer.status !== 201) throw new Error(`POST statements on ${id}: ${answer.status} ${answer.text}`);
  }
}
