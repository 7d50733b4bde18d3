import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { measure, roundRobin } from './http-load.js';
import { proposeCommitments, type Server, startServer, STATEMENT } from './http-server.js';
import { scratchDatabase } from './scratch-database.js';
import { measurementSeconds } from './store.bench.js';

/**
 * `npm run bench:profile`: a CPU profile of the server's write path under load — POST statements over 256
 * commitments at 32 connections — taken inside the server process, then summarised: the functions with the
 * most self time, and the share of each area (pg driver, HTTP framework, validation, the decider, …).
 * The whole profile is written to bench/results/ for Chrome DevTools or speedscope.
 */

const CONNECTIONS = 32;
const TOP = 25;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const AREAS: readonly (readonly [string, RegExp])[] = [
  ['garbage collection', /^\(garbage collector\)$/],
  ['idle', /^\((idle|program)\)$/],
  ['pg driver', /node_modules\/(pg|pg-protocol|pg-pool|pg-types|postgres-[a-z]+)\//],
  ['validation', /node_modules\/(class-validator|class-transformer|validator)\//],
  ['HTTP framework', /node_modules\/(fastify|@fastify|@nestjs|find-my-way|light-my-request|avvio|pino|rxjs)/],
  ['decider and rules', /\/src\/commitments\/domain\//],
  ['commitments (handler, state, queries)', /\/src\/commitments\//],
  ['event store', /\/src\/event-store\//],
  ['projections', /\/src\/projections\//],
  ['other app code', /\/src\//],
  ['node internals', /^node:|^internal\//],
];

function areaOf(frame: ProfileNode['callFrame']): string {
  const key = frame.url || frame.functionName;
  const area = AREAS.find(([, pattern]) => pattern.test(key))?.[0];
  if (area) return area;
  // Frames without a script are native: socket writes (writev), the HTTP parser, hashing, JSON.
  return frame.url ? 'other JavaScript' : 'native (socket I/O, HTTP parsing, JSON, hashing)';
}

function summarise(profile: CpuProfile): void {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, index) => selfUs.set(id, (selfUs.get(id) ?? 0) + profile.timeDeltas[index]));
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const frame = (byNode.get(id) as ProfileNode).callFrame;
    const area = areaOf(frame);
    if (area === 'idle') continue;
    total += us;
    const where = frame.url
      ? `${frame.url.replace(/^.*\/(node_modules|dist)\//, '')}:${frame.lineNumber + 1}`
      : '';
    const name = `${frame.functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    byArea.set(area, (byArea.get(area) ?? 0) + us);
  }
  const share = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)} %`;
  console.log(`\nbusy CPU by area (${(total / 1000).toFixed(0)} ms sampled, idle left out)`);
  for (const [area, us] of [...byArea].sort((a, b) => b[1] - a[1])) console.log(`  ${share(us)}  ${area}`);
  console.log(`\ntop ${TOP} functions by self time`);
  for (const [name, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, TOP))
    console.log(`  ${share(us)}  ${name}`);
}

async function main(): Promise<void> {
  const seconds = measurementSeconds();
  const resultsDir = path.resolve(import.meta.dirname, '..', '..', 'bench', 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `write-path-${Date.now()}.cpuprofile`);
  process.env.CPU_PROFILE_FILE = file;
  const database = await scratchDatabase('profile_bench');
  let server: Server | null = null;
  try {
    server = await startServer(database, [
      '--import',
      path.join(import.meta.dirname, 'cpu-profile.preload.js'),
    ]);
    const ids = await proposeCommitments(server, randomBytes(3).toString('hex'), 256);
    const scenario = {
      name: `POST statements, ${CONNECTIONS} connections`,
      route: 'POST /commitments/:id/statements',
      method: 'POST' as const,
      connections: CONNECTIONS,
      nextPath: roundRobin(ids, '/statements'),
      body: JSON.stringify(STATEMENT),
    };
    server.child.send('profile'); // the profile up to here (start-up, proposals) is dropped
    await waitForFile(file);
    fs.rmSync(file);
    const figures = await measure(server, scenario, seconds);
    server.child.send('profile');
    await waitForFile(file);
    console.log(
      `write path profiled on ${database.kind}: ${figures.requestsPerSecond.toFixed(0)} statements/s, ` +
        `p99 ${figures.p99Ms.toFixed(1)} ms; profile in ${path.relative(process.cwd(), file)}`,
    );
    summarise(JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile);
  } finally {
    await server?.stop();
    await database.drop();
  }
}

async function waitForFile(file: string): Promise<void> {
  for (let waited = 0; !fs.existsSync(file); waited += 100) {
    if (waited > 30_000) throw new Error(`no profile written to ${file}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
