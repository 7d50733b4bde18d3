import type { QueryConfig, QueryResult, QueryResultRow } from 'pg';
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
 * The append path of the event store: the parameters of one append's prepared statement (see
 * append-statements.ts), and what its result row means — stored, replayed, or refused and why.
 */

const UNIQUE_VIOLATION = '23505';
/** An upsert that would change one row twice: two appends of a group writing one read-model row. */
const CARDINALITY_VIOLATION = '21000';
const MAX_ANY_RETRIES = 5;

type Query = <R extends QueryResultRow>(config: QueryConfig) => Promise<QueryResult<R>>;

/** The statement of one single-event append, of one append of several events, or of a group (group-commit.ts). */
export type AppendStatementKind = 'one' | 'many' | 'group';

/** What an append needs of the store that runs it. */
export interface AppendContext {
  readonly query: Query;
  /** The prepared statement for appends writing these inline projections: one event, several, or a group. */
  statement(projectionNames: readonly string[], kind: AppendStatementKind): { name: string; text: string };
  streamVersion(streamId: string): Promise<number>;
  /** Called after an append stored events. */
  appended(): void;
}

/** One append, checked and turned into its statement's parameters. */
export interface PreparedAppend {
  readonly streamId: string;
  readonly expected: ExpectedVersion;
  readonly idempotency: Idempotency | undefined;
  readonly eventKeys: readonly string[];
  readonly projectionNames: readonly string[];
  /** A single event without its own idempotency key: the typed single-event statement. */
  readonly single: boolean;
  /** The single event's id (the first event's for the general statement). */
  readonly eventId: string;
  readonly values: readonly unknown[];
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
  const single = events.length === 1 && eventKeys.length === 0;
  const metadata = { ...options.metadata, ...idempotencyMetadata(options.idempotency) };
  const newEvents = events.map((event) => ({
    event_id: event.eventId ?? uuidV7(),
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
  return {
    streamId,
    expected,
    idempotency: options.idempotency,
    eventKeys,
    projectionNames,
    single,
    eventId: newEvents[0].event_id,
    values,
  };
}

/**
 * Runs one prepared append: stored, or the first result of an idempotent retry, or the error that says why
 * not. An append expecting 'any' version that loses a race for the next version is retried.
 */
export async function executeAppend(context: AppendContext, append: PreparedAppend): Promise<AppendResult> {
  const statement = context.statement(append.projectionNames, append.single ? 'one' : 'many');
  for (let attempt = 0; ; attempt++) {
    try {
      const { rows } = await context.query<AppendRow>({ ...statement, values: [...append.values] });
      return await outcomeOf(context, append, rows[0]);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const replay = await afterUniqueViolation(context, append, attempt < MAX_ANY_RETRIES);
      if (replay) return replay;
    }
  }
}

/** What an append's result row means: its result, an idempotent replay, or the error that refused it. */
export async function outcomeOf(
  context: AppendContext,
  append: PreparedAppend,
  row: AppendRow,
): Promise<AppendResult> {
  const result = append.single ? singleResult(row, append.eventId) : row.result;
  if (result) {
    context.appended();
    return { streamId: append.streamId, ...result, replayed: false };
  }
  const replay = append.idempotency && (await findIdempotentResult(context.query, append.idempotency));
  if (replay) return replay;
  if (row.present) throw new IdempotentEventsPresentError(append.streamId, row.present.map(toStored));
  if (typeof append.expected === 'number' && append.expected > 0 && row.current_version === 0)
    throw new StreamNotFoundError(append.streamId);
  throw new ConcurrencyError(append.streamId, append.expected, row.current_version);
}

/**
 * After a unique violation (a concurrent append stored one of the keys, or the next version, first): the
 * first result of an idempotent retry, or null when an append expecting 'any' version may try again;
 * otherwise it throws the error to report.
 */
async function afterUniqueViolation(
  context: AppendContext,
  append: PreparedAppend,
  mayRetry: boolean,
): Promise<AppendResult | null> {
  const replay = append.idempotency && (await findIdempotentResult(context.query, append.idempotency));
  if (replay) return replay;
  const present = await storedIdempotency(context.query, append.eventKeys);
  if (present.length > 0) throw new IdempotentEventsPresentError(append.streamId, present);
  // 'any' promises no check, so losing a race for the next version is retried, not reported.
  if (append.expected === 'any' && mayRetry) return null;
  throw new ConcurrencyError(append.streamId, append.expected, await context.streamVersion(append.streamId));
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

export interface AppendRow extends QueryResultRow {
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

/** A group's statement refused for what one of its appends would meet alone too, or not at all alone. */
export function isGroupConflict(error: unknown): boolean {
  return isUniqueViolation(error) || (error as { code?: string } | null)?.code === CARDINALITY_VIOLATION;
}
