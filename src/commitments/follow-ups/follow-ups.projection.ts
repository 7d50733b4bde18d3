import type { PoolClient } from 'pg';
import type { StreamReadModel } from '../../projections/stream-state.projection.js';
import type { CommitmentStatus } from '../commitment.decider.js';
import type { IsoDate, RecordedCommitmentEvent } from '../commitment.events.js';
import { commitmentIdOfStream } from '../commitment.stream.js';
import { COMMITMENT_FOLD, type FoldedCommitment } from './folded-commitment.js';

/**
 * A row of `follow_up_items`: the commitment's due date (overdue or coming, decided when read) or one
 * scheduled review. Each row carries the commitment's status timeline so the query can tell, on the day
 * it runs, whether a due date still matters.
 */
export interface FollowUpItemRow {
  readonly commitment_id: string;
  readonly kind: 'due' | 'review';
  readonly date: IsoDate;
  readonly note: string | null;
  readonly title: string;
  readonly status_since: readonly string[];
  readonly statuses: readonly CommitmentStatus[];
}

/** The follow-up queue: every commitment's due date and its scheduled reviews that were not retracted. */
export const FOLLOW_UPS_READ_MODEL: StreamReadModel<FollowUpItemRow, FoldedCommitment> = {
  name: 'follow-ups',
  tables: ['follow_up_items'],
  fold: COMMITMENT_FOLD,
  rowsOf: followUpRows,
  rowsFor: (streamId, events) => {
    const folded = COMMITMENT_FOLD.fold(streamId, events);
    return folded === null ? [] : followUpRows(folded);
  },
  deleteRows: async (client: PoolClient, streamIds) => {
    await client.query('DELETE FROM follow_up_items WHERE commitment_id = ANY($1::text[])', [
      streamIds.map(commitmentIdOfStream),
    ]);
  },
  insertRows: async (client: PoolClient, rows) => {
    if (rows.length === 0) return;
    await client.query(
      `INSERT INTO follow_up_items (commitment_id, kind, date, note, title, status_since, statuses)
       SELECT commitment_id, kind, date, note, title, status_since, statuses
       FROM jsonb_to_recordset($1::jsonb) AS r(commitment_id text, kind text, date date, note text,
         title text, status_since date[], statuses text[])`,
      [JSON.stringify(rows)],
    );
  },
};

function followUpRows({ commitmentId, snapshot, live, status }: FoldedCommitment): FollowUpItemRow[] {
  const common = {
    commitment_id: commitmentId,
    title: snapshot.title,
    status_since: status.since,
    statuses: status.values,
  };
  const rows: FollowUpItemRow[] = [];
  if (snapshot.dueDate !== null) {
    rows.push({
      ...common,
      kind: 'due',
      date: snapshot.dueDate,
      note: deadlineReason(live, snapshot.dueDate),
    });
  }
  for (const entry of live) {
    if (entry.event.type !== 'FollowUpScheduled') continue;
    rows.push({ ...common, kind: 'review', date: entry.event.data.reviewOn, note: entry.event.data.note });
  }
  return rows;
}

/** The reason given with the deadline now in force, when a `DeadlineSet` (not the proposal) set it. */
function deadlineReason(live: readonly RecordedCommitmentEvent[], dueDate: IsoDate): string | null {
  for (let i = live.length - 1; i >= 0; i--) {
    const { event } = live[i];
    if (event.type === 'DeadlineSet')
      return event.data.dueDate === dueDate ? (event.data.reason ?? null) : null;
  }
  return null;
}
