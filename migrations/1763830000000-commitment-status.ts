import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inline read model of each commitment, written in the append statement. Facts that depend on the
 * day they are read (withdrawn, overdue) are stored as dates and evaluated by the query.
 */
export class CommitmentStatus1763830000000 implements MigrationInterface {
  name = 'CommitmentStatus1763830000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE commitment_status (
        id text PRIMARY KEY,
        title text NOT NULL,
        kind text NOT NULL,
        base_status text NOT NULL,
        withdrawn_from date,
        proposed_by text NOT NULL,
        parties text[] NOT NULL,
        topics text[] NOT NULL,
        summary text,
        due_date date,
        proposed_at timestamptz NOT NULL,
        last_development_at timestamptz NOT NULL,
        version integer NOT NULL,
        snapshot jsonb NOT NULL,
        search tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', coalesce(summary, '')), 'B')
        ) STORED
      )`);
    await db.query(`CREATE INDEX commitment_status_base_status ON commitment_status (base_status)`);
    await db.query(
      `CREATE INDEX commitment_status_withdrawn_from ON commitment_status (withdrawn_from) WHERE withdrawn_from IS NOT NULL`,
    );
    await db.query(`CREATE INDEX commitment_status_kind ON commitment_status (kind)`);
    await db.query(`CREATE INDEX commitment_status_parties ON commitment_status USING gin (parties)`);
    await db.query(`CREATE INDEX commitment_status_topics ON commitment_status USING gin (topics)`);
    await db.query(
      `CREATE INDEX commitment_status_due_date ON commitment_status (due_date) WHERE due_date IS NOT NULL`,
    );
    await db.query(`CREATE INDEX commitment_status_search ON commitment_status USING gin (search)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE commitment_status`);
  }
}
