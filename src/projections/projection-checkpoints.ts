import type { Pool, PoolClient } from 'pg';
import type { LogPosition } from '../event-store/event-store.types.js';

export interface Checkpoint {
  readonly projection: string;
  /** The last event applied, or the start of the log (`START_OF_LOG`). */
  readonly position: LogPosition;
  readonly generation: number;
  /** Events applied since the projection was created or last reset. */
  readonly eventsApplied: number;
  readonly updatedAt: string;
  readonly rebuildJobId: string | null;
  readonly rebuildFinishedAt: string | null;
}

export interface Lag {
  /** Events in the log after the checkpoint. */
  readonly events: number;
  /** How long the oldest of them has waited; 0 when there is none. */
  readonly seconds: number;
}

interface CheckpointRow {
  projection: string;
  transaction_id: string;
  global_position: string;
  generation: number;
  events_applied: string;
  updated_at: Date;
  rebuild_job_id: string | null;
  rebuild_finished_at: Date | null;
}

const CHECKPOINT_COLUMNS = `projection, transaction_id::text AS transaction_id, global_position::text AS global_position,
  generation, events_applied::text AS events_applied, updated_at, rebuild_job_id, rebuild_finished_at`;

/** The `projection_checkpoints` table: each projection's position in the log, moved only with its writes. */
export class ProjectionCheckpoints {
  constructor(private readonly pool: Pool) {}

  async ensureExist(projections: readonly string[]): Promise<void> {
    await this.pool.query(
      `INSERT INTO projection_checkpoints (projection) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`,
      [projections],
    );
  }

  async read(projection: string): Promise<Checkpoint> {
    const { rows } = await this.pool.query<CheckpointRow>({
      name: 'projection_checkpoint',
      text: `SELECT ${CHECKPOINT_COLUMNS} FROM projection_checkpoints WHERE projection = $1`,
      values: [projection],
    });
    if (rows.length === 0) throw new Error(`projection ${projection} has no checkpoint row`);
    return toCheckpoint(rows[0]);
  }

  async readAll(): Promise<Checkpoint[]> {
    const { rows } = await this.pool.query<CheckpointRow>(
      `SELECT ${CHECKPOINT_COLUMNS} FROM projection_checkpoints ORDER BY projection`,
    );
    return rows.map(toCheckpoint);
  }

  /**
   * Moves the checkpoint from `from` to `to` inside the caller's transaction, and only if it still stands
   * at `from` (same generation, same position). False means another runner or a rebuild moved it first:
   * the caller must roll back its writes. This is what keeps two runners from both applying a batch.
   */
  async advance(
    client: PoolClient,
    from: Checkpoint,
    to: LogPosition,
    eventsApplied: number,
  ): Promise<boolean> {
    const { rowCount } = await client.query({
      name: 'projection_checkpoint_advance',
      text: `UPDATE projection_checkpoints
             SET transaction_id = $2::xid8, global_position = $3::bigint, events_applied = events_applied + $4,
                 updated_at = now(),
                 rebuild_finished_at = CASE
                   WHEN rebuild_finished_at IS NULL AND rebuild_target_transaction_id IS NOT NULL
                    AND ($2::xid8, $3::bigint) >= (rebuild_target_transaction_id, rebuild_target_global_position)
                   THEN now() ELSE rebuild_finished_at END
             WHERE projection = $1 AND generation = $5
               AND transaction_id = $6::xid8 AND global_position = $7::bigint`,
      values: [
        from.projection,
        to.transactionId,
        to.globalPosition,
        eventsApplied,
        from.generation,
        from.position.transactionId,
        from.position.globalPosition,
      ],
    });
    return rowCount === 1;
  }

  /**
   * Puts the checkpoints back to the start of the log under a new generation, for a rebuild up to `target`
   * (null: the log is empty, so the rebuild is finished as soon as it starts). Runs in the caller's
   * transaction, after the read models were emptied.
   */
  async resetForRebuild(
    client: PoolClient,
    projections: readonly string[],
    jobId: string,
    target: LogPosition | null,
  ): Promise<void> {
    await client.query(
      `UPDATE projection_checkpoints
       SET transaction_id = '0', global_position = 0, generation = generation + 1, events_applied = 0,
           updated_at = now(), rebuild_job_id = $2, rebuild_target_transaction_id = $3::xid8,
           rebuild_target_global_position = $4::bigint, rebuild_started_at = now(),
           rebuild_finished_at = CASE WHEN $3::xid8 IS NULL THEN now() END
       WHERE projection = ANY($1::text[])`,
      [projections, jobId, target?.transactionId ?? null, target?.globalPosition ?? null],
    );
  }

  async lag(position: LogPosition): Promise<Lag> {
    const { rows } = await this.pool.query<{ events: string; seconds: number | null }>({
      name: 'projection_lag',
      text: `SELECT count(*)::text AS events, extract(epoch FROM now() - min(recorded_at))::float8 AS seconds
             FROM events WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)`,
      values: [position.transactionId, position.globalPosition],
    });
    return {
      events: Number(rows[0].events),
      seconds: Math.max(0, Math.round((rows[0].seconds ?? 0) * 10) / 10),
    };
  }
}

function toCheckpoint(row: CheckpointRow): Checkpoint {
  return {
    projection: row.projection,
    position: { transactionId: row.transaction_id, globalPosition: row.global_position },
    generation: row.generation,
    eventsApplied: Number(row.events_applied),
    updatedAt: row.updated_at.toISOString(),
    rebuildJobId: row.rebuild_job_id,
    rebuildFinishedAt: row.rebuild_finished_at?.toISOString() ?? null,
  };
}
