import type { Pool, PoolClient } from 'pg';
import type { StreamReadModel } from '../../../projections/stream-read-model.js';
import { commitmentIdOfStream, rowsByCommitmentStream } from '../../stream/commitment.stream.js';
import type { IsoDate } from '../../domain/commitment.events.js';
import type { CommitmentSnapshot } from '../../domain/commitment.snapshot.js';
import {
  type CommitmentStatus,
  dueFollowUpTimeline,
  type FollowUpReason,
  reviewFollowUpTimeline,
  statusTimeline,
  type Timeline,
} from '../../domain/status-rules.js';

/**
 * A row of `follow_up_items`: the commitment's due date or one scheduled review, with timelines of the
 * commitment's status and of the item's reason to be followed up (null on days it is not), so the
 * query can tell on the day it runs whether and why the item is due.
 */
export interface FollowUpItemRow {
  readonly commitment_id: string;
  readonly kind: 'due' | 'review';
  readonly date: IsoDate;
  readonly note: string | null;
  readonly title: string;
  readonly status_since: readonly string[];
  readonly statuses: readonly CommitmentStatus[];
  readonly reason_since: readonly string[];
  readonly reasons: readonly (FollowUpReason | null)[];
}

/** The follow-up queue: every commitment's due date and its scheduled reviews that were not retracted. */
export const FOLLOW_UPS_READ_MODEL: StreamReadModel<FollowUpItemRow, CommitmentSnapshot> = {
  name: 'follow-ups',
  tables: ['follow_up_items'],
  rowsOf: followUpRows,
  deleteRows: async (client: PoolClient, streamIds) => {
    await client.query('DELETE FROM follow_up_items WHERE commitment_id = ANY($1::text[])', [
      streamIds.map(commitmentIdOfStream),
    ]);
  },
  insertRows: async (client: PoolClient, rows) => {
    if (rows.length === 0) return;
    await client.query(
      `INSERT INTO follow_up_items (commitment_id, kind, date, note, title, status_since, statuses,
         reason_since, reasons)
       SELECT commitment_id, kind, date, note, title, status_since, statuses, reason_since, reasons
       FROM jsonb_to_recordset($1::jsonb) AS r(commitment_id text, kind text, date date, note text,
         title text, status_since date[], statuses text[], reason_since date[], reasons text[])`,
      [JSON.stringify(rows)],
    );
  },
  rowKey: ['kind', 'date', 'note'],
  readRows: async (pool: Pool, streamIds) => {
    const { rows } = await pool.query<FollowUpItemRow>({
      name: 'follow_up_items_audit',
      text: `SELECT commitment_id, kind, date::text AS date, note, title, status_since::text[] AS status_since,
               statuses, reason_since::text[] AS reason_since, reasons
             FROM follow_up_items WHERE commitment_id = ANY($1::text[])`,
      values: [streamIds.map(commitmentIdOfStream)],
    });
    return rowsByCommitmentStream(rows);
  },
};

function followUpRows(_streamId: string, snapshot: CommitmentSnapshot): FollowUpItemRow[] {
  const status = statusTimeline(snapshot);
  const item = (
    kind: FollowUpItemRow['kind'],
    date: IsoDate,
    note: string | null,
    reason: Timeline<FollowUpReason | null>,
  ): FollowUpItemRow => ({
    commitment_id: snapshot.id,
    kind,
    date,
    note,
    title: snapshot.title,
    status_since: status.since,
    statuses: status.values,
    reason_since: reason.since,
    reasons: reason.values,
  });
  const rows: FollowUpItemRow[] = [];
  if (snapshot.dueDate !== null) {
    rows.push(item('due', snapshot.dueDate, snapshot.dueReason, dueFollowUpTimeline(snapshot)));
  }
  for (const review of snapshot.reviews) {
    rows.push(item('review', review.reviewOn, review.note, reviewFollowUpTimeline(review)));
  }
  return rows;
}
