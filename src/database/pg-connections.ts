import { Logger } from '@nestjs/common';
import { Client, type ClientBase, type ClientConfig, Pool, type PoolClient, type PoolConfig } from 'pg';
import { type AppConfig, CLIENT_TIMEOUT_MARGIN_MS } from '../config/app-config.js';
import type { ConnectionTarget, DatabaseEngine } from './database-engine.js';
import { isConnectionBroken, isConnectionFailure, markNotSent } from './database-errors.js';

const logger = new Logger('Database');

/**
 * Who waits on the work a connection does. Requests answer a client: their statements must give up in
 * time for a 503 while the client still waits. Background work (projection batches and rebuilds,
 * migrations) waits on no one and may legitimately run long on a large log.
 */
export type DatabaseWorkload = 'requests' | 'background';

/** Keepalive probes start after this long without traffic, so a peer that vanished silently is noticed. */
const KEEPALIVE_IDLE_MS = 10_000;
/** A background transaction idle this long (its process stalled or died mid-transaction) frees its locks. */
const BACKGROUND_IDLE_IN_TRANSACTION_MS = 60_000;
/**
 * Connections of the background pool: two per projection runner (a build reads one batch of streams
 * ahead), with room to spare, since a runner that waits longer than the connect timeout fails its batch.
 */
export const BACKGROUND_POOL_SIZE = 6;

/**
 * The pg client of every pool and dedicated connection the app opens. PostgreSQL ends sessions on its own
 * (shutdown, pg_terminate_backend, idle timeouts) and networks drop them; pg reports that as an 'error'
 * event on the client, and an 'error' event nobody listens to ends the process. pg-pool listens only while
 * a client is idle in the pool, so a client checked out (mid-query, or between a transaction's statements)
 * had no listener, and a session ended mid-query ended the process. This client has one from birth. The failure still reaches whoever
 * queries the client, as the query's error, and the pool discards the client when it is released.
 *
 * It also marks the errors of connecting as "not sent" (no statement went out: a 503 may say that
 * nothing was changed).
 */
export class GuardedClient extends Client {
  constructor(config?: string | ClientConfig) {
    super(config);
    this.on('error', (error) => logger.warn(`database connection lost: ${error.message}`));
  }

  override connect(): Promise<Client>;
  override connect(callback: ((err: Error) => void) | ((err: null, c: Client) => void)): void;
  override connect(
    callback?: ((err: Error) => void) | ((err: null, c: Client) => void),
  ): Promise<Client> | void {
    if (!callback) {
      return super.connect().catch((error: unknown) => {
        throw markNotSent(error);
      });
    }
    const done = callback as (err: Error | null, c?: Client) => void;
    super.connect(((error: Error | null, client?: Client) =>
      error ? done(markNotSent(error)) : done(null, client)) as (err: Error) => void);
  }
}

/** The timeouts of one workload on one engine, in the names pg takes them. */
export function connectionSettings(
  config: Pick<AppConfig, 'database'>,
  engine: Pick<DatabaseEngine, 'kind'>,
  workload: DatabaseWorkload,
): PoolConfig {
  const { connectTimeoutMs, statementTimeoutMs, backgroundStatementTimeoutMs } = config.database;
  // Embedded, requests and background work share the engine's one connection, inside this process: there
  // is no network to lose, and a request-sized limit would cut a rebuild short.
  const background = workload === 'background' || engine.kind === 'embedded';
  const statement = background ? backgroundStatementTimeoutMs : statementTimeoutMs;
  return {
    Client: GuardedClient,
    // The embedded engine is one session behind every socket, and it keeps the prepared statements of a
    // connection the pool discarded: a new connection would find their names taken and fail to prepare
    // them. Only one connection is in use at a time, so a new one starts by forgetting them.
    ...(engine.kind === 'embedded'
      ? {
          onConnect: async (client: ClientBase) => {
            await client.query('DEALLOCATE ALL');
          },
        }
      : {}),
    connectionTimeoutMillis: connectTimeoutMs,
    // The server cancels a statement past its limit (the transaction rolls back, the session stays usable);
    // the client stops waiting a little later, for a server that does not answer at all.
    statement_timeout: statement,
    query_timeout: statement + CLIENT_TIMEOUT_MARGIN_MS,
    idle_in_transaction_session_timeout: background
      ? BACKGROUND_IDLE_IN_TRANSACTION_MS
      : statementTimeoutMs * 2,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_IDLE_MS,
  };
}

/** The `pg` spelling of where the engine is. */
export function pgTarget(target: ConnectionTarget): ClientConfig {
  return 'url' in target
    ? { connectionString: target.url }
    : { host: target.host, port: target.port, user: target.username, database: target.database };
}

/**
 * A pool of its own for background work on PostgreSQL, so that projection batches neither wait behind
 * requests nor take their connections, and run under the background statement limit.
 */
export function createBackgroundPool(config: Pick<AppConfig, 'database'>, engine: DatabaseEngine): Pool {
  const pool = new Pool({
    ...pgTarget(engine.target),
    ...connectionSettings(config, engine, 'background'),
    application_name: 'commitment-tracker background',
    max: BACKGROUND_POOL_SIZE,
  });
  // The client's own listener has logged the failure; without a listener here the pool's re-emission of
  // an idle client's error would end the process.
  pool.on('error', () => undefined);
  return pool;
}

/** Returns a client to its pool, discarded when `error` left its connection unusable. */
export function releaseClient(client: PoolClient, error?: unknown): void {
  client.release(error !== undefined && isConnectionBroken(error) ? asError(error) : undefined);
}

/**
 * Ends a failed transaction and returns its client. After a connection failure the client is discarded
 * without a ROLLBACK (the server has rolled back already, or will when the connection closes; a ROLLBACK
 * would only wait on a server that does not answer). After any other failure (a statement's, or the
 * caller's own) the ROLLBACK runs, and only its own failure discards the client.
 */
export async function rollBackAndRelease(client: PoolClient, cause: unknown): Promise<void> {
  if (isConnectionFailure(cause)) {
    client.release(asError(cause));
    return;
  }
  try {
    await client.query('ROLLBACK');
    client.release();
  } catch (error) {
    client.release(asError(error));
  }
}

/**
 * Ends a dedicated (unpooled) client without waiting on a server that may not answer: a polite goodbye
 * when it does within `graceMs`, else the socket is closed under it.
 */
export async function endClient(client: Client, graceMs = 1000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.end().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        client.connection.stream.destroy();
        resolve();
      }, graceMs);
    }),
  ]);
  clearTimeout(timer);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
