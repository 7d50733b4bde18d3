import type { Pool } from 'pg';
import type { EventStore } from '../event-store/event-store.js';
import type { LogPosition } from '../event-store/event-store.types.js';
import { compareLogPositions, formatLogPosition, START_OF_LOG } from '../event-store/log-position.js';
import { commitSafeEndOfLog } from '../event-store/log-snapshot.js';
import type { Checkpoint } from './projection-checkpoints.js';
import type { ProjectionSupervisor } from './projection-supervisor.js';
import { FreshStreams, type ReadModelAudit, type ReadModelDifference } from './read-model-audit.js';

/** Streams read, folded and compared per step. */
const STREAMS_PER_STEP = 500;
/** The report lists this many differences at most; it counts them all. */
export const MAX_LISTED_DIFFERENCES = 1000;

export interface VerifyOptions {
  /** Check this many streams, picked at random, instead of every stream. */
  readonly sample?: number;
  /** Called before the first step and after each, with the streams done and the streams to do. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ReadModelVerification {
  readonly name: string;
  readonly tables: readonly string[];
  /** The catch-up projection that writes it; null for a read model written in the append itself. */
  readonly projection: string | null;
  readonly streamsCompared: number;
  /** Streams not compared because the projection had not yet applied their latest event. */
  readonly streamsBehind: number;
  readonly differences: number;
}

export interface VerificationReport {
  /** The commit-safe end of the log the read models were held against (log position text); null: empty log. */
  readonly upTo: string | null;
  readonly sample: number | null;
  /** Streams folded from their events and compared with every read model settled for them. */
  readonly streamsChecked: number;
  /** Streams with events past `upTo`, written while the audit ran: left for the next audit. */
  readonly streamsChanged: number;
  readonly readModels: readonly ReadModelVerification[];
  readonly differenceCount: number;
  /** The first {@link MAX_LISTED_DIFFERENCES} differences, in stream order. */
  readonly differences: readonly ReadModelDifference[];
  readonly startedAt: string;
  readonly durationMs: number;
}

/**
 * The read-model audit: refolds every stream (or a random sample) from its events alone and reports
 * every row of every audited read model that differs from what those events give. It compares only
 * what is settled: streams whose events all lie at or before the commit-safe end of the log read first,
 * and, for a catch-up projection, at or before its checkpoint (a projection that is behind lags, it is
 * not wrong). Features contribute read models: catch-up projections through their `audit`, read models
 * written in the append statement through {@link registerInline}.
 */
export class ReadModelVerifier {
  private readonly inline: ReadModelAudit[] = [];

  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
    private readonly supervisor: ProjectionSupervisor,
  ) {}

  /** Audits a read model that the append statement itself keeps (no projection runs it). */
  registerInline(audit: ReadModelAudit): void {
    if (this.audits.some((known) => known.readModel === audit.readModel))
      throw new Error(`read model ${audit.readModel} registered twice for the audit`);
    this.inline.push(audit);
  }

  get audits(): readonly ReadModelAudit[] {
    return [
      ...this.inline,
      ...this.supervisor.projections.flatMap((projection) => (projection.audit ? [projection.audit] : [])),
    ];
  }

  async verify(options: VerifyOptions = {}): Promise<VerificationReport> {
    const startedAt = new Date();
    const audits = this.audits;
    // The end first: every event at or before it is committed, and no transaction can add one there.
    const end = (await commitSafeEndOfLog(this.pool))?.position ?? null;
    const upTo = end ?? START_OF_LOG;
    const streamIds = sampleOf(await this.streamIds(audits), options.sample);
    const tallies = audits.map(() => ({ compared: 0, behind: 0, differences: 0 }));
    const differences: ReadModelDifference[] = [];
    let streamsChecked = 0;
    let streamsChanged = 0;
    options.onProgress?.(0, streamIds.length);

    for (let start = 0; start < streamIds.length; start += STREAMS_PER_STEP) {
      const ids = streamIds.slice(start, start + STREAMS_PER_STEP);
      // The rows before the events: a write in between then shows as an event past the end, not as a
      // difference. The checkpoints around the row reads tell whether a rebuild emptied a table meanwhile.
      const before = await this.checkpoints();
      const stored: ReadonlyMap<string, readonly unknown[]>[] = [];
      for (const audit of audits) stored.push(await audit.readStoredRows(this.pool, ids));
      const after = await this.checkpoints();
      const fresh = new FreshStreams(this.store, ids);
      const outcomes = [];
      for (const [index, audit] of audits.entries()) {
        outcomes.push(await audit.compare(stored[index], fresh, settledUpTo(audit, upTo, before, after)));
      }

      const lastPositions = await fresh.lastPositions();
      const changed = (streamId: string) => {
        const last = lastPositions.get(streamId);
        return last !== undefined && compareLogPositions(last, upTo) > 0;
      };
      for (const streamId of lastPositions.keys()) {
        if (changed(streamId)) streamsChanged++;
        else streamsChecked++;
      }
      for (const [index, outcome] of outcomes.entries()) {
        tallies[index].compared += outcome.compared;
        tallies[index].behind += outcome.notCompared.filter((streamId) => !changed(streamId)).length;
        tallies[index].differences += outcome.differences.length;
        for (const difference of outcome.differences) {
          if (differences.length < MAX_LISTED_DIFFERENCES) differences.push(difference);
        }
      }
      options.onProgress?.(start + ids.length, streamIds.length);
    }

    return {
      upTo: end === null ? null : formatLogPosition(end),
      sample: options.sample ?? null,
      streamsChecked,
      streamsChanged,
      readModels: audits.map((audit, index) => ({
        name: audit.readModel,
        tables: audit.tables,
        projection: audit.projection,
        streamsCompared: tallies[index].compared,
        streamsBehind: tallies[index].behind,
        differences: tallies[index].differences,
      })),
      differenceCount: tallies.reduce((sum, tally) => sum + tally.differences, 0),
      differences: differences.sort((a, b) =>
        a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0,
      ),
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
    };
  }

  /** Every stream some audited read model covers, in id order. */
  private async streamIds(audits: readonly ReadModelAudit[]): Promise<string[]> {
    const ids = new Set<string>();
    for (const prefix of new Set(audits.map((audit) => audit.streamPrefix))) {
      for (const streamId of await this.store.streamIdsStartingWith(prefix)) ids.add(streamId);
    }
    return [...ids].sort();
  }

  private async checkpoints(): Promise<Map<string, Checkpoint>> {
    return new Map((await this.supervisor.checkpoints.readAll()).map((c) => [c.projection, c]));
  }
}

/**
 * How far an audit's rows are settled: the end of the log for a read model written with the events;
 * for a projection, its checkpoint too, unless a rebuild reset it while the rows were being read.
 */
function settledUpTo(
  audit: ReadModelAudit,
  end: LogPosition,
  before: ReadonlyMap<string, Checkpoint>,
  after: ReadonlyMap<string, Checkpoint>,
): LogPosition {
  if (audit.projection === null) return end;
  const checkpoint = before.get(audit.projection);
  if (!checkpoint || checkpoint.generation !== after.get(audit.projection)?.generation) return START_OF_LOG;
  return compareLogPositions(checkpoint.position, end) < 0 ? checkpoint.position : end;
}

/** `size` of the ids picked at random (all of them when `size` is absent or not smaller), in id order. */
function sampleOf(ids: readonly string[], size: number | undefined): string[] {
  if (size === undefined || size >= ids.length) return [...ids];
  const pool = [...ids];
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(Math.random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, size).sort();
}
