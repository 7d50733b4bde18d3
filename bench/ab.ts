import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeBenchReport } from './bench-report.js';
import { scratchDatabase } from './scratch-database.js';

/**
 * `npm run bench:store -- --baseline <git-rev> [--rounds <n>]` (and the same for bench:http): the bench of
 * this tree (the candidate) and of another revision (the baseline, built once into a temporary git worktree)
 * in alternating rounds of one run, each run on a database of its own, so that the load of a busy machine
 * weighs on both sides alike. Prints each figure, the candidate/baseline ratio of each round and the median
 * ratio, with the load average at the start of every run. Each side's full output goes to a log file.
 */

export type AbBench = 'store' | 'http';

interface Side {
  readonly name: 'baseline' | 'candidate';
  readonly root: string;
}

/** One figure of a run, and whether more of it is better (a rate) or worse (a time). */
interface Figure {
  readonly name: string;
  readonly value: number;
  readonly higherIsBetter: boolean;
}

interface RoundFigures {
  readonly round: number;
  readonly load: Record<Side['name'], number>;
  readonly figures: Record<Side['name'], Figure[]>;
}

const CANDIDATE_ROOT = path.resolve(import.meta.dirname, '..', '..');
const DEFAULT_ROUNDS = 3;

export function wantsAb(argv: readonly string[]): boolean {
  return argv.includes('--baseline');
}

