import type { Pool, QueryConfig } from 'pg';
import type { LogPosition, RecordedEvent } from './event-store.types.js';
import { EVENT_COLUMNS, type EventRow, groupByStream } from './event-rows.js';
import { compareLogPositions } from './log-position.js';

/** Streams per query when reading every stream at first; then as many as make about {@link EVENTS_PER_READ}. */
const FIRST_STREAMS_PER_READ = 500;
const EVENTS_PER_READ = 20_000;

/** The commit-safe end of the log now, and how many events lie up to it. */
export interface LogEnd {
  readonly position: LogPosition;
  readonly events: number;
}

/**
 * The last event a log reader may safely see now (the greatest (transaction id, position) among events
 * of transactions older than every transaction still running, as `EventStore.readAll` reads), and how
 * many events lie up to it; null when there is none. The set of events up to that position can no longer
 * change: every transaction that could add to it has ended.
 */
export async function commitSafeEndOfLog(pool: Pool): Promise<LogEnd | null> {
  const { rows } = await pool.query<{ transaction_id: string; global_position: string; events: string }>({
    name: 'projections_log_end',
    text: `SELECT last.transaction_id::text AS transaction_id, last.global_position::text AS global_position,
             (SELECT count(*) FROM events e
              WHERE (e.transaction_id, e.global_position) <= (last.transaction_id, last.global_position))::text
               AS events
           FROM (SELECT transaction_id, global_position FROM events
                 WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
                 ORDER BY transaction_id DESC, global_position DESC LIMIT 1) last`,
  });
  if (rows.length === 0) return null;
  return {
    position: { transactionId: rows[0].transaction_id, globalPosition: rows[0].global_position },
    events: Number(rows[0].events),
  };
}

/**
 * Calls `onStream` with every stream whose id starts with `streamPrefix` and that has an event up to
 * `upTo` (in commit-safe order), with its events up to `upTo` in version order; a stream at a time, in
 * no particular order. Events up to a position always form a prefix of each stream (an append sees the
 * stream's earlier events committed); should a stream not fit that (events written by a transaction that
 * began before the ones it follows), it is handed out whole, as a catch-up batch would read it.
 *
 * Plans that hold whatever the table's statistics: the streams are found from their first events (one
 * sequential scan), then read a few hundred at a time by stream id; the order and the cut at `upTo` are
 * made here rather than by a sort in the server.
 */
export async function forEachStreamUpTo(
  pool: Pool,
  streamPrefix: string,
  upTo: LogPosition,
  onStream: (streamId: string, events: RecordedEvent[]) => void,
): Promise<void> {
  const { rows: heads } = await pool.query<{
    stream_id: string;
    transaction_id: string;
    global_position: string;
  }>({
    name: 'projections_stream_heads',
    text: `SELECT stream_id, transaction_id::text AS transaction_id, global_position::text AS global_position
           FROM events WHERE stream_version = 1 AND starts_with(stream_id, $1)`,
    values: [streamPrefix],
  });
  const streamIds = heads
    .filter((head) => notAfter(head.transaction_id, head.global_position, upTo))
    .map((head) => head.stream_id);
  const read = (ids: readonly string[]) =>
    pool.query({
      name: 'log_snapshot_streams',
      rowMode: 'array',
      text: `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ANY($1::text[])`,
      values: [ids],
    } as QueryConfig) as unknown as Promise<{ rows: EventRow[] }>;

  let from = 0;
  let count = Math.min(FIRST_STREAMS_PER_READ, streamIds.length);
  let next: ReturnType<typeof read> | null = count > 0 ? read(streamIds.slice(0, count)) : null;
  try {
    while (next) {
      const { rows } = await next;
      // The next read goes out before this one is handed out, sized on what this one brought.
      from += count;
      count = Math.max(1, Math.round((count * EVENTS_PER_READ) / Math.max(1, rows.length)));
      count = Math.min(count, streamIds.length - from);
      next = count > 0 ? read(streamIds.slice(from, from + count)) : null;
      for (const [streamId, events] of streamsOf(rows, upTo)) onStream(streamId, events);
    }
  } finally {
    // A read still in flight when handing out a stream failed must not end as an unhandled rejection.
    next?.catch(() => undefined);
  }
}

/** The rows grouped by stream, each cut at `upTo` and in version order (see {@link forEachStreamUpTo}). */
function streamsOf(rows: readonly EventRow[], upTo: LogPosition): Map<string, RecordedEvent[]> {
  const streams = groupByStream(rows);
  for (const [streamId, events] of streams) {
    events.sort((a, b) => a.streamVersion - b.streamVersion);
    const upToEnd = events.filter((e) => notAfter(e.position.transactionId, e.position.globalPosition, upTo));
    const isPrefix = upToEnd.every((event, index) => event.streamVersion === index + 1);
    if (isPrefix) streams.set(streamId, upToEnd);
  }
  return streams;
}

function notAfter(transactionId: string, globalPosition: string, upTo: LogPosition): boolean {
  return compareLogPositions({ transactionId, globalPosition }, upTo) <= 0;
}
