import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Checkpoints and rebuild jobs of the catch-up projectors, and the read models they build (DESIGN.md
 * "Async projections"). Facts that change with the calendar (status, participation, overdue) are stored
 * as timelines of dates and evaluated on the day they are read.
 */
export class Projections1763840000000 implements MigrationInterface {
  name = 'Projections1763840000000';

  async up(db: QueryRunner): Promise<void> {
    // One row per projection. The position is the last event applied, in the log's commit-safe order;
    // `generation` changes on every rebuild so that a runner knows its cached state is void.
    await db.query(`
      CREATE TABLE projection_checkpoints (
        projection text PRIMARY KEY,
        transaction_id xid8 NOT NULL DEFAULT '0',
        global_position bigint NOT NULL DEFAULT 0,
        generation integer NOT NULL DEFAULT 0,
        events_applied bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        rebuild_job_id uuid,
        rebuild_target_transaction_id xid8,
        rebuild_target_global_position bigint,
        rebuild_started_at timestamptz,
        rebuild_finished_at timestamptz
      )`);
    await db.query(`
      CREATE TABLE projection_rebuild_jobs (
        job_id uuid PRIMARY KEY,
        projections text[] NOT NULL,
        requested_by text,
        requested_at timestamptz NOT NULL DEFAULT now(),
        total_events bigint NOT NULL
      )`);
    // status_since[i] is the first day statuses[i] holds (the first entry is -infinity).
    await db.query(`
      CREATE TABLE follow_up_items (
        commitment_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('due', 'review')),
        date date NOT NULL,
        note text,
        title text NOT NULL,
        status_since date[] NOT NULL,
        statuses text[] NOT NULL
      )`);
    await db.query(`CREATE INDEX follow_up_items_commitment ON follow_up_items (commitment_id)`);
    await db.query(`CREATE INDEX follow_up_items_date ON follow_up_items (date)`);
    // A NULL participation means "not a party (yet)" on the days it covers.
    await db.query(`
      CREATE TABLE party_commitments (
        party text NOT NULL,
        commitment_id text NOT NULL,
        title text NOT NULL,
        stance text,
        score smallint,
        participation_since date[] NOT NULL,
        participations text[] NOT NULL,
        status_since date[] NOT NULL,
        statuses text[] NOT NULL,
        PRIMARY KEY (party, commitment_id)
      )`);
    await db.query(`CREATE INDEX party_commitments_commitment ON party_commitments (commitment_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE party_commitments`);
    await db.query(`DROP TABLE follow_up_items`);
    await db.query(`DROP TABLE projection_rebuild_jobs`);
    await db.query(`DROP TABLE projection_checkpoints`);
  }
}
