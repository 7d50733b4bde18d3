import type { Pool, QueryConfig, QueryResult, QueryResultRow } from 'pg';
import { releaseClient } from '../database/pg-connections.js';
import { type StoredIdempotency, StreamNotFoundError } from './event-store.errors.js';
import type {
  AppendOptions,
  AppendResult,
  Idempotency,
  NewEvent,
  ReadAllOptions,
  ReadAllResult,
  ReadStreamOptions,
  RecordedEvent,
  StreamKind,
} from './event-store.types.js';
import { EVENT_COLUMNS, type EventRow, groupByStream, toRecordedEvent } from './event-rows.js';
import { AppendStatements } from './append-statements.js';
import { GroupCommit } from './group-commit.js';
import { StreamKinds } from './stream-kinds.js';
import { Appender, findIdempotentResult, prepareAppend, storedIdempotency } from './stream-append.js';

export interface EventStoreOptions {
  readonly groupCommit?: boolean;
}

/**
 * The append-only event store on PostgreSQL (or embedded PGlite). It knows streams, versions and the
 * global log, nothing of any feature. Every append is one prepared statement: version check, insert,
 * idempotency record and inline read models in one round trip and one implicit transaction. The inline
 * rows come from the stream kinds the features register (see {@link registerStreamKind}), never from the
 * writer. Export, restore and the log's commit-safe end are functions of their own (log-export.ts,
 * log-restore.ts, log-snapshot.ts).
 */
export class EventStore {
  private readonly appendStatements: AppendStatements;
  private readonly appendListeners: Set<() => void>;
  private readonly kinds: StreamKinds;
  private readonly appender: Appender;
  private readonly queryFn = <R extends QueryResultRow>(config: QueryConfig) => this.query<R>(config);

  private readonly groupCommit: GroupCommit | null;

  /**
   * `options.groupCommit` sends concurrent single-event appends together (see
   * group-commit.ts; config `EVENT_STORE_GROUP_COMMIT`).
   */
  constructor(
    private readonly pool: Pool,
    private readonly options: EventStoreOptions = {},
    shared?: EventStore,
  ) {
    this.kinds = shared?.kinds ?? new StreamKinds();
    this.appendStatements = shared?.appendStatements ?? new AppendStatements(this.kinds.inlineProjections);
    this.appendListeners = shared?.appendListeners ?? new Set();
    this.appender = new Appender(this.queryFn, this.appendStatements, this.appendListeners);
    this.groupCommit = options.groupCommit ? new GroupCommit(this.appender) : null;
  }

  /**
   * This store, querying through another pool: background readers of the log (projection runners) use
   * their own connections and time limits, not the requests'. Registrations and append listeners are
   * shared, so an append through either store wakes the listeners of both.
   */
  through(pool: Pool): EventStore {
    return pool === this.pool ? this : new EventStore(pool, this.options, this);
  }

  /**
   * Declares a kind of stream a feature writes, once: its prefix, event types and fold, and the read
   * models kept in the append transaction. Every append to a stream of the kind writes their rows,
   * derived from the state the writer passes; a restore derives them from the fold.
   */
  registerStreamKind<State>(kind: StreamKind<State>): void {
    this.kinds.register(kind);
  }

  /** Every kind of stream the features registered. */
  get streamKinds(): readonly StreamKind[] {
    return this.kinds.all;
  }

  /**
   * Calls `listener` after every append that stored events (not after an idempotent replay), so that
   * catch-up projectors in this process wake at once instead of waiting for their next poll.
   * Returns the function that unsubscribes it.
   */
  onAppended(listener: () => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    const { state, ...rest } = options;
    const projections = this.kinds.rowsOfAppend(streamId, state);
    const append = prepareAppend(streamId, events, { ...rest, projections });
    // Group commit takes single-event appends (one event, no idempotency key of its own).
    if (this.groupCommit && append.single) return this.groupCommit.append(append);
    return this.appender.append(append);
  }

  /** The idempotency records stored for any of these keys. */
  storedIdempotency(keys: readonly string[]): Promise<StoredIdempotency[]> {
    return storedIdempotency(this.queryFn, keys);
  }

  /**
   * The first result of an earlier append with this key, or null when the key is new. A key already used
   * with a different request hash is an {@link IdempotencyKeyReusedError}.
   */
  findIdempotentResult(idempotency: Idempotency): Promise<AppendResult | null> {
    return findIdempotentResult(this.queryFn, idempotency);
  }

