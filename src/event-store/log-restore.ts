import type { Pool, PoolClient, QueryConfig } from 'pg';
import { releaseClient } from '../database/pg-connections.js';
import { LogNotEmptyError } from './event-store.errors.js';
import type {
  InlineProjectionDefinition,
  LogPosition,
  RecordedEvent,
  StreamKind,
} from './event-store.types.js';
import { EVENT_COLUMNS, type EventRow, groupByStream } from './event-rows.js';

/** Rows per upsert of an inline read model. */
const ROWS_PER_UPSERT = 2000;

/**
 * One restore, inside one transaction: exported events are inserted verbatim (ids, versions, record
 * times, metadata), their idempotency records re-created, and the inline read models written from them.
 * Nothing is visible to anyone until the transaction commits, and nothing is left when it does not.
 */
export interface LogRestoreSession {
  /**
   * Inserts events in the order given; `exportedLines` is a JSON array of export lines (see
   * log-export-format.ts). Their positions follow that order, and they share the restore's transaction,
   * so the log's commit order is the file's. Returns where each event landed, in the order given.
   */
  insertExported(exportedLines: string): Promise<LogPosition[]>;
  /**
   * Once every event is inserted: re-creates the idempotency record of every event whose metadata
   * carries a key and its request hash, each answering as the append that first stored it did.
   */
  recreateIdempotencyRecords(): Promise<void>;
  /** These streams' events, each in version order. */
  readStreams(streamIds: readonly string[]): Promise<Map<string, RecordedEvent[]>>;
  /** Writes rows of an inline read model registered with the store (its upsert, as the append does). */
  writeInlineRows(projection: string, rows: readonly object[]): Promise<void>;
}

/**
 * Restores exported events into an empty log: runs `work` in a transaction on a connection of its own,
 * after locking the log against appends and checking that the log, the idempotency records and the
 * tables of the `kinds`' inline read models are empty ({@link LogNotEmptyError} otherwise), and commits;
 * any error rolls everything back.
 */
export async function restoreIntoEmptyLog<T>(
  pool: Pool,
  kinds: readonly StreamKind[],
  work: (session: LogRestoreSession) => Promise<T>,
): Promise<T> {
  const inlineProjections = new Map(
    kinds.flatMap((kind) =>
      (kind.inline ?? []).map(({ definition }) => [definition.name, definition] as const),
    ),
  );
  const inlineTables = [...inlineProjections.values()].map((projection) => projection.table);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Appends take ROW EXCLUSIVE: this waits for those in flight and holds off new ones until commit.
    await client.query('LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE');
    await refuseUnlessEmpty(client, inlineTables);
    const result = await work(session(client, inlineProjections));
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (error) {
    await client.query('ROLLBACK').then(
      () => releaseClient(client, error),
      (rollbackError: unknown) => releaseClient(client, rollbackError),
    );
    throw error;
  }
}

async function refuseUnlessEmpty(client: PoolClient, inlineTables: readonly string[]): Promise<void> {
  const tables = ['events', 'idempotency_keys', ...inlineTables];
  const { rows } = await client.query<Record<string, string>>(
    `SELECT ${tables.map((table) => `(SELECT count(*) FROM ${table})::text AS ${table}`).join(', ')}`,
  );
  const counts = Object.fromEntries(tables.map((table) => [table, Number(rows[0][table])]));
  if (Object.values(counts).some((count) => count > 0)) throw new LogNotEmptyError(counts);
}

function session(
  client: PoolClient,
  inlineProjections: ReadonlyMap<string, InlineProjectionDefinition>,
): LogRestoreSession {
  let transactionId: string | undefined;
  return {
    insertExported: async (exportedLines) => {
      // RETURNING gives the rows in the order they were inserted, the order their positions were drawn in.
      const { rows } = (await client.query({
        name: 'es_restore_insert',
        rowMode: 'array',
        text: `INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata, occurred_at, recorded_at)
               SELECT e."eventId", e."streamId", e.version, e.type, e.data, e.metadata, e."occurredAt", e."recordedAt"
               FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS line(value, ord)
               CROSS JOIN LATERAL jsonb_to_record(line.value) AS e(
                 "eventId" uuid, "streamId" text, version int, type text, data jsonb, metadata jsonb,
                 "occurredAt" timestamptz, "recordedAt" timestamptz)
               ORDER BY line.ord
               RETURNING global_position::text`,
        values: [exportedLines],
      } as QueryConfig)) as unknown as { rows: [globalPosition: string][] };
      const transaction = (transactionId ??= (
        await client.query<{ id: string }>('SELECT pg_current_xact_id()::text AS id')
      ).rows[0].id);
      return rows.map(([globalPosition]) => ({ transactionId: transaction, globalPosition }));
    },
    recreateIdempotencyRecords: () => recreateIdempotencyRecords(client),
    readStreams: async (streamIds) => {
      const { rows } = (await client.query({
        name: 'es_restore_read_streams',
        rowMode: 'array',
        text: `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, stream_version`,
        values: [streamIds],
      } as QueryConfig)) as unknown as { rows: EventRow[] };
      return groupByStream(rows);
    },
    writeInlineRows: async (name, rows) => {
      const projection = inlineProjections.get(name);
      if (!projection) throw new Error(`no inline projection registered as ${name}`);
      const { table, keyColumns } = projection;
      const columns = [...projection.columns, ...(projection.restoredColumns ?? [])];
      const updated = columns.filter((column) => !keyColumns.includes(column));
      for (let start = 0; start < rows.length; start += ROWS_PER_UPSERT) {
        await client.query(
          `INSERT INTO ${table} (${columns.join(', ')})
           SELECT ${columns.join(', ')} FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb)
           ON CONFLICT (${keyColumns.join(', ')}) DO UPDATE
           SET (${updated.join(', ')}) = ROW(${updated.map((column) => `EXCLUDED.${column}`).join(', ')})`,
          [JSON.stringify(rows.slice(start, start + ROWS_PER_UPSERT))],
        );
      }
    },
  };
}

/**
 * Each key's record, its events in version order. One statement over the restored log costs less than writing each batch's records as it goes (parsing them as JSON and inserting row by row). A
 * window over each key's events in version order makes them in one sort, where an ordered aggregate per
 * group would sort each group again.
 */
async function recreateIdempotencyRecords(client: PoolClient): Promise<void> {
  await client.query(`
    INSERT INTO idempotency_keys (idempotency_key, request_hash, stream_id, result, created_at)
    SELECT DISTINCT ON (key) key, min(request_hash) OVER own, min(stream_id) OVER own,
           jsonb_build_object(
             'streamVersion', max(stream_version) OVER own,
             'events', jsonb_agg(jsonb_build_object(
               'eventId', event_id, 'streamVersion', stream_version, 'globalPosition', global_position::text)) OVER own),
           min(recorded_at) OVER own
    FROM (SELECT metadata->>'idempotencyKey' AS key, metadata->>'requestHash' AS request_hash,
                 stream_id, stream_version, event_id, global_position, recorded_at
          FROM events
          WHERE metadata ? 'idempotencyKey' AND metadata ? 'requestHash') AS keyed
    WINDOW own AS (PARTITION BY key ORDER BY stream_version ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
    ORDER BY key, stream_version`);
}
