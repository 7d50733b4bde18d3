import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bulk import jobs (API.md "Imports"): their progress and each refused line, in the database so that any
 * instance can answer for a job. `heartbeat_at` is moved by the instance running the job; a running job
 * whose heartbeat stopped is interrupted, never left "running".
 */
export class ImportJobs1763880000000 implements MigrationInterface {
  name = 'ImportJobs1763880000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE import_jobs (
        job_id uuid PRIMARY KEY,
        format text NOT NULL CHECK (format IN ('ndjson', 'csv')),
        state text NOT NULL CHECK (state IN ('running', 'completed', 'failed', 'interrupted')),
        requested_by text NOT NULL,
        instance text NOT NULL,
        bytes bigint NOT NULL,
        bytes_read bigint NOT NULL DEFAULT 0,
        lines_read bigint NOT NULL DEFAULT 0,
        appended bigint NOT NULL DEFAULT 0,
        already_present bigint NOT NULL DEFAULT 0,
        refused bigint NOT NULL DEFAULT 0,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        heartbeat_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await db.query(`
      CREATE TABLE import_refusals (
        job_id uuid NOT NULL REFERENCES import_jobs (job_id) ON DELETE CASCADE,
        line bigint NOT NULL,
        commitment_id text,
        field text,
        problem jsonb NOT NULL,
        PRIMARY KEY (job_id, line)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE import_refusals`);
    await db.query(`DROP TABLE import_jobs`);
  }
}
