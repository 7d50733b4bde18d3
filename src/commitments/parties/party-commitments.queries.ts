import type { Pool } from 'pg';
import type { ComplianceScore, IsoDate, PartyCode, Stance } from '../domain/commitment.events.js';
import type { CommitmentStatus, Participation } from '../domain/status-rules.js';

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
      text: `SELECT * FROM (
               SELECT commitment_id, title, stance, score,
                 timeline_value(status_since, statuses, $2::date) AS status,
                 timeline_value(participation_since, participations, $2::date) AS participation
               FROM party_commitments WHERE party = $1) pc
             WHERE participation IS NOT NULL
             ORDER BY commitment_id`,
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
