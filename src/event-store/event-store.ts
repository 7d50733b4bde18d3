import { randomUUID } from 'node:crypto';
import type { Pool, QueryConfig, QueryResult, QueryResultRow } from 'pg';
import { releaseClient } from '../database/pg-connections.js';
import { ConcurrencyError, IdempotencyKeyReusedError, StreamNotFoundError } from './event-store.errors.js';
import type {
  AppendOptions,
  AppendResult,
  InlineProjectionDefinition,
  LogPosition,
  NewEvent,
  ReadAllOptions,
  ReadAllResult,
  ReadStreamOptions,
  RecordedEvent,
} from './event-store.types.js';
import { EVENT_COLUMNS, type EventRow, toRecordedEvent } from './event-rows.js';
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

  constructor(
    private readonly pool: Pool,
    shared?: EventStore,
  ) {
    this.projections = shared?.projections ?? new Map();
    this.appendStatements = shared?.appendStatements ?? new Map();
    this.appendListeners = shared?.appendListeners ?? new Set();
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
    const single = events.length === 1;
    const statement = this.appendStatement(projectionNames, single);
    const metadata = {
      ...options.metadata,
      ...(options.idempotency ? { idempotencyKey: options.idempotency.key } : {}),
    };
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
          JSON.stringify(metadata),
          newEvents[0].occurred_at,
          ...projectionParams,
        ]
      : [
          streamId,
          expectedParam,
          ...idempotencyParams,
          JSON.stringify(newEvents.map((event, index) => ({ ...event, ord: index + 1, metadata }))),
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
        if (typeof expected === 'number' && expected > 0 && currentVersion === 0)
          throw new StreamNotFoundError(streamId);
        throw new ConcurrencyError(streamId, expected, currentVersion);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const replay = options.idempotency && (await this.findIdempotentResult(options.idempotency));
        if (replay) return replay;
        // 'any' promises no check, so losing a race for the next version is retried, not reported.
        if (expected === 'any' && attempt < MAX_ANY_RETRIES) continue;
        throw new ConcurrencyError(streamId, expected, await this.streamVersion(streamId));
      }
    }
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
   * are read, so an event whose transaction began early and committed late is never passed over.
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
      const text = single ? this.appendOneSql(projectionNames) : this.appendManySql(projectionNames);
      statement = { name: `es_append_${this.appendStatements.size}`, text };
      this.appendStatements.set(cacheKey, statement);
    }
    return statement;
  }

  /**
   * Every API write appends one event: typed parameters and plain result columns spare the server the
   * JSON unpacking and packing of the general statement (measured: about a quarter more appends/s).
   * Parameters: $1 stream, $2 expected version (null = any), $3/$4 idempotency key and request hash,
   * $5 event id, $6 type, $7 data, $8 metadata, $9 occurred at, $10… inline projection rows.
   */
  private appendOneSql(projectionNames: readonly string[]): string {
    // The version check filters the row before the INSERT, so a refused append draws no position.
    return `
      WITH current_version AS (
        SELECT coalesce(max(stream_version), 0) AS version FROM events WHERE stream_id = $1
      ), inserted AS (
        INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata, occurred_at)
        SELECT $5::uuid, $1, version + 1, $6, $7::jsonb, $8::jsonb, coalesce($9::timestamptz, now())
        FROM current_version WHERE $2::int IS NULL OR version = $2::int
        RETURNING stream_version, global_position
      ), idempotency AS (
        INSERT INTO idempotency_keys (idempotency_key, request_hash, stream_id, result)
        SELECT $3, $4, $1, jsonb_build_object(
          'streamVersion', stream_version,
          'events', jsonb_build_array(jsonb_build_object(
            'eventId', $5::uuid, 'streamVersion', stream_version, 'globalPosition', global_position::text)))
        FROM inserted WHERE $3::text IS NOT NULL
        RETURNING 1
      )${this.projectionCtes(projectionNames, 10)}
      SELECT c.version AS current_version, i.stream_version, i.global_position::text AS global_position
      FROM current_version c LEFT JOIN inserted i ON true`;
  }

  /** Parameters: $1 stream, $2 expected version, $3/$4 idempotency, $5 the events as JSON, $6… projection rows. */
  private appendManySql(projectionNames: readonly string[]): string {
    return `
      WITH input AS (
        SELECT * FROM jsonb_to_recordset($5::jsonb)
          AS e(ord int, event_id uuid, type text, data jsonb, metadata jsonb, occurred_at timestamptz)
      ), current_version AS (
        SELECT coalesce(max(stream_version), 0) AS version FROM events WHERE stream_id = $1
      ), accepted AS (
        SELECT version FROM current_version WHERE $2::int IS NULL OR version = $2::int
      ), inserted AS (
        INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata, occurred_at)
        SELECT i.event_id, $1, a.version + i.ord, i.type, i.data, i.metadata, coalesce(i.occurred_at, now())
        FROM input i CROSS JOIN accepted a
        ORDER BY i.ord
        RETURNING event_id, stream_version, global_position
      ), result AS (
        SELECT jsonb_build_object(
          'streamVersion', max(stream_version),
          'events', jsonb_agg(jsonb_build_object(
            'eventId', event_id, 'streamVersion', stream_version, 'globalPosition', global_position::text)
            ORDER BY stream_version)) AS result
        FROM inserted HAVING count(*) > 0
      ), idempotency AS (
        INSERT INTO idempotency_keys (idempotency_key, request_hash, stream_id, result)
        SELECT $3, $4, $1, result FROM result WHERE $3::text IS NOT NULL
        RETURNING 1
      )${this.projectionCtes(projectionNames, 6)}
      SELECT (SELECT version FROM current_version) AS current_version, (SELECT result FROM result) AS result`;
  }

  /** One upsert per inline projection, each taking its row from parameter `firstParam + index`. */
  private projectionCtes(projectionNames: readonly string[], firstParam: number): string {
    return projectionNames
      .map((name, index) => {
        const definition = this.projections.get(name);
        if (!definition) throw new Error(`no inline projection registered as ${name}`);
        const columns = definition.columns.join(', ');
        const updated = definition.columns.filter((c) => !definition.keyColumns.includes(c));
        return `, projection_${index} AS (
        INSERT INTO ${definition.table} (${columns})
        SELECT ${columns} FROM jsonb_populate_record(NULL::${definition.table}, $${firstParam + index}::jsonb)
        WHERE EXISTS (SELECT 1 FROM inserted)
        ON CONFLICT (${definition.keyColumns.join(', ')}) DO UPDATE
        SET (${updated.join(', ')}) = ROW(${updated.map((c) => `EXCLUDED.${c}`).join(', ')})
        RETURNING 1)`;
      })
      .join('');
  }
}

interface AppendRow extends QueryResultRow {
  current_version: number;
  /** The general statement's result. */
  result?: StoredResult | null;
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

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === UNIQUE_VIOLATION;
}
