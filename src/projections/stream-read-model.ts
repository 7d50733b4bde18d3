import type { Pool, PoolClient } from 'pg';
import type { RecordedEvent } from '../event-store/event-store.types.js';

/** A stream's state and the stream version it stands at (0: the stream does not exist). */
export interface VersionedState<State> {
  readonly version: number;
  /** Null when the stream yields no rows (nothing proposed, say). */
  readonly state: State | null;
}

/**
 * Where the current state of each stream of one kind comes from: a feature keeps it (for commitments,
 * the snapshot its inline projection writes with every append), so a read model never folds a history.
 * A state is at least as recent as every committed event of its stream; it may be newer than a batch,
 * which later batches then find already applied.
 */
export interface StreamStates<State> {
  /** Every stream it knows has an id that starts with this. */
  readonly streamPrefix: string;
  /** The states of these streams (the ones that exist). */
  load(streamIds: readonly string[]): Promise<Map<string, VersionedState<State>>>;
  /** Every stream's state, for a one-pass build. */
  forEach(onState: (streamId: string, state: VersionedState<State>) => void): Promise<void>;
  /**
   * The state a stream's events give, folded from them alone, never from any stored state: what the
   * read-model audit holds every stored row against. `events` are the whole stream, in version order.
   */
  foldEvents(streamId: string, events: readonly RecordedEvent[]): State | null;
}

/** The rows a stream has in a read model, as a function of the stream's state. */
export interface StreamRows<Row, State> {
  readonly name: string;
  readonly tables: readonly string[];
  rowsOf(streamId: string, state: State): Row[];
  /**
   * Optional, for the read-model audit (`projections:verify`): the stored rows of these streams, by
   * stream id, in the shape `rowsOf` gives them. Dates are read as text (node-pg would turn a `date` into
   * a local midnight); a `timestamptz` may come as a `Date`, which the audit compares as ISO text.
   */
  readRows?(pool: Pool, streamIds: readonly string[]): Promise<Map<string, Row[]>>;
  /** The columns that tell one stream's rows apart, for the audit's report ("party=VN"); default none. */
  readonly rowKey?: readonly (keyof Row & string)[];
}

/** Stream rows the audit can read back. */
export type AuditableStreamRows<Row, State> = StreamRows<Row, State> &
  Required<Pick<StreamRows<Row, State>, 'readRows'>>;

/** A read model whose rows for a stream are a function of that stream's current state. */
export interface StreamReadModel<Row, State> extends StreamRows<Row, State> {
  /** Deletes every row of `streamIds`. */
  deleteRows(client: PoolClient, streamIds: readonly string[]): Promise<void>;
  /** Inserts `rows` (a few thousand at most per call). */
  insertRows(client: PoolClient, rows: readonly Row[]): Promise<void>;
}

export function isAuditable<Row, State>(
  model: StreamRows<Row, State>,
): model is AuditableStreamRows<Row, State> {
  return model.readRows !== undefined;
}
