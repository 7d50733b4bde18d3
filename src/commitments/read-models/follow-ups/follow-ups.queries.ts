import type { Pool } from 'pg';
import type { IsoDate } from '../../domain/commitment.events.js';
import type { CommitmentStatus, FollowUpReason } from '../../domain/status-rules.js';

export interface FollowUpItem {
  readonly commitmentId: string;
  readonly title: string;
  readonly status: CommitmentStatus;
  readonly reason: FollowUpReason;
  readonly date: IsoDate;
  readonly note?: string;
}

interface FollowUpRow {
  commitment_id: string;
  title: string;
  status: CommitmentStatus;
  reason: FollowUpReason;
  date: IsoDate;
  note: string | null;
}

/**
 * Reads of `follow_up_items`. Whether an item is due on `today`, and why, was written by the domain's
 * rules as a timeline (see `dueFollowUpOn`, `reviewPendingOn`); the query only picks today's value.
 */
export class FollowUpsQueries {
  constructor(private readonly pool: Pool) {}

  /** Overdue commitments, coming deadlines and pending reviews dated before `before`, earliest first. */
  async followUps(today: IsoDate, before: IsoDate): Promise<FollowUpItem[]> {
    const { rows } = await this.pool.query<FollowUpRow>({
      name: 'follow_ups_before',
      text: `SELECT commitment_id, title, to_char(day, 'YYYY-MM-DD') AS date, note, status, reason FROM (
               SELECT commitment_id, title, date AS day, note, kind,
                 timeline_value(status_since, statuses, $1::date) AS status,
                 timeline_value(reason_since, reasons, $1::date) AS reason
               FROM follow_up_items WHERE date < $2::date) i
             WHERE reason IS NOT NULL
             ORDER BY day, CASE WHEN kind = 'review' THEN 1 ELSE 0 END, commitment_id, note`,
      values: [today, before],
    });
    return rows.map((row) => ({
      commitmentId: row.commitment_id,
      title: row.title,
      status: row.status,
      reason: row.reason,
      date: row.date,
      ...(row.note === null ? {} : { note: row.note }),
    }));
  }
}
