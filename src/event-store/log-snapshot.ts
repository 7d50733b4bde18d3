import type { Pool } from 'pg';
import type { LogPosition } from './event-store.types.js';

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
