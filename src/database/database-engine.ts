import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { MEMORY_DATA_DIR, type AppConfig } from '../config/app-config.js';
import { lockDataDir } from './data-dir-lock.js';

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

/**
 * Starts the engine the configuration names. The embedded engine is PGlite behind pglite-socket, reached
 * through the same `pg` driver as PostgreSQL: a pool of one connection keeps concurrent transactions from
 * sharing a session (DESIGN.md "Engines").
 */
export async function startDatabaseEngine(
  config: Pick<AppConfig, 'databaseUrl' | 'dataDir' | 'dataDirLockWaitMs'>,
): Promise<DatabaseEngine> {
  if (config.databaseUrl) {
    return { kind: 'postgres', target: { url: config.databaseUrl }, close: async () => undefined };
  }
  const inMemory = config.dataDir === MEMORY_DATA_DIR;
  const releaseLock = inMemory
    ? () => undefined
    : await lockDataDir(config.dataDir, config.dataDirLockWaitMs);
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