  streamVersion(streamId: string): Promise<number> {
    return this.appender.streamVersion(streamId);
  }

  /** A stream's events in version order; an empty array when the stream does not exist. */
  async readStream<E extends RecordedEvent = RecordedEvent>(
    streamId: string,
    options: ReadStreamOptions = {},
  ): Promise<E[]> {
    const rows = await this.queryRows<EventRow>({
      name: 'es_read_stream',
      text: `SELECT ${EVENT_COLUMNS} FROM events
             WHERE stream_id = $1 AND stream_version BETWEEN $2 AND $3 ORDER BY stream_version`,
      values: [streamId, options.fromVersion ?? 1, options.toVersion ?? 2147483647],
    });
    return rows.map(toRecordedEvent) as E[];
  }

  /** Several streams' events at once, each in version order; streams that do not exist are left out. */
  async readStreams(streamIds: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    const rows = await this.queryRows<EventRow>({
      name: 'es_read_streams',
      text: `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, stream_version`,
      values: [streamIds],
    });
    return groupByStream(rows);
  }

  /** Like {@link readStream}, but a missing stream is a {@link StreamNotFoundError}. */
  async readExistingStream<E extends RecordedEvent = RecordedEvent>(
    streamId: string,
    options: ReadStreamOptions = {},
  ): Promise<E[]> {
    const events = await this.readStream<E>(streamId, options);
    if (events.length === 0 && (await this.streamVersion(streamId)) === 0)
      throw new StreamNotFoundError(streamId);
    return events;
  }

  /**
   * The global log in commit-safe order. Only transactions older than every transaction still running
   * are read, so an event whose transaction began early and committed late is never passed over. The
   * ORDER BY names the table's columns: a bare `transaction_id` binds to the select list's
   * `transaction_id::text` (an output column takes its column's name), which sorted position 10 before 2.
   */
  async readAll(options: ReadAllOptions = {}): Promise<ReadAllResult> {
    const after = options.after ?? null;
    const rows = await this.queryRows<EventRow>({
      name: 'es_read_all',
      text: `SELECT ${EVENT_COLUMNS} FROM events
             WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
               AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
             -- Qualified: the select list's text renderings are named transaction_id and global_position too.
             ORDER BY events.transaction_id, events.global_position
             LIMIT $3`,
      values: [after?.transactionId ?? '0', after?.globalPosition ?? '0', options.limit ?? 1000],
    });
    const events = rows.map(toRecordedEvent);
    return { events, checkpoint: events.length > 0 ? events[events.length - 1].position : after };
  }

  /** The id of every stream whose id starts with `prefix`, in no particular order. */
  async streamIdsStartingWith(prefix: string): Promise<string[]> {
    const { rows } = await this.query<{ stream_id: string }>({
      name: 'es_stream_ids',
      text: 'SELECT stream_id FROM events WHERE stream_version = 1 AND starts_with(stream_id, $1)',
      values: [prefix],
    });
    return rows.map((row) => row.stream_id);
  }

  /** Rows as arrays, in select-list order: no object per row (see `EVENT_COLUMNS`). */
  private async queryRows<Row extends unknown[]>(config: QueryConfig): Promise<Row[]> {
    const { rows } = await this.query({ ...config, rowMode: 'array' } as QueryConfig);
    return rows as unknown as Row[];
  }

  /**
   * `pool.query` closes a connection after any error, even a constraint violation that leaves the session
   * healthy; losing races is routine here, so only a connection the error broke is discarded. The query
   * takes a callback: pg's promise form allocates enough per query that a long stream read spends
   * markedly more client CPU in garbage collection (figures in bench/README.md).
   */
  private async query<R extends QueryResultRow>(config: QueryConfig): Promise<QueryResult<R>> {
    const client = await this.pool.connect();
    return new Promise((resolve, reject) => {
      const failed = (error: unknown) => {
        releaseClient(client, error);
        reject(error as Error);
      };
      try {
        client.query<R>(config, (error: Error | undefined, result: QueryResult<R>) => {
          if (error) return failed(error);
          client.release();
          resolve(result);
        });
      } catch (error) {
        failed(error);
      }
    });
  }
}
