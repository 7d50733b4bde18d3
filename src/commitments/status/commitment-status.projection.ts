import type {
  InlineProjectionDefinition,
  InlineProjectionWrite,
} from '../../event-store/event-store.types.js';
import { baseStatus, withdrawnFrom, type CommitmentSnapshot } from '../commitment.decider.js';

/**
 * `commitment_status`: one row per commitment, upserted in the append statement. The row keeps the full
 * snapshot (the API view is computed from it on the day it is read) plus the columns the list filters
 * and their indexes need.
 */
export const COMMITMENT_STATUS_PROJECTION: InlineProjectionDefinition = {
  name: 'commitment_status',
  table: 'commitment_status',
  keyColumns: ['id'],
  columns: [
    'id',
    'title',
    'kind',
    'base_status',
    'withdrawn_from',
    'proposed_by',
    'parties',
    'topics',
    'summary',
    'due_date',
    'proposed_at',
    'last_development_at',
    'version',
    'snapshot',
  ],
};

export function commitmentStatusWrite(snapshot: CommitmentSnapshot): InlineProjectionWrite {
  return {
    projection: COMMITMENT_STATUS_PROJECTION.name,
    row: {
      id: snapshot.id,
      title: snapshot.title,
      kind: snapshot.kind,
      base_status: baseStatus(snapshot),
      withdrawn_from: withdrawnFrom(snapshot),
      proposed_by: snapshot.proposedBy,
      parties: snapshot.parties.map((record) => record.party),
      topics: snapshot.topics,
      summary: snapshot.summary,
      due_date: snapshot.dueDate,
      proposed_at: snapshot.proposedAt,
      last_development_at: snapshot.lastDevelopmentAt,
      version: snapshot.version,
      snapshot,
    },
  };
}
