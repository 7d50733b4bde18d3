import type { Pool } from 'pg';
import { formatLogPosition, isStartOfLog } from '../event-store/log-position.js';
import { type Checkpoint, type Lag, ProjectionCheckpoints } from './projection-checkpoints.js';
import { LEADERSHIP_APPLICATION_NAME, type ProjectionSupervisor } from './projection-supervisor.js';
import { PROJECTION_LOCK_CLASS, projectionLockKey } from './projection-leadership.js';

export type ProjectionState = 'live' | 'catching_up' | 'rebuilding' | 'failing' | 'stopped';

export interface ProjectionOverview {
  readonly name: string;
  readonly state: ProjectionState;
  /** The last event applied; null before the first. */
  readonly checkpoint: {
    readonly position: string;
    readonly updatedAt: string;
    readonly eventsApplied: number;
  } | null;
  readonly lag: Lag;
  /** Which instance runs it: its id, and whether it is the instance that answered. */
  readonly runner: { readonly instance: string | null; readonly here: boolean };
  readonly lastError: string | null;
  readonly rebuild: { readonly jobId: string; readonly finishedAt: string | null } | null;
}

/** Each projection's checkpoint, lag, runner and state, as seen from this instance. */
export async function overviewOfProjections(
  pool: Pool,
  supervisor: ProjectionSupervisor,
): Promise<ProjectionOverview[]> {
  // Read through the caller's pool (a request's), not the runners' background pool.
  const readings = new ProjectionCheckpoints(pool);
  const checkpoints = new Map((await readings.readAll()).map((c) => [c.projection, c]));
  const runnersElsewhere = await runnerInstances(pool);
  const overviews: ProjectionOverview[] = [];
  for (const projection of supervisor.projections) {
    const checkpoint = checkpoints.get(projection.name);
    const runner = supervisor.runner(projection.name).status;
    const elsewhere = runnersElsewhere.get(projectionLockKey(projection.name));
    const instance = runner.running ? supervisor.instanceId : (elsewhere ?? null);
    const lag = checkpoint ? await readings.lag(checkpoint.position) : { events: 0, seconds: 0 };
    overviews.push({
      name: projection.name,
      state: stateOf(checkpoint, lag, runner.running || elsewhere !== undefined, runner.lastError),
      checkpoint:
        checkpoint && !isStartOfLog(checkpoint.position)
          ? {
              position: formatLogPosition(checkpoint.position),
              updatedAt: checkpoint.updatedAt,
              eventsApplied: checkpoint.eventsApplied,
            }
          : null,
      lag,
      runner: { instance, here: runner.running },
      lastError: runner.lastError,
      rebuild: checkpoint?.rebuildJobId
        ? { jobId: checkpoint.rebuildJobId, finishedAt: checkpoint.rebuildFinishedAt }
        : null,
    });
  }
  return overviews;
}

function stateOf(
  checkpoint: Checkpoint | undefined,
  lag: Lag,
  running: boolean,
  lastError: string | null,
): ProjectionState {
  if (!running) return 'stopped';
  if (lastError !== null) return 'failing';
  if (checkpoint?.rebuildJobId && checkpoint.rebuildFinishedAt === null) return 'rebuilding';
  return lag.events > 0 ? 'catching_up' : 'live';
}

/**
 * Lock key → instance id of whoever holds each projection lock in this database, read from the holder's
 * application_name. Empty on the embedded engine, where nobody takes locks.
 */
async function runnerInstances(pool: Pool): Promise<Map<number, string>> {
  const { rows } = await pool.query<{ key: string; application_name: string | null }>(
    `SELECT l.objid::text AS key, a.application_name
     FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
       AND l.classid = $1::bigint::oid
       AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [PROJECTION_LOCK_CLASS],
  );
  const prefix = `${LEADERSHIP_APPLICATION_NAME} `;
  return new Map(
    rows.map((row) => [
      Number(row.key),
      row.application_name?.startsWith(prefix)
        ? row.application_name.slice(prefix.length)
        : 'another instance',
    ]),
  );
}
