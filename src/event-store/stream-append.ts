import type { QueryConfig, QueryResult, QueryResultRow } from 'pg';
import type { AppendStatements } from './append-statements.js';
import { uuidV7 } from './uuid-v7.js';
import {
  ConcurrencyError,
  IdempotencyKeyReusedError,
  IdempotentEventsPresentError,
  type StoredIdempotency,
  StreamNotFoundError,
} from './event-store.errors.js';
import type {
  AppendResult,
  EventMetadata,
  ExpectedVersion,
  Idempotency,
  NewEvent,
  PreparedAppendOptions,
} from './event-store.types.js';

/**
 * The append path of the event store: an append's columns of the append statement (see
 * append-statements.ts), and what its result rows mean — stored, replayed, or refused and why.
 */

const UNIQUE_VIOLATION = '23505';
/** An upsert that would change one row twice: two appends of a group writing one read-model row. */
const CARDINALITY_VIOLATION = '21000';
const MAX_ANY_RETRIES = 5;

export type Query = <R extends QueryResultRow>(config: QueryConfig) => Promise<QueryResult<R>>;

/** One append, checked and turned into its columns of the append statement (see append-statements.ts). */
export interface PreparedAppend {
  readonly streamId: string;
  readonly expected: ExpectedVersion;
  readonly idempotency: Idempotency | undefined;
  readonly eventKeys: readonly string[];
  readonly projectionNames: readonly string[];
  /** A single event without its own idempotency key: the single-event statement's, and group commit's. */
  readonly single: boolean;
  /** The statement's per-append parameter values: stream, expected version, idempotency key and hash. */
  readonly appendValues: readonly unknown[];
  /** The statement's per-event columns after the append's number, in parameter order, each one value per event. */
  readonly eventColumns: readonly (readonly unknown[])[];
  /** Each inline projection's row, as JSON text. */
  readonly projectionRows: readonly string[];
}

interface StoredResult {
  streamVersion: number;
  events: { eventId: string; streamVersion: number; globalPosition: string }[];
}

export function prepareAppend(
  streamId: string,
  events: readonly NewEvent[],
  options: PreparedAppendOptions,
): PreparedAppend {
  if (events.length === 0) throw new Error('appendToStream needs at least one event');
  const expected = options.expectedVersion ?? 'any';
  const projectionNames = (options.projections ?? []).map((p) => p.projection);
  const eventKeys = events.flatMap((event) => (event.idempotency ? [event.idempotency.key] : []));
  if (new Set(eventKeys).size !== eventKeys.length || eventKeys.includes(options.idempotency?.key ?? '')) {
    throw new Error(`append to ${streamId}: an idempotency key appears twice`);
  }
  const metadata = { ...options.metadata, ...idempotencyMetadata(options.idempotency) };
  const count = events.length;
  const column = <T>(value: (event: NewEvent, index: number) => T): T[] => {
    const values = new Array<T>(count);
    for (let index = 0; index < count; index++) values[index] = value(events[index], index);
    return values;
  };
  return {
    streamId,
    expected,
    idempotency: options.idempotency,
    eventKeys,
    projectionNames,
    single: count === 1 && eventKeys.length === 0,
    appendValues: [
      streamId,
      expected === 'any' ? null : expected === 'no_stream' ? 0 : expected,
      options.idempotency?.key ?? null,
      options.idempotency?.requestHash ?? null,
    ],
    eventColumns: [
      column((_, index) => index + 1),
      column((event) => event.eventId ?? uuidV7()),
      column((event) => event.type),
      column((event) => JSON.stringify(event.data)),
      column((event) =>
        JSON.stringify(
          event.idempotency || event.metadata
            ? { ...metadata, ...event.metadata, ...idempotencyMetadata(event.idempotency) }
            : metadata,
        ),
      ),
      column((event) => (event.occurredAt === undefined ? null : new Date(event.occurredAt).toISOString())),
      column((event) => event.idempotency?.key ?? null),
      column((event) => event.idempotency?.requestHash ?? null),
    ],
    projectionRows: (options.projections ?? []).map((p) => JSON.stringify(p.row)),
  };
}

