import { randomUUID } from 'node:crypto';
import type { Pool, QueryConfig, QueryResult, QueryResultRow } from 'pg';
import { releaseClient } from '../database/pg-connections.js';
import {
  ConcurrencyError,
  IdempotencyKeyReusedError,
  IdempotentEventsPresentError,
  type StoredIdempotency,
  StreamNotFoundError,
} from './event-store.errors.js';
import type {
  AppendOptions,
  AppendResult,
  EventMetadata,
  Idempotency,
  InlineProjectionDefinition,
  LogPosition,
  NewEvent,
  ReadAllOptions,
  ReadAllResult,
  ReadStreamOptions,
  RecordedEvent,
  StreamKind,
} from './event-store.types.js';
import { EVENT_COLUMNS, type EventRow, toRecordedEvent } from './event-rows.js';
import { appendManySql, appendOneSql } from './append-statements.js';
import { type ExportFilter, type LogExport, prepareLogExport } from './log-export.js';
import { type LogRestoreSession, restoreIntoEmptyLog } from './log-restore.js';
import { commitSafeEndOfLog, forEachStreamUpTo, type LogEnd } from './log-snapshot.js';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const UNIQUE_VIOLATION = '23505';
const MAX_ANY_RETRIES = 5;

interface StoredResult {
  streamVersion: number;
  events: { eventId: string; streamVersion: number; globalPosition: string }[];
}

/**
 * The append-only event store on PostgreSQL (or embedded PGlite). It knows streams, versions and the
 * global log, nothing of any feature. Every append is one prepared statement: version check, insert,
 * idempotency record and inline read models in one round trip and one implicit transaction.
 */
export class EventStore {
  private readonly projections: Map<string, InlineProjectionDefinition>;
  private readonly appendStatements: Map<string, { name: string; text: string }>;
  private readonly appendListeners: Set<() => void>;
  private readonly kinds: Map<string, StreamKind>;

  constructor(
    private readonly pool: Pool,
    shared?: EventStore,
  ) {
    this.projections = shared?.projections ?? new Map();
    this.appendStatements = shared?.appendStatements ?? new Map();
    this.appendListeners = shared?.appendListeners ?? new Set();
    this.kinds = shared?.kinds ?? new Map();
  }

  /**
   * This store, querying through another pool: background readers of the log (projection runners) use
   * their own connections and time limits, not the requests'. Registrations and append listeners are
   * shared, so an append through either store wakes the listeners of both.
   */
  through(pool: Pool): EventStore {
    return pool === this.pool ? this : new EventStore(pool, this);
  }

  /** Lets a feature keep a read model inside the append transaction (see {@link InlineProjectionDefinition}). */
  registerInlineProjection(definition: InlineProjectionDefinition): void {
    for (const identifier of [definition.table, ...definition.keyColumns, ...definition.columns]) {
      if (!IDENTIFIER.test(identifier)) throw new Error(`not a plain SQL identifier: ${identifier}`);
    }
    if (!definition.keyColumns.every((key) => definition.columns.includes(key))) {
      throw new Error(`projection ${definition.name}: key columns must be among its columns`);
    }
    this.projections.set(definition.name, definition);
  }

  /** Declares a kind of stream a feature writes, so that a restore knows its events and inline rows. */
  registerStreamKind(kind: StreamKind): void {
    if (this.kinds.has(kind.streamPrefix))
      throw new Error(`stream kind ${kind.streamPrefix} registered twice`);
    this.kinds.set(kind.streamPrefix, kind);
  }

