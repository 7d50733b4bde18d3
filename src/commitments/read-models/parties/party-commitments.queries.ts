import type { Pool } from 'pg';
import type { ComplianceScore, IsoDate, PartyCode, Stance } from '../../domain/commitment.events.js';
import type { CommitmentStatus, Participation } from '../../domain/status-rules.js';
import type { StandingRole } from './party-commitments.projection.js';

/** How a party is involved in a commitment: 'party' when it is one on the day of the query. */
export type PartyRole = 'party' | StandingRole;

export interface PartyCommitment {
  readonly commitmentId: string;
  readonly title: string;
  readonly status: CommitmentStatus;
  /** Absent when the party is not a party to the commitment on that day. */
  readonly participation?: Participation;
  readonly stance?: Stance;
  readonly score?: ComplianceScore;
  readonly roles: PartyRole[];
}

interface PartyCommitmentRow {
  commitment_id: string;
  title: string;
  status: CommitmentStatus;
  participation: Participation | null;
  stance: Stance | null;
  score: ComplianceScore | null;
  roles: StandingRole[];
}

/** Reads of `party_commitments`; participation and status are those of `today`. */
export class PartyCommitmentsQueries {
  constructor(private readonly pool: Pool) {}

  /**
   * The commitments `party` is involved in on `today`, in id order: those it is a party to (withdrawn
   * included), proposed, witnessed the adoption of, or spoke on.
   */
  async commitmentsOf(party: PartyCode, today: IsoDate): Promise<PartyCommitment[]> {
    const { rows } = await this.pool.query<PartyCommitmentRow>({
      name: 'party_commitments_of',
      text: `SELECT * FROM (
               SELECT commitment_id, title, stance, score, roles,
                 timeline_value(status_since, statuses, $2::date) AS status,
                 timeline_value(participation_since, participations, $2::date) AS participation
               FROM party_commitments WHERE party = $1) pc
             WHERE participation IS NOT NULL OR cardinality(roles) > 0
             ORDER BY commitment_id`,
      values: [party, today],
    });
    return rows.map((row) => ({
      commitmentId: row.commitment_id,
      title: row.title,
      status: row.status,
      ...(row.participation === null ? {} : { participation: row.participation }),
      ...(row.stance === null ? {} : { stance: row.stance }),
      ...(row.score === null ? {} : { score: row.score }),
      roles: [...(row.participation === null ? [] : (['party'] as const)), ...row.roles],
    }));
  }
}
