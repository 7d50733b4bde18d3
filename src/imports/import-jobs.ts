import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.module.js';
import type { ProblemDetails } from '../http/problem-details.js';

export type ImportFormat = 'ndjson' | 'csv';
export type ImportState = 'running' | 'completed' | 'failed' | 'interrupted';

/**
 * A running job's instance moves its heartbeat at least this often; a job whose heartbeat is older than
 * {@link STALE_AFTER_SECONDS} lost its instance (it died, or was cut off from the database).
 */
export const HEARTBEAT_MS = 2000;
export const STALE_AFTER_SECONDS = 30;
const INTERRUPTED =
  `the instance running the import stopped before it finished (no sign of life for ${STALE_AFTER_SECONDS} s): ` +
  'import the file again; the lines already imported are recognised and skipped';

/** Refused lines listed per answer; `refusalsAfter` pages on. */
export const REFUSALS_PER_PAGE = 1000;

/** A refused line: where it is, which field, and the problem detail the API would have answered. */
export interface ImportRefusal {
  readonly line: number;
  readonly commitmentId: string | null;
  /** The first failed field's path in the body (`source.title`), or null when no one field is at fault. */
  readonly field: string | null;
  readonly problem: ProblemDetails;
}

export interface ImportCounts {
  readonly bytesRead: number;
  readonly linesRead: number;
  readonly appended: number;
  readonly alreadyPresent: number;
  readonly refused: number;
}

export interface ImportJob extends ImportCounts {
  readonly jobId: string;
  readonly format: ImportFormat;
  readonly state: ImportState;
  readonly requestedBy: string;
  readonly bytes: number;
  readonly error: string | null;
  readonly createdAt: string;
  readonly heartbeatAt: string;
  readonly finishedAt: string | null;
  readonly refusals: readonly ImportRefusal[];
  /** The line to pass as `refusalsAfter` for the next refusals, or null when these are the last. */
  readonly nextRefusalsAfter: number | null;
}

interface JobRow {
  job_id: string;
  format: ImportFormat;
  state: ImportState;
  requested_by: string;
  bytes: string;
  bytes_read: string;
  lines_read: string;
  appended: string;
  already_present: string;
  refused: string;
  error: string | null;
  created_at: Date;
  heartbeat_at: Date;
  finished_at: Date | null;
}

/** The `import_jobs` and `import_refusals` tables: what any instance answers for a job. */
@Injectable()
export class ImportJobs {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async create(job: {
    jobId: string;
    format: ImportFormat;
    requestedBy: string;
    instance: string;
    bytes: number;
  }): Promise<void> {
    await this.pool.query(
      `INSERT INTO import_jobs (job_id, format, state, requested_by, instance, bytes)
       VALUES ($1, $2, 'running', $3, $4, $5)`,
      [job.jobId, job.format, job.requestedBy, job.instance, job.bytes],
    );
  }

  /**
   * Records a batch's progress and refusals, and moves the heartbeat. False when the job is no longer
   * running (declared interrupted meanwhile): the caller must stop.
   */
  async progress(jobId: string, counts: ImportCounts, refusals: readonly ImportRefusal[]): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `WITH job AS (
         UPDATE import_jobs SET bytes_read = $2, lines_read = $3, appended = $4, already_present = $5,
                                refused = $6, heartbeat_at = now()
         WHERE job_id = $1 AND state = 'running'
         RETURNING job_id
       ), refusals AS (
         INSERT INTO import_refusals (job_id, line, commitment_id, field, problem)
         SELECT job.job_id, r.line, r."commitmentId", r.field, r.problem
         FROM job, jsonb_to_recordset($7::jsonb) AS r(line bigint, "commitmentId" text, field text, problem jsonb)
         ON CONFLICT DO NOTHING
       )
       SELECT 1 FROM job`,
      [
        jobId,
        counts.bytesRead,
        counts.linesRead,
        counts.appended,
        counts.alreadyPresent,
        counts.refused,
        JSON.stringify(refusals),
      ],
    );
    return rowCount === 1;
  }

  async finish(jobId: string, state: Exclude<ImportState, 'running'>, error: string | null): Promise<void> {
    await this.pool.query(
      `UPDATE import_jobs SET state = $2, error = $3, finished_at = now(), heartbeat_at = now()
       WHERE job_id = $1 AND state = 'running'`,
      [jobId, state, error],
    );
  }

  /** The job with a page of its refused lines; null for an unknown job. A running job that lost its instance is marked interrupted first. */
  async read(jobId: string, refusalsAfter = 0): Promise<ImportJob | null> {
    await this.pool.query(
      `UPDATE import_jobs
       SET state = 'interrupted', finished_at = now(), error = $3
       WHERE job_id = $1 AND state = 'running' AND heartbeat_at < now() - make_interval(secs => $2::float8)`,
      [jobId, STALE_AFTER_SECONDS, INTERRUPTED],
    );
    const { rows } = await this.pool.query<JobRow>('SELECT * FROM import_jobs WHERE job_id = $1', [jobId]);
    if (rows.length === 0) return null;
    const { rows: refusals } = await this.pool.query<{
      line_number: string;
      commitment_id: string | null;
      field: string | null;
      problem: ProblemDetails;
    }>(
      // Ordered by the column itself (bigint), not by the text the select list makes of it.
      `SELECT r.line::text AS line_number, r.commitment_id, r.field, r.problem FROM import_refusals r
       WHERE r.job_id = $1 AND r.line > $2 ORDER BY r.line LIMIT $3`,
      [jobId, refusalsAfter, REFUSALS_PER_PAGE + 1],
    );
    const more = refusals.length > REFUSALS_PER_PAGE;
    const page = refusals.slice(0, REFUSALS_PER_PAGE).map((row) => ({
      line: Number(row.line_number),
      commitmentId: row.commitment_id,
      field: row.field,
      problem: row.problem,
    }));
    const job = rows[0];
    return {
      jobId: job.job_id,
      format: job.format,
      state: job.state,
      requestedBy: job.requested_by,
      bytes: Number(job.bytes),
      bytesRead: Number(job.bytes_read),
      linesRead: Number(job.lines_read),
      appended: Number(job.appended),
      alreadyPresent: Number(job.already_present),
      refused: Number(job.refused),
      error: job.error,
      createdAt: job.created_at.toISOString(),
      heartbeatAt: job.heartbeat_at.toISOString(),
      finishedAt: job.finished_at?.toISOString() ?? null,
      refusals: page,
      nextRefusalsAfter: more ? page[page.length - 1].line : null,
    };
  }
}
