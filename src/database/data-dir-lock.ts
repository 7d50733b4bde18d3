import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * PGlite has no lock of its own, and two processes writing one data directory would corrupt it. This
 * lock is files and nothing else, so it needs no helper process and works wherever the directory is.
 *
 * A lock is a file `pglite.lock.<generation>`, created whole (written aside, then hard-linked into place:
 * the link fails if the name exists, and no reader ever sees it half written). The holder is whoever
 * created the highest generation, as long as that process lives and has not released it. A lock left by
 * a dead process is never removed to be taken over (removing it was the race: two processes could each
 * remove the stale file and then one the other's fresh one); it is superseded by the next generation,
 * which only one process can create. The creator then checks that its generation is still the highest,
 * since a process slow to act on an older reading may have created a lower one meanwhile. Release marks
 * the file released rather than removing it, so that generations only ever grow.
 */
export class DataDirInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `DATA_DIR ${dataDir} is in use by process ${pid}; the embedded engine serves one process at a time.`,
    );
  }
}

const LOCK_PREFIX = 'pglite.lock.';
/** The single lock file of earlier versions: honoured while its process lives. */
const LEGACY_LOCK = 'pglite.lock';
const RELEASED = 'released';
const POLL_MS = 50;

/** Locks this process holds, by nonce: a second open of one directory in this process is refused too. */
const heldHere = new Set<string>();

interface Holder {
  readonly pid: number;
  readonly startTime: string;
  readonly nonce: string;
}

/**
 * Takes the lock on `dataDir`, waiting up to `waitMs` for a holder that is still alive (a process killed
 * a moment ago may still be exiting), and returns the function that releases it.
 */
export async function lockDataDir(dataDir: string, waitMs: number): Promise<() => void> {
  fs.mkdirSync(dataDir, { recursive: true });
  const deadline = Date.now() + waitMs;
  const me: Holder = {
    pid: process.pid,
    startTime: startTimeOf(process.pid) ?? '-',
    nonce: randomBytes(8).toString('hex'),
  };
  for (;;) {
    const { top, holder } = inspect(dataDir);
    if (holder) {
      if (Date.now() >= deadline) throw new DataDirInUseError(dataDir, holder.pid);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      continue;
    }
    // The generation after the one just found stale, never after a fresh listing: one created meanwhile
    // has not been judged, and its holder may well be alive.
    const generation = top + 1;
    const lockFile = path.join(dataDir, `${LOCK_PREFIX}${generation}`);
    if (!createWhole(lockFile, `${me.pid} ${me.startTime} ${me.nonce}\n`)) continue;
    if (highestGeneration(dataDir) !== generation || readHolder(lockFile)?.nonce !== me.nonce) {
      fs.rmSync(lockFile, { force: true });
      continue;
    }
    heldHere.add(me.nonce);
    removeOlderGenerations(dataDir, generation);
    return () => release(lockFile, me.nonce);
  }
}

/** The highest generation, and the process holding `dataDir` through it (or an earlier version's lock). */
function inspect(dataDir: string): { top: number; holder: Holder | null } {
  const top = highestGeneration(dataDir);
  const legacy = readHolder(path.join(dataDir, LEGACY_LOCK));
  if (legacy && isAlive(legacy)) return { top, holder: legacy };
  if (top === 0) return { top, holder: null };
  const holder = readHolder(path.join(dataDir, `${LOCK_PREFIX}${top}`));
  return { top, holder: holder && isAlive(holder) ? holder : null };
}

function highestGeneration(dataDir: string): number {
  let highest = 0;
  for (const name of fs.readdirSync(dataDir)) {
    if (!name.startsWith(LOCK_PREFIX)) continue;
    const generation = Number(name.slice(LOCK_PREFIX.length));
    if (Number.isSafeInteger(generation) && generation > highest) highest = generation;
  }
  return highest;
}

/** Creates `file` with `content` in one step; false when the name is taken. */
function createWhole(file: string, content: string): boolean {
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.draft`;
  fs.writeFileSync(draft, content);
  try {
    fs.linkSync(draft, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    fs.rmSync(draft, { force: true });
  }
}

/** Superseded generations, and drafts left by processes that died between writing and linking them. */
function removeOlderGenerations(dataDir: string, current: number): void {
  for (const name of fs.readdirSync(dataDir)) {
    if (!name.startsWith(LOCK_PREFIX)) continue;
    const generation = Number(name.slice(LOCK_PREFIX.length));
    const draftBy = /^pglite\.lock\.\d+\.(\d+)\..+\.draft$/.exec(name);
    const deadDraft = draftBy !== null && !isAlive({ pid: Number(draftBy[1]), startTime: '-', nonce: '' });
    if ((Number.isSafeInteger(generation) && generation < current) || deadDraft) {
      fs.rmSync(path.join(dataDir, name), { force: true });
    }
  }
}

function release(lockFile: string, nonce: string): void {
  if (!heldHere.delete(nonce)) return;
  // Marked, not removed: the next holder takes the next generation (see the class comment).
  const draft = `${lockFile}.${process.pid}.released.draft`;
  fs.writeFileSync(draft, `${RELEASED}\n`);
  fs.renameSync(draft, lockFile);
}

function readHolder(file: string): Holder | null {
  let content: string;
  try {
    content = fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if (content === RELEASED) return null;
  const [pid, startTime = '-', nonce = ''] = content.split(' ');
  return /^\d+$/.test(pid) && Number(pid) > 0 ? { pid: Number(pid), startTime, nonce } : null;
}

/**
 * Whether the lock's process still runs. A pid of this process is alive only for a lock it took itself
 * (after a container restart the new process often has the pid the old one had). Where /proc exists, a
 * zombie counts as dead and a pid now used by another process (another start time) too.
 */
function isAlive(holder: Holder): boolean {
  if (heldHere.has(holder.nonce)) return true;
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = procStat(holder.pid);
  if (!stat) return true;
  if (stat.state === 'Z' || stat.state === 'X') return false;
  return holder.startTime === '-' || holder.startTime === stat.startTime;
}

function startTimeOf(pid: number): string | null {
  return procStat(pid)?.startTime ?? null;
}

/** State and start time (clock ticks after boot) from /proc/<pid>/stat, where the system has one. */
function procStat(pid: number): { state: string; startTime: string } | null {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may hold spaces and parentheses: the fields after it follow the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0], startTime: fields[19] };
}
