import type { LoggerService } from '@nestjs/common';
import type { Pool } from 'pg';
import { rollBackAndRelease } from '../database/pg-connections.js';
import type { EventStore } from '../event-store/event-store.js';
import type { LogPosition } from '../event-store/event-store.types.js';
import type { PreparedWrite, Projection } from './projection.js';
import { isStartOfLog } from '../event-store/log-position.js';
import type { Checkpoint, ProjectionCheckpoints } from './projection-checkpoints.js';

export interface ProjectionRunnerOptions {
  /** Events read from the log per batch; one batch is one transaction. */
  readonly batchSize: number;
  /** How long a caught-up runner sleeps when no wake-up comes: the fallback when a notification is lost. */
  readonly idlePollMs: number;
  /** The pause after a failed batch before the same batch is tried again. */
  readonly retryDelayMs: number;
  /**
   * After a batch that reached the head of the log, the pause before the next one: appends arriving
   * meanwhile then share one batch, instead of costing each read model a transaction per append.
   */
  readonly headPauseMs: number;
}

export const DEFAULT_RUNNER_OPTIONS: ProjectionRunnerOptions = {
  batchSize: 5000,
  idlePollMs: 1000,
  retryDelayMs: 1000,
  headPauseMs: 250,
};

export type BatchOutcome =
  | { readonly kind: 'caught_up' }
  | { readonly kind: 'applied'; readonly events: number; readonly position: LogPosition }
  /** Another runner or a rebuild moved the checkpoint first; nothing was written. */
  | { readonly kind: 'checkpoint_moved' };

export interface RunnerStatus {
  readonly running: boolean;
  readonly lastError: string | null;
  readonly lastErrorAt: string | null;
}

/**
 * Applies the global log to one projection, batch by batch, in commit-safe order. Each batch's writes
 * and the checkpoint move commit together, so a runner stopped anywhere resumes at the first event it
 * had not committed: nothing lost, nothing applied twice. Runs only while it leads its projection.
 */
export class ProjectionRunner {
  private generation: number | null = null;
  private loop: Promise<void> | null = null;
  private abort: AbortController | null = null;
  private wakeUp: (() => void) | null = null;
  private wokenWhileBusy = false;
  private lastError: { message: string; at: string } | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
    private readonly checkpoints: ProjectionCheckpoints,
    readonly projection: Projection,
    private readonly options: ProjectionRunnerOptions,
    private readonly logger: LoggerService,
  ) {}

  get status(): RunnerStatus {
    return {
      running: this.loop !== null,
      lastError: this.lastError?.message ?? null,
      lastErrorAt: this.lastError?.at ?? null,
    };
  }

  /**
   * Reads the next batch after the stored checkpoint and applies it. A projection that can build itself
   * in one pass (see {@link Projection.buildFromLog}) and stands at the start of the log does that instead:
   * one "batch" up to the commit-safe end of the log, after which it goes on batch by batch.
   */
  async applyNextBatch(): Promise<BatchOutcome> {
    const checkpoint = await this.checkpoints.read(this.projection.name);
    if (checkpoint.generation !== this.generation) {
      this.projection.forgetCachedState();
      this.generation = checkpoint.generation;
    }
    if (isStartOfLog(checkpoint.position) && this.projection.buildFromLog) {
      const build = await this.projection.buildFromLog();
      if (build) return this.commit(checkpoint, build, build.position, build.events);
    }
    const { events } = await this.store.readAll({
      after: checkpoint.position,
      limit: this.options.batchSize,
    });
    if (events.length === 0) return { kind: 'caught_up' };
    const prepared = await this.projection.prepare(events);
    return this.commit(checkpoint, prepared, events[events.length - 1].position, events.length);
  }

  /** Writes `prepared` and moves the checkpoint from `checkpoint` to `position`, in one transaction. */
  private async commit(
    checkpoint: Checkpoint,
    prepared: PreparedWrite | null,
    position: LogPosition,
    events: number,
  ): Promise<BatchOutcome> {
    // The transaction holds its connection for writes only: on the embedded engine it is the only one.
    const client = await this.pool.connect();
    let moved: boolean;
    try {
      await client.query('BEGIN');
      if (prepared) await prepared.write(client);
      moved = await this.checkpoints.advance(client, checkpoint, position, events);
      await client.query(moved ? 'COMMIT' : 'ROLLBACK');
    } catch (error) {
      this.projection.forgetCachedState();
      await rollBackAndRelease(client, error);
      throw error;
    }
    client.release();
    if (!moved) {
      this.projection.forgetCachedState();
      return { kind: 'checkpoint_moved' };
    }
    prepared?.committed();
    return { kind: 'applied', events, position };
  }

  /** Applies batches until the log (as far as it is commit-safe to read) is exhausted. For the CLI and tests. */
  async catchUp(onBatch?: (outcome: BatchOutcome) => void): Promise<void> {
    for (;;) {
      const outcome = await this.applyNextBatch();
      onBatch?.(outcome);
      if (outcome.kind === 'caught_up') return;
    }
  }

  /** Starts the loop: batches while there is work, sleeps until woken (or the poll interval) when there is none. */
  start(): void {
    if (this.loop) return;
    const abort = new AbortController();
    this.abort = abort;
    this.loop = this.run(abort.signal);
  }

  /** Stops the loop after the batch in flight, if any, has committed or rolled back. */
  async stop(): Promise<void> {
    const loop = this.loop;
    if (!loop) return;
    this.abort?.abort();
    this.wakeUp?.();
    await loop;
    this.loop = null;
    this.abort = null;
  }

  /** New events may be there: run a batch now instead of at the next poll. */
  wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.wokenWhileBusy = true;
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      this.wokenWhileBusy = false;
      let delayMs = 0;
      try {
        const outcome = await this.applyNextBatch();
        if (this.lastError) this.logger.log(`projection ${this.projection.name} recovered`);
        this.lastError = null;
        if (outcome.kind === 'caught_up') delayMs = this.options.idlePollMs;
        if (outcome.kind === 'applied' && outcome.events < this.options.batchSize) {
          await pause(this.options.headPauseMs, signal);
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (this.lastError?.message !== message) {
          this.logger.error(`projection ${this.projection.name}: batch failed, retrying: ${message}`);
        }
        this.lastError = { message, at: new Date().toISOString() };
        delayMs = this.options.retryDelayMs;
      }
      if (delayMs > 0 && !this.wokenWhileBusy && !signal.aborted) await this.sleep(delayMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = null;
        done();
      };
    }).finally(() => {
      this.wakeUp = null;
    });
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
