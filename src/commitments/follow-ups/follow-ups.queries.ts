import type { Pool } from 'pg';
import type { CommitmentStatus } from '../commitment.decider.js';
import type { IsoDate } from '../commitment.events.js';

export type FollowUpReason = 'overdue' | 'deadline' | 'review';

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
 * Reads of `follow_up_items`. Whether a due date is overdue, coming or moot (the commitment completed,
 * superseded or withdrawn) and which reviews are still ahead are decided here, against `today`.
 */
export class FollowUpsQueries {
  constructor(private readonly pool: Pool) {}

  /**
   * Overdue commitments, coming deadlines and scheduled reviews dated before `before`, earliest first.
   * Overdue and deadline follow `overdueOn`: a due date counts while the status on `today` is not
   * completed, superseded or withdrawn. Reviews are listed from `today` on, like `nextReviewOn`.
   */
  async followUps(today: IsoDate, before: IsoDate): Promise<FollowUpItem[]> {
    const { rows } = await this.pool.query<FollowUpRow>({
      name: 'follow_ups_before',
      text: `SELECT i.commitment_id, i.title, today.status, to_char(i.date, 'YYYY-MM-DD') AS date, i.note,
               CASE WHEN i.kind = 'review' THEN 'review' WHEN i.date < $1::date THEN 'overdue' ELSE 'deadline' END
                 AS reason
             FROM follow_up_items i
             CROSS JOIN LATERAL (
               SELECT s.status FROM unnest(i.status_since, i.statuses) AS s(since, status)
               WHERE s.since <= $1::date ORDER BY s.since DESC LIMIT 1) today
             WHERE i.date < $2::date
               AND CASE WHEN i.kind = 'review' THEN i.date >= $1::date
                        ELSE today.status NOT IN ('completed', 'superseded', 'withdrawn') END
             ORDER BY i.date, CASE WHEN i.kind = 'review' THEN 1 ELSE 0 END, i.commitment_id, i.note`,
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
