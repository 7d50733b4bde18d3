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
  config: Pick<AppConfig, 'databaseUrl' | 'dataDir' | 'dataDirLockWaitMs' | 'dataDirTemplate'>,
): Promise<DatabaseEngine> {
  if (config.databaseUrl) {
    return { kind: 'postgres', target: { url: config.databaseUrl }, close: async () => undefined };
  }
  const inMemory = config.dataDir === MEMORY_DATA_DIR;
  const releaseLock = inMemory
    ? () => undefined
    : await lockDataDir(config.dataDir, config.dataDirLockWaitMs);
  try {
    const dataDir = inMemory ? MEMORY_DATA_DIR : path.join(config.dataDir, 'pglite');
    const template = isNewDataDir(dataDir) ? readTemplate(config.dataDirTemplate) : undefined;
    const db = await PGlite.create(dataDir, { loadDataDir: template });
    return await serveEmbedded(db, releaseLock);
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/**
 * A new data directory starts from a migrated template when there is one: unpacking it takes a fraction
 * of initdb's time, and the migrations it already holds are not run again (later ones still are).
 */
function isNewDataDir(dataDir: string): boolean {
  return dataDir === MEMORY_DATA_DIR || !fs.existsSync(path.join(dataDir, 'PG_VERSION'));
}

function readTemplate(file: string): Blob | undefined {
  if (!fs.existsSync(file)) return undefined;
  return new Blob([fs.readFileSync(file)]);
}

/**
 * Writes `file`: a tarball of a new embedded database after `migrate`, the template
 * {@link startDatabaseEngine} starts new data directories from. Written aside and renamed into place, so
 * that a reader never sees half a template.
 */
export async function writeDataDirTemplate(
  file: string,
  migrate: (engine: DatabaseEngine) => Promise<void>,
): Promise<void> {
  const db = await PGlite.create(MEMORY_DATA_DIR);
  const engine = await serveEmbedded(db, () => undefined);
  try {
    await migrate(engine);
    const tarball = await db.dumpDataDir('gzip');
    const aside = `${file}.${process.pid}.partial`;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(aside, Buffer.from(await tarball.arrayBuffer()));
    fs.renameSync(aside, file);
  } finally {
    await engine.close();
  }
}

async function serveEmbedded(db: PGlite, releaseLock: () => void): Promise<DatabaseEngine> {
  try {
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
    await db.close();
    throw error;
  }
}
