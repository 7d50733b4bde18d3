import type { PoolClient } from 'pg';
import type { LogPosition, RecordedEvent } from '../event-store/event-store.types.js';
import type { ReadModelAudit } from './read-model-audit.js';

/** A batch's changes to a read model, ready to be written. */
export interface PreparedWrite {
  /** Runs inside the transaction that also moves the checkpoint. */
  write(client: PoolClient): Promise<void>;
  /** Called once that transaction has committed: state kept between batches may move on only then. */
  committed(): void;
}

/** A read model built in one pass from the log up to `position`, ready to be written into its empty tables. */
export interface BuildFromLog extends PreparedWrite {
  /** The last event the build covers, in commit-safe order: the checkpoint moves there. */
  readonly position: LogPosition;
  /** How many events of the log lie up to `position` (all streams): what the checkpoint counts as applied. */
  readonly events: number;
}

/**
 * A read model built by a catch-up projector from the global log. The projector hands it the log in
 * commit-safe order, batch by batch; `prepare` may read (never inside a transaction: the embedded
 * engine has a single connection) and returns what to write, and the projector writes it in the same
 * transaction as the checkpoint. A rebuild empties `tables` and replays the log from the start.
 */
export interface Projection {
  /** Stable: it keys the checkpoint and the leadership lock. */
  readonly name: string;
  /** The tables this projection alone writes. */
  readonly tables: readonly string[];
  /** What to write for this batch, or null when nothing in it concerns this read model. */
  prepare(batch: readonly RecordedEvent[]): Promise<PreparedWrite | null>;
  /**
   * Optional fast path for a read model whose checkpoint stands at the start of the log (so its tables
   * are empty): build it from the log up to a commit-safe position in one pass instead of replaying the
   * log batch by batch. Reads outside any transaction; null means "replay instead".
   */
  buildFromLog?(): Promise<BuildFromLog | null>;
  /** Forgets any state kept between batches: the read model was reset, or another runner wrote to it. */
  forgetCachedState(): void;
  /** Optional: how the read-model audit (`projections:verify`) holds this projection's rows against the events. */
  readonly audit?: ReadModelAudit;
}
