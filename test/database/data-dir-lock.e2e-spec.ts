import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ServerProcess } from '../support/server-process.js';
import { TEST_KEYS } from '../support/test-app.js';

/**
 * The embedded engine's lock on DATA_DIR, between real processes: the built lock module in child
 * processes racing for one directory, and the built server killed and restarted.
 */
const LOCK_MODULE = pathToFileURL(
  path.resolve(import.meta.dirname, '../../dist/src/database/data-dir-lock.js'),
).href;
const TRIALS = 10;
const CONTENDERS = 4;

/** Waits until `startAt` (epoch ms), then tries to lock; holds a won lock until its stdin closes. */
const CONTENDER = `
const { lockDataDir } = await import(process.env.LOCK_MODULE);
const startAt = Number(process.env.START_AT);
while (Date.now() < startAt) {}
try {
  const release = await lockDataDir(process.env.DIR, Number(process.env.WAIT_MS));
  process.stdout.write('acquired\\n');
  process.stdin.on('end', () => { release(); process.exit(0); });
  process.stdin.resume();
} catch (error) {
  process.stdout.write('refused: ' + error.message + '\\n');
}`;

function contender(
  dir: string,
  startAt: number,
  waitMs: number,
): { child: ChildProcess; verdict: Promise<string> } {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CONTENDER], {
    env: {
      PATH: process.env.PATH ?? '',
      LOCK_MODULE,
      DIR: dir,
      START_AT: String(startAt),
      WAIT_MS: String(waitMs),
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const verdict = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('exit', (code) => reject(new Error(`contender exited (${code}) without a verdict: ${out}`)));
  });
  return { child, verdict };
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** The pid of a process that has come and gone: what a lock left by a crash names. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await exited(child);
  return child.pid as number;
}

describe('the embedded data directory lock, between processes', () => {
  let root: string;

  beforeAll(() => {
    if (!fs.existsSync(new URL(LOCK_MODULE))) throw new Error('build first: npx nest build');
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'data-dir-lock-'));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it(`lets exactly one of ${CONTENDERS} processes starting in the same millisecond over a stale lock in, ${TRIALS} times out of ${TRIALS}`, async () => {
    const winners: number[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const dir = path.join(root, `race-${trial}`);
      fs.mkdirSync(dir);
      // Left by a process that crashed while holding it.
      fs.writeFileSync(path.join(dir, 'pglite.lock.1'), `${await deadPid()} - crashed\n`);
      const startAt = Date.now() + 750;
      const racers = Array.from({ length: CONTENDERS }, () => contender(dir, startAt, 200));
      const verdicts = await Promise.all(racers.map((r) => r.verdict));
      winners.push(verdicts.filter((v) => v === 'acquired').length);
      expect(verdicts.filter((v) => v !== 'acquired').every((v) => /in use by process \d+/.test(v))).toBe(
        true,
      );
      for (const { child } of racers) child.stdin?.end();
      await Promise.all(racers.map((r) => exited(r.child)));
    }
    expect(winners).toEqual(Array.from({ length: TRIALS }, () => 1));
  }, 120_000);

  it('waits for a holder that is still exiting after kill -9, instead of refusing the restart', async () => {
    const dir = path.join(root, 'killed');
    const holder = contender(dir, 0, 0);
    expect(await holder.verdict).toBe('acquired');
    holder.child.kill('SIGKILL');
    // At once, while the killed process may not even have finished exiting.
    const { lockDataDir } = (await import(
      LOCK_MODULE
    )) as typeof import('../../src/database/data-dir-lock.js');
    const release = await lockDataDir(dir, 5_000);
    release();
  });

  it('refuses a live holder after the bounded wait, naming its process', async () => {
    const dir = path.join(root, 'live');
    const holder = contender(dir, 0, 0);
    expect(await holder.verdict).toBe('acquired');
    try {
      const second = contender(dir, 0, 300);
      expect(await second.verdict).toBe(
        `refused: DATA_DIR ${dir} is in use by process ${holder.child.pid}; the embedded engine serves one process at a time.`,
      );
    } finally {
      holder.child.stdin?.end();
      await exited(holder.child);
    }
    // Released by its holder: the next one gets it at once.
    const next = contender(dir, 0, 0);
    expect(await next.verdict).toBe('acquired');
    next.child.stdin?.end();
    await exited(next.child);
  });

  it('restarts the real server right after kill -9 on the same data, and refuses a second one alongside', async () => {
    const dataDir = path.join(root, 'server');
    const env = {
      DATA_DIR: dataDir,
      API_KEYS: `analyst:analyst:${TEST_KEYS.analyst}`,
      SEED: 'false',
    };
    const first = await ServerProcess.start(env);
    try {
      const created = await fetch(`${first.url}/commitments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_KEYS.analyst}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          id: 'kept-across-kill',
          title: 'Kept across a kill',
          kind: 'pledge',
          parties: ['NP'],
          proposedBy: 'NP',
          occurredAt: '2024-03-01',
          source: { title: 'Communiqué' },
        }),
      });
      expect(created.status).toBe(201);
    } finally {
      // No shutdown of any kind: the lock stays behind with its holder, as after a crash.
      first.signal('SIGKILL');
    }

    const second = await ServerProcess.start(env);
    try {
      const read = await fetch(`${second.url}/commitments/kept-across-kill`, {
        headers: { authorization: `Bearer ${TEST_KEYS.analyst}` },
      });
      expect(read.status).toBe(200);

      const third = ServerProcess.start({ ...env, DATA_DIR_LOCK_WAIT_MS: '300' });
      await expect(third).rejects.toThrow(/exited \(1\) before listening[\s\S]*in use by process \d+/);
    } finally {
      await second.stop();
    }
  }, 180_000);
});
