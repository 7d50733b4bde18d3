import type { Pool, PoolClient, QueryConfig } from 'pg';
import { releaseClient } from '../database/pg-connections.js';
import { LogNotEmptyError } from './event-store.errors.js';
import type { InlineProjectionDefinition, RecordedEvent } from './event-store.types.js';
import { EVENT_COLUMNS, type EventRow, groupByStream } from './event-rows.js';

/** Rows per upsert of an inline read model. */
const ROWS_PER_UPSERT = 2000;

/**
 * One restore, inside one transaction: exported events are inserted verbatim (ids, versions, record
 * times, metadata), read back, and the inline read models written from them. Nothing is visible to
 * anyone until the transaction commits, and nothing is left when it does not.
 */
export interface LogRestoreSession {
  /**
   * Inserts events in the order given; `exportedLines` is a JSON array of export lines (see
   * log-export-format.ts). Their positions follow that order, and they share the restore's transaction,
   * so the log's commit order is the file's.
   */
  insertExported(exportedLines: string): Promise<void>;
  /** The id of every stream whose id starts with `prefix`. */
  streamIdsStartingWith(prefix: string): Promise<string[]>;
  /** These streams' events, each in version order. */
  readStreams(streamIds: readonly string[]): Promise<Map<string, RecordedEvent[]>>;
  /** Writes rows of an inline read model registered with the store (its upsert, as the append does). */
  writeInlineRows(projection: string, rows: readonly object[]): Promise<void>;
}

/**
 * Runs `work` in a transaction on a connection of its own, after locking the log against appends and
 * checking that the log, the idempotency records and `inlineTables` are empty ({@link LogNotEmptyError}
 * otherwise). Then re-creates the idempotency record of every event whose metadata carries a key and
 * its request hash, and commits; any error rolls everything back.
 */
export async function restoreIntoEmptyLog<T>(
  pool: Pool,
  inlineProjections: ReadonlyMap<string, InlineProjectionDefinition>,
  work: (session: LogRestoreSession) => Promise<T>,
): Promise<T> {
  const inlineTables = [...inlineProjections.values()].map((projection) => projection.table);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Appends take ROW EXCLUSIVE: this waits for those in flight and holds off new ones until commit.
    await client.query('LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE');
    await refuseUnlessEmpty(client, inlineTables);
    const result = await work(session(client, inlineProjections));
    await recreateIdempotencyRecords(client);
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
  return {
    insertExported: async (exportedLines) => {
      await client.query({
        name: 'es_restore_insert',
        text: `INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata, occurred_at, recorded_at)
               SELECT e."eventId", e."streamId", e.version, e.type, e.data, e.metadata, e."occurredAt", e."recordedAt"
               FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS line(value, ord)
               CROSS JOIN LATERAL jsonb_to_record(line.value) AS e(
                 "eventId" uuid, "streamId" text, version int, type text, data jsonb, metadata jsonb,
                 "occurredAt" timestamptz, "recordedAt" timestamptz)
               ORDER BY line.ord`,
        values: [exportedLines],
      });
    },
    streamIdsStartingWith: async (prefix) => {
      const { rows } = await client.query<{ stream_id: string }>(
        'SELECT stream_id FROM events WHERE stream_version = 1 AND starts_with(stream_id, $1)',
        [prefix],
      );
      return rows.map((row) => row.stream_id);
    },
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

/** Each key's record answers as the append that first stored it did: its events, in version order. */
async function recreateIdempotencyRecords(client: PoolClient): Promise<void> {
  await client.query(`
    INSERT INTO idempotency_keys (idempotency_key, request_hash, stream_id, result, created_at)
    SELECT metadata->>'idempotencyKey', min(metadata->>'requestHash'), min(stream_id),
           jsonb_build_object(
             'streamVersion', max(stream_version),
             'events', jsonb_agg(jsonb_build_object(
               'eventId', event_id, 'streamVersion', stream_version, 'globalPosition', global_position::text)
               ORDER BY stream_version)),
           min(recorded_at)
    FROM events
    WHERE metadata ? 'idempotencyKey' AND metadata ? 'requestHash'
    GROUP BY metadata->>'idempotencyKey'`);
}
