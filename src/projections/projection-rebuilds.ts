import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { rollBackAndRelease } from '../database/pg-connections.js';
import type { LogPosition } from '../event-store/event-store.types.js';
import type { ProjectionSupervisor } from './projection-supervisor.js';

export type RebuildState = 'running' | 'completed' | 'superseded';

export interface RebuildProgress {
  readonly jobId: string;
  readonly state: RebuildState;
  readonly requestedAt: string;
  readonly requestedBy: string | null;
  readonly finishedAt: string | null;
  /** Events in the log when the rebuild was requested: what each projection replays at least. */
  readonly totalEvents: number;
  /** Events replayed by the projection furthest behind (so 100% means every read model is rebuilt). */
  readonly appliedEvents: number;
  readonly projections: {
    readonly name: string;
    readonly state: RebuildState;
    readonly appliedEvents: number;
    readonly finishedAt: string | null;
  }[];
}

interface JobRow {
  job_id: string;
  projections: string[];
  requested_by: string | null;
  requested_at: Date;
  total_events: string;
}

/**
 * Rebuild = empty the read models and put their checkpoints back to the start of the log, in one
 * transaction; whichever instance leads each projection then rebuilds it, from the same folds as live
 * projection (in one pass up to the commit-safe end of the log when the projection can, see
 * `Projection.buildFromLog`, else by replaying the log), so a rebuild produces exactly what live projection
 * produced. The job only records the target (the log's end when requested) so that progress can be
 * followed from any instance.
 */
export class ProjectionRebuilds {
  constructor(
    private readonly pool: Pool,
    private readonly supervisor: ProjectionSupervisor,
  ) {}

  async request(requestedBy: string | null): Promise<{ jobId: string }> {
    const jobId = randomUUID();
    const projections = this.supervisor.projections;
    const names = projections.map((projection) => projection.name);
    await this.supervisor.checkpoints.ensureExist(names);
    const { target, totalEvents } = await this.endOfLog();
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // Emptying the tables first waits for any batch in flight to commit; its checkpoint move then
      // comes before the reset below, never after it, and the runner sees the new generation next time.
      await client.query(`TRUNCATE ${projections.flatMap((projection) => projection.tables).join(', ')}`);
      await this.supervisor.checkpoints.resetForRebuild(client, names, jobId, target);
      await client.query(
        `INSERT INTO projection_rebuild_jobs (job_id, projections, requested_by, total_events)
         VALUES ($1, $2, $3, $4)`,
        [jobId, names, requestedBy, totalEvents],
      );
      await client.query('COMMIT');
      client.release();
    } catch (error) {
      await rollBackAndRelease(client, error);
      throw error;
    }
    return { jobId };
  }

  async progress(jobId: string): Promise<RebuildProgress | null> {
    const { rows } = await this.pool.query<JobRow>(
      `SELECT job_id, projections, requested_by, requested_at, total_events::text AS total_events
       FROM projection_rebuild_jobs WHERE job_id = $1`,
      [jobId],
    );
    if (rows.length === 0) return null;
    const job = rows[0];
    const totalEvents = Number(job.total_events);
    const checkpoints = new Map((await this.supervisor.checkpoints.readAll()).map((c) => [c.projection, c]));
    const projections = job.projections.map((name) => {
      const checkpoint = checkpoints.get(name);
      if (!checkpoint || checkpoint.rebuildJobId !== job.job_id) {
        return { name, state: 'superseded' as const, appliedEvents: 0, finishedAt: null };
      }
      const finishedAt = checkpoint.rebuildFinishedAt;
      return {
        name,
        state: finishedAt ? ('completed' as const) : ('running' as const),
        appliedEvents: finishedAt ? totalEvents : Math.min(checkpoint.eventsApplied, totalEvents),
        finishedAt,
      };
    });
    const state: RebuildState = projections.some((p) => p.state === 'superseded')
      ? 'superseded'
      : projections.every((p) => p.state === 'completed')
        ? 'completed'
        : 'running';
    return {
      jobId: job.job_id,
      state,
      requestedAt: job.requested_at.toISOString(),
      requestedBy: job.requested_by,
      finishedAt:
        state === 'completed'
          ? projections.map((p) => p.finishedAt ?? '').reduce((a, b) => (a > b ? a : b), '')
          : null,
      totalEvents,
      appliedEvents: Math.min(totalEvents, ...projections.map((p) => p.appliedEvents)),
      projections,
    };
  }

  /** The last event a reader may safely see now, and how many events lie up to it. */
  private async endOfLog(): Promise<{ target: LogPosition | null; totalEvents: number }> {
    const { rows } = await this.pool.query<{
      events: string;
      transaction_id: string | null;
      global_position: string | null;
    }>(
      `WITH safe AS (SELECT transaction_id, global_position FROM events
                     WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot()))
       SELECT (SELECT count(*) FROM safe)::text AS events, last.transaction_id::text AS transaction_id,
              last.global_position::text AS global_position
       FROM (SELECT 1) one
       LEFT JOIN LATERAL (SELECT transaction_id, global_position FROM safe
                          ORDER BY transaction_id DESC, global_position DESC LIMIT 1) last ON true`,
    );
    const row = rows[0];
    return {
      totalEvents: Number(row.events),
      target:
        row.transaction_id === null || row.global_position === null
          ? null
          : { transactionId: row.transaction_id, globalPosition: row.global_position },
    };
  }
}
