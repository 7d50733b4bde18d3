import type { Pool } from 'pg';
import type { InlineProjectionDefinition } from '../../../event-store/event-store.types.js';
import type { AuditableStreamRows } from '../../../projections/stream-read-model.js';
import { type CommitmentSnapshot, SNAPSHOT_SCHEMA } from '../../domain/commitment.snapshot.js';
import { overdueTimeline, statusTimeline } from '../../domain/status-rules.js';
import { commitmentIdOfStream, commitmentStreamId } from '../../stream/commitment.stream.js';

/**
 * `commitment_status`: one row per commitment, upserted in the append statement. The row keeps the full
 * snapshot (the state the next write decides from, and the API view computed on the day it is read),
 * the columns the list filters and their indexes need, and status and overdue as timelines that the
 * list's query evaluates on the day it runs.
 */
export const COMMITMENT_STATUS_PROJECTION: InlineProjectionDefinition = {
  name: 'commitment_status',
  table: 'commitment_status',
  keyColumns: ['id'],
  columns: [
    'id',
    'title',
    'kind',
    'proposed_by',
    'parties',
    'topics',
    'summary',
    'due_date',
    'proposed_at',
    'last_development_at',
    'version',
    'snapshot',
    'snapshot_schema',
    'status_since',
    'statuses',
    'overdue_since',
    'overdues',
  ],
};

export function commitmentStatusRow(snapshot: CommitmentSnapshot): Record<string, unknown> {
  const status = statusTimeline(snapshot);
  const overdue = overdueTimeline(snapshot);
  return {
    id: snapshot.id,
    title: snapshot.title,
    kind: snapshot.kind,
    proposed_by: snapshot.proposedBy,
    parties: snapshot.parties.map((record) => record.party),
    topics: snapshot.topics,
    summary: snapshot.summary,
    due_date: snapshot.dueDate,
    proposed_at: snapshot.proposedAt,
    last_development_at: snapshot.lastDevelopmentAt,
    version: snapshot.version,
    snapshot,
    snapshot_schema: SNAPSHOT_SCHEMA,
    status_since: status.since,
    statuses: status.values,
    overdue_since: overdue.since,
    overdues: overdue.values,
  };
}

/** Columns of `date` type, read back as text. */
const DATE_COLUMNS = new Set(['due_date']);
const DATE_ARRAY_COLUMNS = new Set(['status_since', 'overdue_since']);

/**
 * The same row for the read-model audit: what `commitmentStatusRow` gives for the fold of the stream's
 * events, against what the table holds (snapshot, timelines and the list's filter columns alike).
 */
export const COMMITMENT_STATUS_READ_MODEL: AuditableStreamRows<
  Record<string, unknown>,
  CommitmentSnapshot
> = {
  name: COMMITMENT_STATUS_PROJECTION.name,
  tables: [COMMITMENT_STATUS_PROJECTION.table],
  rowsOf: (_streamId, snapshot) => [commitmentStatusRow(snapshot)],
  readRows: async (pool: Pool, streamIds) => {
    const columns = COMMITMENT_STATUS_PROJECTION.columns.map((column) =>
      DATE_COLUMNS.has(column)
        ? `${column}::text AS ${column}`
        : DATE_ARRAY_COLUMNS.has(column)
          ? `${column}::text[] AS ${column}`
          : column,
    );
    const { rows } = await pool.query<Record<string, unknown> & { id: string }>({
      name: 'commitment_status_audit',
      text: `SELECT ${columns.join(', ')} FROM commitment_status WHERE id = ANY($1::text[])`,
      values: [streamIds.map(commitmentIdOfStream)],
    });
    return new Map(rows.map((row) => [commitmentStreamId(row.id), [row]]));
  },
};
