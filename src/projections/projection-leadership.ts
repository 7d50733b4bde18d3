import { createHash } from 'node:crypto';
import type { LoggerService } from '@nestjs/common';
import type { Client, ClientConfig, QueryResult, QueryResultRow } from 'pg';
import { endClient, GuardedClient } from '../database/pg-connections.js';

/** The LISTEN/NOTIFY channel on which instances tell each other that the log has grown. */
export const PROJECTIONS_CHANNEL = 'projections_wake';

/** First half of every projection's advisory-lock key; the second is a hash of the projection's name. */
export const PROJECTION_LOCK_CLASS = 0x50524a31;

/** Appends within this window are announced with one NOTIFY: wake-ups must not cost the write path. */
const NOTIFY_COALESCE_MS = 20;

export function projectionLockKey(projection: string): number {
  return createHash('sha256').update(projection).digest().readUInt32BE(0) & 0x7fffffff;
}

export interface LeadershipEvents {
  /** This instance now holds the projection's lock: start its runner. */
  acquired(projection: string): void;
  /** The lock is gone (connection lost, or stopping): stop the runner before anything else. */
  lost(projection: string): Promise<void>;
  /** Another instance (or this one) announced new events. */
  notified(): void;
}

/**
 * One active runner per projection across every instance on one PostgreSQL: a session-level
 * `pg_try_advisory_lock` per projection, held on a dedicated connection that also LISTENs for wake-ups.
 * When an instance dies its connection drops and PostgreSQL releases its locks; the standbys try again
 * every `campaignIntervalMs` and one of them takes over.
 */
export class AdvisoryLockLeadership {
  private client: Client | null = null;
  private readonly held = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private campaigning: Promise<void> | null = null;
  /** Set while the runners of a lost session are being stopped: no campaign may start them meanwhile. */
  private releasing: Promise<void> | null = null;
  private notifyPending = false;
  private stopped = false;
  /** node-pg deprecates queuing queries on a busy client implicitly: they are chained here instead. */
  private lastQuery: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly connection: ClientConfig,
    private readonly projections: readonly string[],
    private readonly events: LeadershipEvents,
    private readonly campaignIntervalMs: number,
    private readonly logger: LoggerService,
  ) {}

  isLeading(projection: string): boolean {
    return this.held.has(projection);
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.timer = setInterval(() => void this.campaign(), this.campaignIntervalMs);
    await this.campaign();
  }

  /** Tells every instance's runners that events were appended (coalesced into one NOTIFY). */
  announceAppend(): void {
    if (this.notifyPending) return;
    this.notifyPending = true;
    setTimeout(() => {
      this.notifyPending = false;
      if (this.client)
        this.query(this.client, 'SELECT pg_notify($1, $2)', [PROJECTIONS_CHANNEL, '']).catch(() => undefined);
    }, NOTIFY_COALESCE_MS).unref();
  }

  /** Stops the runners first, then ends the session, which releases the locks. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.campaigning;
    await this.release();
  }

  private campaign(): Promise<void> {
    if (this.stopped || this.releasing || this.campaigning) return this.campaigning ?? Promise.resolve();
    this.campaigning = this.tryToLead().finally(() => {
      this.campaigning = null;
    });
    return this.campaigning;
  }

  private async tryToLead(): Promise<void> {
    try {
      const client = this.client ?? (await this.connect());
      const wanted = this.projections.filter((projection) => !this.held.has(projection));
      // Even with every lock held, a round trip tells a silently dead connection from a live one.
      if (wanted.length === 0) await this.query(client, 'SELECT 1');
      for (const projection of wanted) {
        const { rows } = await this.query<{ acquired: boolean }>(
          client,
          'SELECT pg_try_advisory_lock($1, $2) AS acquired',
          [PROJECTION_LOCK_CLASS, projectionLockKey(projection)],
        );
        if (this.stopped || this.client !== client) return;
        if (rows[0].acquired) {
          this.held.add(projection);
          this.logger.log(`leading projection ${projection}`);
          this.events.acquired(projection);
        }
      }
    } catch (error) {
      if (!this.stopped) {
        this.logger.warn(
          `projection leadership connection failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      await this.release();
    }
  }

  private async connect(): Promise<Client> {
    const client = new GuardedClient(this.connection);
    // Only the session in use counts: a client given up on may still report its end later.
    client.on('error', (error) => {
      if (this.client !== client) return;
      this.logger.warn(`projection leadership connection lost: ${error.message}`);
      void this.release();
    });
    client.on('end', () => {
      if (this.client === client) void this.release();
    });
    client.on('notification', () => this.events.notified());
    // Queries still waiting on a session given up on must not hold back the new one's.
    this.lastQuery = Promise.resolve();
    try {
      await client.connect();
      await this.query(client, `LISTEN ${PROJECTIONS_CHANNEL}`);
    } catch (error) {
      await endClient(client);
      throw error;
    }
    this.client = client;
    // Anything appended while no one listened is picked up now rather than at the next poll.
    this.events.notified();
    return client;
  }

  private query<R extends QueryResultRow>(
    client: Client,
    sql: string,
    params?: unknown[],
  ): Promise<QueryResult<R>> {
    const result = this.lastQuery.then(() => client.query<R>(sql, params));
    this.lastQuery = result.catch(() => undefined);
    return result;
  }

  /**
   * Stops the runners of the projections this session led, then ends the session (which frees its locks
   * at the server). Until the runners have stopped, no campaign runs: one could win a lock back and start
   * a runner that is still stopping, which would then stay stopped.
   */
  private release(): Promise<void> {
    if (this.releasing) return this.releasing;
    const client = this.client;
    this.client = null;
    const lost = [...this.held];
    this.held.clear();
    this.releasing = (async () => {
      try {
        // Called from event handlers: it must not reject, and the session must end whatever happened.
        const stopped = await Promise.allSettled(lost.map((projection) => this.events.lost(projection)));
        for (const failure of stopped.filter((result) => result.status === 'rejected')) {
          this.logger.error(`stopping a projection runner failed: ${String(failure.reason)}`);
        }
        if (client) {
          client.removeAllListeners('notification');
          await endClient(client);
        }
      } finally {
        this.releasing = null;
      }
    })();
    return this.releasing;
  }
}