/** The per-append parameters of the statement, before the per-event ones. */
const APPEND_PARAMS = 4;

/** The statement's parameters for these appends, to distinct streams, in this order. */
function statementValues(appends: readonly PreparedAppend[]): unknown[] {
  const values: unknown[] = [];
  for (let param = 0; param < APPEND_PARAMS; param++) values.push(appends.map((a) => a.appendValues[param]));
  const appendNumbers: number[] = [];
  appends.forEach((append, index) => {
    for (let event = 0; event < append.eventColumns[0].length; event++) appendNumbers.push(index + 1);
  });
  values.push(appendNumbers);
  const width = appends[0].eventColumns.length;
  for (let param = 0; param < width; param++) {
    values.push(
      appends.length === 1 ? appends[0].eventColumns[param] : appends.flatMap((a) => a.eventColumns[param]),
    );
  }
  for (let projection = 0; projection < appends[0].projectionRows.length; projection++) {
    values.push(`[${appends.map((a) => a.projectionRows[projection]).join(',')}]`);
  }
  return values;
}

/** The single-event statement's parameters: the array form's, each array's one element (see `appendOneSql`). */
function singleEventValues(append: PreparedAppend): unknown[] {
  const [, eventId, type, data, metadata, occurredAt] = append.eventColumns;
  return [
    ...append.appendValues,
    eventId[0],
    type[0],
    data[0],
    metadata[0],
    occurredAt[0],
    ...append.projectionRows,
  ];
}

/** One row of the append statement: one event. */
interface AppendRow extends QueryResultRow {
  current_version: number;
  /** Null when the event's append inserted nothing. */
  stream_version: number | null;
  global_position: string | null;
  /** The idempotency record already stored for the event's own key (its append then inserted nothing). */
  present_key: string | null;
  present_request_hash: string | null;
  present_stream_id: string | null;
  present_result: StoredResult | null;
}

/**
 * Runs appends through the append statement and tells what each one's result rows mean: stored, an
 * idempotent replay, or the error that refused it. Listeners in `appendListeners` are called after every
 * append that stored events.
 */
export class Appender {
  constructor(
    private readonly query: Query,
    private readonly statements: AppendStatements,
    private readonly appendListeners: ReadonlySet<() => void>,
  ) {}

  /**
   * Runs one prepared append: stored, or the first result of an idempotent retry, or the error that says
   * why not. An append expecting 'any' version that loses a race for the next version is retried.
   */
  async append(append: PreparedAppend): Promise<AppendResult> {
    for (let attempt = 0; ; attempt++) {
      try {
        const rows = await this.run([append]);
        return await this.outcomeOf(append, rows);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const replay = await this.afterUniqueViolation(append, attempt < MAX_ANY_RETRIES);
        if (replay) return replay;
      }
    }
  }

  /**
   * Appends to distinct streams, all writing the same inline projections, in one statement and one commit,
   * each checked on its own: every append's outcome, in order. Throws when the statement fails (see
   * {@link isGroupConflict} for the failures an append alone might not meet).
   */
  async appendTogether(appends: readonly PreparedAppend[]): Promise<PromiseSettledResult<AppendResult>[]> {
    const rows = await this.run(appends);
    // One row per event, the appends' events one after another.
    let end = 0;
    const rowsOf = appends.map((append) => rows.slice(end, (end += append.eventColumns[0].length)));
    return Promise.allSettled(appends.map((append, index) => this.outcomeOf(append, rowsOf[index])));
  }

  async streamVersion(streamId: string): Promise<number> {
    const { rows } = await this.query<{ version: number }>({
      name: 'es_stream_version',
      text: 'SELECT coalesce(max(stream_version), 0) AS version FROM events WHERE stream_id = $1',
      values: [streamId],
    });
    return rows[0].version;
  }