  /** Every kind of stream the features registered. */
  get streamKinds(): readonly StreamKind[] {
    return [...this.kinds.values()];
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
    if (events.length === 0) throw new Error('appendToStream needs at least one event');
    const expected = options.expectedVersion ?? 'any';
    const projectionNames = (options.projections ?? []).map((p) => p.projection);
    const eventKeys = events.flatMap((event) => (event.idempotency ? [event.idempotency.key] : []));
    if (new Set(eventKeys).size !== eventKeys.length || eventKeys.includes(options.idempotency?.key ?? '')) {
      throw new Error(`append to ${streamId}: an idempotency key appears twice`);
    }
    const single = events.length === 1 && eventKeys.length === 0;
    const statement = this.appendStatement(projectionNames, single);
    const metadata = { ...options.metadata, ...idempotencyMetadata(options.idempotency) };
    const newEvents = events.map((event) => ({
      event_id: event.eventId ?? randomUUID(),
      type: event.type,
      data: event.data,
      occurred_at: event.occurredAt === undefined ? null : new Date(event.occurredAt).toISOString(),
    }));
    const expectedParam = expected === 'any' ? null : expected === 'no_stream' ? 0 : expected;
    const idempotencyParams = [options.idempotency?.key ?? null, options.idempotency?.requestHash ?? null];
    const projectionParams = (options.projections ?? []).map((p) => JSON.stringify(p.row));
    const values: unknown[] = single
      ? [
          streamId,
          expectedParam,
          ...idempotencyParams,
          newEvents[0].event_id,
          newEvents[0].type,
          JSON.stringify(newEvents[0].data),
          JSON.stringify({ ...metadata, ...events[0].metadata }),
          newEvents[0].occurred_at,
          ...projectionParams,
        ]
      : [
          streamId,
          expectedParam,
          ...idempotencyParams,
          JSON.stringify(
            newEvents.map((event, index) => {
              const own = events[index].idempotency;
              return {
                ...event,
                ord: index + 1,
                metadata: { ...metadata, ...events[index].metadata, ...idempotencyMetadata(own) },
                idempotency_key: own?.key ?? null,
                request_hash: own?.requestHash ?? null,
              };
            }),
          ),
          ...projectionParams,
        ];

    for (let attempt = 0; ; attempt++) {
      try {
        const { rows } = await this.query<AppendRow>({ name: statement.name, text: statement.text, values });
        const { current_version: currentVersion } = rows[0];
        const result = single ? singleResult(rows[0], newEvents[0].event_id) : rows[0].result;
        if (result) {
          for (const listener of this.appendListeners) listener();
          return { streamId, ...result, replayed: false };
        }
        const replay = options.idempotency && (await this.findIdempotentResult(options.idempotency));
        if (replay) return replay;
        if (rows[0].present) throw new IdempotentEventsPresentError(streamId, rows[0].present.map(toStored));
        if (typeof expected === 'number' && expected > 0 && currentVersion === 0)
          throw new StreamNotFoundError(streamId);
        throw new ConcurrencyError(streamId, expected, currentVersion);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const replay = options.idempotency && (await this.findIdempotentResult(options.idempotency));
        if (replay) return replay;
        // A concurrent append stored one of the events' keys first (its statement committed meanwhile).
        const present = await this.storedIdempotency(eventKeys);
        if (present.length > 0) throw new IdempotentEventsPresentError(streamId, present);
        // 'any' promises no check, so losing a race for the next version is retried, not reported.
        if (expected === 'any' && attempt < MAX_ANY_RETRIES) continue;
        throw new ConcurrencyError(streamId, expected, await this.streamVersion(streamId));
      }
    }
  }

  /** The idempotency records stored for any of these keys. */
  async storedIdempotency(keys: readonly string[]): Promise<StoredIdempotency[]> {
    if (keys.length === 0) return [];
    const { rows } = await this.query<IdempotencyRow>({
      name: 'es_find_idempotency_many',
      text: `SELECT idempotency_key AS key, request_hash AS "requestHash", stream_id AS "streamId", result
             FROM idempotency_keys WHERE idempotency_key = ANY($1::text[])`,
      values: [keys],
    });
    return rows.map(toStored);
  }

  /**
   * The first result of an earlier append with this key, or null when the key is new. A key already used
   * with a different request hash is an {@link IdempotencyKeyReusedError}.
   */
  async findIdempotentResult(idempotency: {
    key: string;
    requestHash: string;
  }): Promise<AppendResult | null> {
    const { rows } = await this.query<{ request_hash: string; stream_id: string; result: StoredResult }>({
      name: 'es_find_idempotency',
      text: 'SELECT request_hash, stream_id, result FROM idempotency_keys WHERE idempotency_key = $1',
      values: [idempotency.key],
    });
    if (rows.length === 0) return null;
    if (rows[0].request_hash !== idempotency.requestHash)
      throw new IdempotencyKeyReusedError(idempotency.key);
    return { streamId: rows[0].stream_id, ...rows[0].result, replayed: true };
  }

