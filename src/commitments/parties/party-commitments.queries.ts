import type { Pool } from 'pg';
import type { CommitmentStatus, Participation } from '../commitment.decider.js';
import type { ComplianceScore, IsoDate, PartyCode, Stance } from '../commitment.events.js';

export interface PartyCommitment {
  readonly commitmentId: string;
  readonly title: string;
  readonly status: CommitmentStatus;
  readonly participation: Participation;
  readonly stance?: Stance;
  readonly score?: ComplianceScore;
}

interface PartyCommitmentRow {
  commitment_id: string;
  title: string;
  status: CommitmentStatus;
  participation: Participation;
  stance: Stance | null;
  score: ComplianceScore | null;
}

/** Reads of `party_commitments`; participation and status are those of `today`. */
export class PartyCommitmentsQueries {
  constructor(private readonly pool: Pool) {}

  /** The commitments `party` is a party to on `today` (withdrawn included), in id order. */
  async commitmentsOf(party: PartyCode, today: IsoDate): Promise<PartyCommitment[]> {
    const { rows } = await this.pool.query<PartyCommitmentRow>({
      name: 'party_commitments_of',
      text: `SELECT pc.commitment_id, pc.title, status.status, participation.participation, pc.stance, pc.score
             FROM party_commitments pc
             CROSS JOIN LATERAL (
               SELECT s.status FROM unnest(pc.status_since, pc.statuses) AS s(since, status)
               WHERE s.since <= $2::date ORDER BY s.since DESC LIMIT 1) status
             CROSS JOIN LATERAL (
               SELECT p.participation FROM unnest(pc.participation_since, pc.participations) AS p(since, participation)
               WHERE p.since <= $2::date ORDER BY p.since DESC LIMIT 1) participation
             WHERE pc.party = $1 AND participation.participation IS NOT NULL
             ORDER BY pc.commitment_id`,
      values: [party, today],
    });
    return rows.map((row) => ({
      commitmentId: row.commitment_id,
      title: row.title,
      status: row.status,
      participation: row.participation,
      ...(row.stance === null ? {} : { stance: row.stance }),
      ...(row.score === null ? {} : { score: row.score }),
    }));
  }
}
