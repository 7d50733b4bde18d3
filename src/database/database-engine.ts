import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { MEMORY_DATA_DIR, type AppConfig } from '../config/app-config.js';

export type EngineKind = 'postgres' | 'embedded';

/** Where the `pg` driver connects: a URL for PostgreSQL, a Unix socket for the embedded engine. */
export type ConnectionTarget =
  | { readonly url: string }
  | { readonly host: string; readonly port: number; readonly username: string; readonly database: string };

export interface DatabaseEngine {
  readonly kind: EngineKind;
  readonly target: ConnectionTarget;
  /** Stops what the engine itself started (the embedded database); a no-op for PostgreSQL. */
  close(): Promise<void>;
}

export class DataDirInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `DATA_DIR ${dataDir} is in use by process ${pid}; the embedded engine serves one process at a time.`,
    );
  }
}

/**
 * Starts the engine the configuration names. The embedded engine is PGlite behind pglite-socket, reached
 * through the same `pg` driver as PostgreSQL: a pool of one connection keeps concurrent transactions from
 * sharing a session (DESIGN.md "Engines").
 */
export async function startDatabaseEngine(
  config: Pick<AppConfig, 'databaseUrl' | 'dataDir'>,
): Promise<DatabaseEngine> {
  if (config.databaseUrl) {
    return { kind: 'postgres', target: { url: config.databaseUrl }, close: async () => undefined };
  }
  const inMemory = config.dataDir === MEMORY_DATA_DIR;
  const releaseLock = inMemory ? () => undefined : lockDataDir(config.dataDir);
  try {
    const db = await PGlite.create(inMemory ? MEMORY_DATA_DIR : path.join(config.dataDir, 'pglite'));
    // A Unix socket in a private directory: unlike a TCP port, no other local user can reach it.
    const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pglite-'));
    // The pool holds one connection; the spare slots only cover a replaced connection still closing.
    const server = new PGLiteSocketServer({
      db,
      path: path.join(socketDir, '.s.PGSQL.5432'),
      maxConnections: 4,
    });
    await server.start();
    return {
      kind: 'embedded',
      target: { host: socketDir, port: 5432, username: 'postgres', database: 'postgres' },
      close: async () => {
        await server.stop();
        await db.close();
        fs.rmSync(socketDir, { recursive: true, force: true });
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/** PGlite has no lock of its own; two processes writing one data directory would corrupt it. */
function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockFile = path.join(dataDir, 'pglite.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(fs.readFileSync(lockFile, 'utf8'));
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new DataDirInUseError(dataDir, holder);
      }
      fs.rmSync(lockFile, { force: true }); // left behind by a process that died
    }
  }
  throw new Error(`could not lock ${lockFile}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