export async function runAb(bench: AbBench, argv: readonly string[]): Promise<void> {
  const revision = option(argv, '--baseline');
  if (!revision) throw new Error('--baseline needs a git revision');
  const rounds = Number(option(argv, '--rounds') ?? DEFAULT_ROUNDS);
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error(`--rounds ${rounds}: expected a whole number ≥ 1`);
  const sha = git(CANDIDATE_ROOT, 'rev-parse', '--verify', `${revision}^{commit}`);
  const candidateSha = git(CANDIDATE_ROOT, 'rev-parse', 'HEAD');
  const dirty = git(CANDIDATE_ROOT, 'status', '--porcelain', '--untracked-files=no') !== '';
  const baseline: Side = { name: 'baseline', root: buildBaseline(sha) };
  const candidate: Side = { name: 'candidate', root: CANDIDATE_ROOT };
  const engine = process.env.DATABASE_URL ? 'postgres' : 'embedded';
  const logDir = path.join(CANDIDATE_ROOT, 'bench', 'results', `ab-${bench}-${engine}-${Date.now()}`);
  fs.mkdirSync(logDir, { recursive: true });
  console.log(
    `A/B bench:${bench}, ${engine}: baseline ${sha.slice(0, 7)}, candidate ${candidateSha.slice(0, 7)}` +
      `${dirty ? ' with uncommitted changes' : ''}; ${rounds} rounds, BENCH_SECONDS=${process.env.BENCH_SECONDS ?? '(default)'}; ` +
      `${os.cpus().length} CPUs; logs in ${path.relative(process.cwd(), logDir)}`,
  );

  const results: RoundFigures[] = [];
  for (let round = 1; round <= rounds; round++) {
    // Alternate which side goes first, so that a drift within a round weighs on both.
    const order = round % 2 === 1 ? [baseline, candidate] : [candidate, baseline];
    const load = {} as RoundFigures['load'];
    const figures = {} as RoundFigures['figures'];
    for (const side of order) {
      load[side.name] = os.loadavg()[0];
      console.log(
        `round ${round}: ${side.name} starts, load average ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
      );
      const report = await runSide(bench, side, engine, path.join(logDir, `round${round}-${side.name}.log`));
      figures[side.name] = figuresOf(bench, report);
    }
    results.push({ round, load, figures });
    printTable(results);
  }
  writeBenchReport(`ab-${bench}-${engine}.json`, {
    bench: `ab-${bench}`,
    engine,
    baseline: sha,
    candidate: candidateSha,
    candidateDirty: dirty,
    rounds: results,
    medianRatios: medianRatios(results),
  });
}

function option(argv: readonly string[], name: string): string | undefined {
  const index = argv.indexOf(name);
  return index >= 0 ? argv[index + 1] : undefined;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
}

function run(cwd: string, command: string, args: readonly string[]): void {
  execFileSync(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
}

/**
 * The baseline revision, checked out and built in a temporary worktree kept for the next run. It borrows
 * this tree's node_modules when both lock files are the same, and installs its own otherwise.
 */
function buildBaseline(sha: string): string {
  const root = path.join(os.tmpdir(), `bench-ab-${sha.slice(0, 12)}`);
  const built = path.join(root, '.bench-ab-built');
  if (fs.existsSync(built)) return root;
  if (!fs.existsSync(root)) git(CANDIDATE_ROOT, 'worktree', 'add', '--detach', root, sha);
  const lock = (dir: string) => fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8');
  if (!fs.existsSync(path.join(root, 'node_modules'))) {
    if (lock(root) === lock(CANDIDATE_ROOT)) {
      fs.symlinkSync(path.join(CANDIDATE_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
    } else {
      console.log('the baseline has another package-lock.json: installing its own dependencies');
      run(root, 'npm', ['ci', '--no-audit', '--no-fund']);
    }
  }
  console.log(`building the baseline ${sha.slice(0, 7)} in ${root}`);
  run(root, 'npm', ['run', '--silent', 'build']);
  fs.writeFileSync(built, `${sha}\n`);
  return root;
}

/** One run of the bench in `side`'s tree, on a database of its own; its report. */
async function runSide(
  bench: AbBench,
  side: Side,
  engine: string,
  logFile: string,
): Promise<Record<string, unknown>> {
  // PostgreSQL: a database of the run's own next to DATABASE_URL's; embedded, each bench makes its own.
  const database = process.env.DATABASE_URL
    ? await scratchDatabase('bench_ab')
    : { env: {}, drop: async () => undefined };
  try {
    const env = { ...process.env, ...database.env };
    const script = path.join(side.root, 'dist', 'bench', `${bench}.bench.js`);
    const log = fs.openSync(logFile, 'w');
    try {
      const child = spawn(process.execPath, [script], { cwd: side.root, env, stdio: ['ignore', log, log] });
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      if (code !== 0) throw new Error(`${side.name} bench:${bench} exited with ${code}: see ${logFile}`);
    } finally {
      fs.closeSync(log);
    }
  } finally {
    await database.drop();
  }
  const reportFile = path.join(side.root, 'bench', 'results', `${bench}-${engine}.json`);
  return JSON.parse(fs.readFileSync(reportFile, 'utf8')) as Record<string, unknown>;
}

interface StoreLevel {
  concurrency: number;
  store: { eventsPerSecond: number; clientCpuUsPerEvent: number };
  grouped?: { eventsPerSecond: number };
  ratio: number;
  groupedRatio?: number;
}

interface HttpReport {
  http: Record<string, { requestsPerSecond: number; serverCpuUsPerRequest: number }>;
  store: StoreLevel[];
  writeRatios: { concurrency: number; ratio: number }[];
}

function figuresOf(bench: AbBench, report: Record<string, unknown>): Figure[] {
  const rate = (name: string, value: number): Figure => ({ name, value, higherIsBetter: true });
  const cost = (name: string, value: number): Figure => ({ name, value, higherIsBetter: false });
  if (bench === 'store') {
    const levels = report.appends as StoreLevel[];
    const read = report.read as { readAndFoldMs: number };
    return [
      ...levels.flatMap((level) => [
        rate(`appends/s c${level.concurrency}`, level.store.eventsPerSecond),
        ...(level.grouped ? [rate(`grouped/s c${level.concurrency}`, level.grouped.eventsPerSecond)] : []),
        rate(`store/INSERT c${level.concurrency}`, level.ratio),
        ...(level.groupedRatio ? [rate(`grouped/INSERT c${level.concurrency}`, level.groupedRatio)] : []),
        cost(`node µs/append c${level.concurrency}`, level.store.clientCpuUsPerEvent),
      ]),
      cost('read+fold ms', read.readAndFoldMs),
    ];
  }
  const { http, store, writeRatios } = report as unknown as HttpReport;
  return [
    ...Object.entries(http).map(([name, figures]) => rate(`${name} req/s`, figures.requestsPerSecond)),
    ...Object.entries(http)
      .filter(([name]) => name.startsWith('post-'))
      .map(([name, figures]) => cost(`${name} server µs/req`, figures.serverCpuUsPerRequest)),
    ...store.map((level) => rate(`store appends/s c${level.concurrency}`, level.store.eventsPerSecond)),
    ...writeRatios.map((r) => rate(`HTTP/store c${r.concurrency}`, r.ratio)),
  ];
}

/** Candidate over baseline, so that above 1 is the candidate's gain for a rate and its loss for a time. */
function ratioOf(round: RoundFigures, name: string): number {
  const value = (side: Side['name']) => round.figures[side].find((f) => f.name === name)?.value ?? NaN;
  return value('candidate') / value('baseline');
}

function median(values: readonly number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function medianRatios(results: readonly RoundFigures[]): Record<string, number> {
  const names = results[0].figures.candidate.map((f) => f.name);
  return Object.fromEntries(names.map((name) => [name, median(results.map((r) => ratioOf(r, name)))]));
}

function printTable(results: readonly RoundFigures[]): void {
  const names = results[0].figures.candidate;
  const format = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(2));
  const header = [
    'figure',
    ...results.flatMap((r) => [`r${r.round} base`, `r${r.round} cand`, `r${r.round} ratio`]),
    'median ratio',
  ];
  const rows = names.map(({ name, higherIsBetter }) => [
    `${name} (${higherIsBetter ? 'higher' : 'lower'} is better)`,
    ...results.flatMap((r) => {
      const value = (side: Side['name']) => r.figures[side].find((f) => f.name === name)?.value ?? NaN;
      return [format(value('baseline')), format(value('candidate')), ratioOf(r, name).toFixed(3)];
    }),
    median(results.map((r) => ratioOf(r, name))).toFixed(3),
  ]);
  rows.push([
    'load average at start (1 min)',
    ...results.flatMap((r) => [r.load.baseline.toFixed(2), r.load.candidate.toFixed(2), '']),
    '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(['', line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));
}
