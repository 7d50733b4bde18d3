import type { Pool, PoolClient } from 'pg';
import type { StreamReadModel } from '../../../projections/stream-read-model.js';
import { commitmentIdOfStream, rowsByCommitmentStream } from '../../stream/commitment.stream.js';
import type { ComplianceScore, PartyCode, Stance } from '../../domain/commitment.events.js';
import type { CommitmentSnapshot } from '../../domain/commitment.snapshot.js';
import {
  type CommitmentStatus,
  type Participation,
  participationTimeline,
  statusTimeline,
} from '../../domain/status-rules.js';

/** What a party did in a commitment besides being a party to it (which depends on the day). */
export type StandingRole = 'proposer' | 'witness' | 'speaker';

/**
 * A row of `party_commitments`: one party involved in one commitment, as a party, its proposer, a
 * witness of its adoption or a speaker on it. Participation and status are timelines (see `Timeline`),
 * evaluated by the query on the day it runs; a null participation means the party is not a party on
 * those days (its accession has not taken effect yet, or it never was one).
 */
export interface PartyCommitmentRow {
  readonly party: PartyCode;
  readonly commitment_id: string;
  readonly title: string;
  readonly roles: readonly StandingRole[];
  readonly stance: Stance | null;
  readonly score: ComplianceScore | null;
  readonly participation_since: readonly string[];
  readonly participations: readonly (Participation | null)[];
  readonly status_since: readonly string[];
  readonly statuses: readonly CommitmentStatus[];
}

/**
 * The party × commitment view: every party a commitment has ever had, its proposer, the witnesses of its
 * adoption and every party that spoke on it, with its latest stance and score.
 */
export const PARTY_COMMITMENTS_READ_MODEL: StreamReadModel<PartyCommitmentRow, CommitmentSnapshot> = {
  name: 'party-commitments',
  tables: ['party_commitments'],
  rowsOf: partyCommitmentRows,
  deleteRows: async (client: PoolClient, streamIds) => {
    await client.query('DELETE FROM party_commitments WHERE commitment_id = ANY($1::text[])', [
      streamIds.map(commitmentIdOfStream),
    ]);
  },
  insertRows: async (client: PoolClient, rows) => {
    if (rows.length === 0) return;
    await client.query(
      `INSERT INTO party_commitments (party, commitment_id, title, roles, stance, score, participation_since,
         participations, status_since, statuses)
       SELECT party, commitment_id, title, roles, stance, score, participation_since, participations,
         status_since, statuses
       FROM jsonb_to_recordset($1::jsonb) AS r(party text, commitment_id text, title text, roles text[],
         stance text, score smallint, participation_since date[], participations text[], status_since date[],
         statuses text[])`,
      [JSON.stringify(rows)],
    );
  },
  rowKey: ['party'],
  readRows: async (pool: Pool, streamIds) => {
    const { rows } = await pool.query<PartyCommitmentRow>({
      name: 'party_commitments_audit',
      text: `SELECT party, commitment_id, title, roles, stance, score, participation_since::text[] AS participation_since,
               participations, status_since::text[] AS status_since, statuses
             FROM party_commitments WHERE commitment_id = ANY($1::text[])`,
      values: [streamIds.map(commitmentIdOfStream)],
    });
    return rowsByCommitmentStream(rows);
  },
};

function partyCommitmentRows(_streamId: string, snapshot: CommitmentSnapshot): PartyCommitmentRow[] {
  const status = statusTimeline(snapshot);
  const involved = new Set<PartyCode>([
    ...snapshot.parties.map((record) => record.party),
    snapshot.proposedBy,
    ...snapshot.witnesses,
    ...Object.keys(snapshot.stances),
  ]);
  return [...involved].map((party) => {
    const participation = participationTimeline(snapshot, party);
    const roles: StandingRole[] = [];
    if (snapshot.proposedBy === party) roles.push('proposer');
    if (snapshot.witnesses.includes(party)) roles.push('witness');
    if (snapshot.stances[party] !== undefined) roles.push('speaker');
    return {
      party,
      commitment_id: snapshot.id,
      title: snapshot.title,
      roles,
      stance: snapshot.stances[party] ?? null,
      score: snapshot.scores[party] ?? null,
      participation_since: participation.since,
      participations: participation.values,
      status_since: status.since,
      statuses: status.values,
    };
  });
}