  private async run(appends: readonly PreparedAppend[]): Promise<AppendRow[]> {
    const one = appends.length === 1 && appends[0].single;
    const statement = this.statements.for(appends[0].projectionNames, one ? 'one' : 'arrays');
    const values = one ? singleEventValues(appends[0]) : statementValues(appends);
    const { rows } = await this.query<AppendRow>({ ...statement, values });
    return rows;
  }

  /** What an append's rows (one per event) mean: its result, an idempotent replay, or the error that refused it. */
  private async outcomeOf(append: PreparedAppend, rows: readonly AppendRow[]): Promise<AppendResult> {
    if (rows[0].stream_version !== null) {
      for (const listener of this.appendListeners) listener();
      const eventIds = append.eventColumns[1] as readonly string[];
      return {
        streamId: append.streamId,
        streamVersion: rows[rows.length - 1].stream_version as number,
        events: rows.map((row, index) => ({
          eventId: eventIds[index],
          streamVersion: row.stream_version as number,
          globalPosition: row.global_position as string,
        })),
        replayed: false,
      };
    }
    const replay = append.idempotency && (await findIdempotentResult(this.query, append.idempotency));
    if (replay) return replay;
    // Only an event's own key can be stored already (the single-event statement returns no such column).
    const present = append.eventKeys.length === 0 ? [] : rows.filter((row) => row.present_key !== null);
    if (present.length > 0) {
      throw new IdempotentEventsPresentError(
        append.streamId,
        present.map((row) =>
          toStored({
            key: row.present_key as string,
            requestHash: row.present_request_hash as string,
            streamId: row.present_stream_id as string,
            result: row.present_result as StoredResult,
          }),
        ),
      );
    }
    const current = rows[0].current_version;
    if (typeof append.expected === 'number' && append.expected > 0 && current === 0)
      throw new StreamNotFoundError(append.streamId);
    throw new ConcurrencyError(append.streamId, append.expected, current);
  }

  /**
   * After a unique violation (a concurrent append stored one of the keys, or the next version, first): the
   * first result of an idempotent retry, or null when an append expecting 'any' version may try again;
   * otherwise it throws the error to report.
   */
  private async afterUniqueViolation(
    append: PreparedAppend,
    mayRetry: boolean,
  ): Promise<AppendResult | null> {
    const replay = append.idempotency && (await findIdempotentResult(this.query, append.idempotency));
    if (replay) return replay;
    const present = await storedIdempotency(this.query, append.eventKeys);
    if (present.length > 0) throw new IdempotentEventsPresentError(append.streamId, present);
    // 'any' promises no check, so losing a race for the next version is retried, not reported.
    if (append.expected === 'any' && mayRetry) return null;
    throw new ConcurrencyError(append.streamId, append.expected, await this.streamVersion(append.streamId));
  }
}

/** The idempotency records stored for any of these keys. */
export async function storedIdempotency(query: Query, keys: readonly string[]): Promise<StoredIdempotency[]> {
  if (keys.length === 0) return [];
  const { rows } = await query<IdempotencyRow>({
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
export async function findIdempotentResult(
  query: Query,
  idempotency: Idempotency,
): Promise<AppendResult | null> {
  const { rows } = await query<{ request_hash: string; stream_id: string; result: StoredResult }>({
    name: 'es_find_idempotency',
    text: 'SELECT request_hash, stream_id, result FROM idempotency_keys WHERE idempotency_key = $1',
    values: [idempotency.key],
  });
  if (rows.length === 0) return null;
  if (rows[0].request_hash !== idempotency.requestHash) throw new IdempotencyKeyReusedError(idempotency.key);
  return { streamId: rows[0].stream_id, ...rows[0].result, replayed: true };
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

/** A group's statement refused for what one of its appends would meet alone too, or not at all alone. */
export function isGroupConflict(error: unknown): boolean {
  return isUniqueViolation(error) || (error as { code?: string } | null)?.code === CARDINALITY_VIOLATION;
}
