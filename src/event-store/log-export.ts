import type { Pool, QueryConfig } from 'pg';
import { EventNotInLogError } from './event-store.errors.js';
import type { LogPosition } from './event-store.types.js';
import { type ExportColumns, ExportDigest, exportLine, trailerLine } from './log-export-format.js';
import { START_OF_LOG } from './log-position.js';
import { commitSafeEndOfLog } from './log-snapshot.js';

/** Events per read: one page is one short query, so an export holds no transaction open however slow its reader. */
const PAGE = 5000;
/** How long an export waits for the transactions running when it was asked for to end. */
const SETTLE_TIMEOUT_MS = 10_000;
const SETTLE_POLL_MS = 20;
const ISO_UTC_MICROSECONDS = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

export interface ExportFilter {
  /** Only this stream's events. */
  readonly streamId?: string;
  /** Only events after this one in commit-safe order. */
  readonly afterEventId?: string;
}

export interface LogExport {
  /** How many events the export holds (a count over the log: only for a progress bar). */
  count(): Promise<number>;
  /** The export's bytes: every event line, then the trailer. A page is read only when the last one was taken. */
  chunks(): AsyncGenerator<Buffer>;
}

/** The event's columns, then its log position (the next page's key). */
type ExportRow = readonly [...ExportColumns, transactionId: string, globalPosition: string];

/**
 * Prepares an export of the log up to its commit-safe end now (events committed later are not in it):
 * the end and the starting event are fixed here, so an unknown `afterEventId` fails before any byte is
 * sent. The pages are read by keyset on `(transaction_id, global_position)`, the log's own order.
 */
export async function prepareLogExport(pool: Pool, filter: ExportFilter): Promise<LogExport> {
  const after =
    filter.afterEventId === undefined ? START_OF_LOG : await positionOf(pool, filter.afterEventId);
  await transactionsRunningNowEnded(pool);
  const end = (await commitSafeEndOfLog(pool))?.position ?? null;
  const streamId = filter.streamId ?? null;
  return {
    count: async () => {
      if (end === null) return 0;
      const { rows } = await pool.query<{ count: string }>(
        `SELECT count(*)::text AS count FROM events
         WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
           AND (transaction_id, global_position) <= ($3::xid8, $4::bigint)
           AND ($5::text IS NULL OR stream_id = $5)`,
        [after.transactionId, after.globalPosition, end.transactionId, end.globalPosition, streamId],
      );
      return Number(rows[0].count);
    },
    chunks: async function* () {
      const digest = new ExportDigest();
      let from = after;
      while (end !== null) {
        const rows = await readPage(pool, from, end, streamId);
        if (rows.length === 0) break;
        let text = '';
        for (const row of rows) text += exportLine(row);
        const bytes = Buffer.from(text);
        digest.add(bytes, rows.length);
        yield bytes;
        const last = rows[rows.length - 1];
        from = { transactionId: last[9], globalPosition: last[10] };
        if (rows.length < PAGE) break;
      }
      yield Buffer.from(
        trailerLine({
          stream: streamId,
          after: filter.afterEventId ?? null,
          events: digest.events,
          sha256: digest.hex(),
        }),
      );
    },
  };
}

/**
 * Waits until every transaction that was running when it was called has ended (up to
 * {@link SETTLE_TIMEOUT_MS}), so that the commit-safe end of the log then covers every event committed
 * before the export was asked for, even while other sessions of the server keep starting transactions
 * (xids are cluster-wide). After the timeout, the export holds what is settled by then: its trailer
 * says how many events.
 */
async function transactionsRunningNowEnded(pool: Pool): Promise<void> {
  const { rows } = await pool.query<{ xmax: string }>(
    'SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xmax',
  );
  for (const deadline = Date.now() + SETTLE_TIMEOUT_MS; Date.now() < deadline;) {
    const { rows: settled } = await pool.query<{ ended: boolean }>(
      'SELECT pg_snapshot_xmin(pg_current_snapshot()) >= $1::xid8 AS ended',
      [rows[0].xmax],
    );
    if (settled[0].ended) return;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
  }
}

async function positionOf(pool: Pool, eventId: string): Promise<LogPosition> {
  const { rows } = await pool.query<{ transaction_id: string; global_position: string }>(
    `SELECT transaction_id::text AS transaction_id, global_position::text AS global_position
     FROM events WHERE event_id = $1::uuid`,
    [eventId],
  );
  if (rows.length === 0) throw new EventNotInLogError(eventId);
  return { transactionId: rows[0].transaction_id, globalPosition: rows[0].global_position };
}

function readPage(
  pool: Pool,
  after: LogPosition,
  end: LogPosition,
  streamId: string | null,
): Promise<ExportRow[]> {
  const config = {
    name: streamId === null ? 'es_export_page' : 'es_export_stream_page',
    rowMode: 'array',
    text: `SELECT event_id::text, stream_id, stream_version, type,
             to_char(occurred_at AT TIME ZONE 'UTC', ${ISO_UTC_MICROSECONDS}),
             to_char(recorded_at AT TIME ZONE 'UTC', ${ISO_UTC_MICROSECONDS}),
             metadata->>'recordedBy', metadata::text, data::text, transaction_id::text, global_position::text
           FROM events e
           WHERE (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)
             AND (e.transaction_id, e.global_position) <= ($3::xid8, $4::bigint)
             ${streamId === null ? '' : 'AND e.stream_id = $6'}
           -- Qualified: a bare name would bind to the select list's text of the column.
           ORDER BY e.transaction_id, e.global_position
           LIMIT $5`,
    values: [
      after.transactionId,
      after.globalPosition,
      end.transactionId,
      end.globalPosition,
      PAGE,
      ...(streamId === null ? [] : [streamId]),
    ],
  } as QueryConfig;
  return pool.query(config).then((result) => result.rows as unknown as ExportRow[]);
}