  async streamVersion(streamId: string): Promise<number> {
    const { rows } = await this.query<{ version: number }>({
      name: 'es_stream_version',
      text: 'SELECT coalesce(max(stream_version), 0) AS version FROM events WHERE stream_id = $1',
      values: [streamId],
    });
    return rows[0].version;
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
    const streams = new Map<string, RecordedEvent[]>();
    for (const row of rows) {
      const event = toRecordedEvent(row);
      const stream = streams.get(event.streamId);
      if (stream) stream.push(event);
      else streams.set(event.streamId, [event]);
    }
    return streams;
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

  /** The last event a log reader may safely see now, and how many events lie up to it (see log-snapshot.ts). */
  commitSafeEndOfLog(): Promise<LogEnd | null> {
    return commitSafeEndOfLog(this.pool);
  }

  /** Every stream with this prefix, each with its events up to `upTo` in version order (see log-snapshot.ts). */
  forEachStreamUpTo(
    streamPrefix: string,
    upTo: LogPosition,
    onStream: (streamId: string, events: RecordedEvent[]) => void,
  ): Promise<void> {
    return forEachStreamUpTo(this.pool, streamPrefix, upTo, onStream);
  }

  /**
   * The log, or one stream of it, as the export format's bytes (see log-export-format.ts), up to the
   * commit-safe end of the log now. An unknown `afterEventId` is an {@link EventNotInLogError}.
   */
  prepareExport(filter: ExportFilter = {}): Promise<LogExport> {
    return prepareLogExport(this.pool, filter);
  }

  /**
   * Restores exported events into an empty log, in one transaction with the inline read models `work`
   * writes from them (see log-restore.ts); a log or read model that is not empty is a {@link LogNotEmptyError}.
   */
  restoreIntoEmptyLog<T>(work: (session: LogRestoreSession) => Promise<T>): Promise<T> {
    return restoreIntoEmptyLog(this.pool, this.projections, work);
  }

  /** Rows as arrays, in select-list order: no object per row (see `EVENT_COLUMNS`). */
  private async queryRows<Row extends unknown[]>(config: QueryConfig): Promise<Row[]> {
    const { rows } = await this.query({ ...config, rowMode: 'array' } as QueryConfig);
    return rows as unknown as Row[];
  }

  /**
   * `pool.query` closes a connection after any error, even a constraint violation that leaves the session
   * healthy; losing races is routine here, so only a connection the error broke is discarded.
   */
  private async query<R extends QueryResultRow>(config: QueryConfig): Promise<QueryResult<R>> {
    const client = await this.pool.connect();
    try {
      const result = await client.query<R>(config);
      client.release();
      return result;
    } catch (error) {
      releaseClient(client, error);
      throw error;
    }
  }

  private appendStatement(
    projectionNames: readonly string[],
    single: boolean,
  ): { name: string; text: string } {
    const cacheKey = `${single ? 'one' : 'many'}:${projectionNames.join(',')}`;
    let statement = this.appendStatements.get(cacheKey);
    if (!statement) {
      const definitions = projectionNames.map((name) => {
        const definition = this.projections.get(name);
        if (!definition) throw new Error(`no inline projection registered as ${name}`);
        return definition;
      });
      const text = single ? appendOneSql(definitions) : appendManySql(definitions);
      statement = { name: `es_append_${this.appendStatements.size}`, text };
      this.appendStatements.set(cacheKey, statement);
    }
    return statement;
  }
}

interface AppendRow extends QueryResultRow {
  current_version: number;
  /** The general statement's result. */
  result?: StoredResult | null;
  /** The general statement's idempotency records already stored for its events' keys (nothing inserted). */
  present?: IdempotencyRow[] | null;
  /** The single-event statement's columns: null when nothing was inserted. */
  stream_version?: number | null;
  global_position?: string | null;
}

function singleResult(row: AppendRow, eventId: string): StoredResult | null {
  if (row.stream_version === null || row.stream_version === undefined || !row.global_position) return null;
  return {
    streamVersion: row.stream_version,
    events: [{ eventId, streamVersion: row.stream_version, globalPosition: row.global_position }],
  };
}

interface IdempotencyRow extends QueryResultRow {
  key: string;
  requestHash: string;
  streamId: string;
  result: StoredResult;
}

function toStored(row: IdempotencyRow): StoredIdempotency {
  return {
    key: row.key,
    requestHash: row.requestHash,
    result: { streamId: row.streamId, ...row.result, replayed: true },
  };
}

/** The metadata that records an idempotency key with its request hash (a restore re-creates the record). */
function idempotencyMetadata(idempotency: Idempotency | undefined): EventMetadata {
  return idempotency ? { idempotencyKey: idempotency.key, requestHash: idempotency.requestHash } : {};
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === UNIQUE_VIOLATION;
}
