/** Where an event stands in the commit-safe global order: (transaction id, position), compared as a pair. */
export interface LogPosition {
  readonly transactionId: string;
  readonly globalPosition: string;
}

export interface EventMetadata {
  readonly recordedBy?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly idempotencyKey?: string;
  /** Stored with the key, so that a restored log can re-create its idempotency records. */
  readonly requestHash?: string;
}

/** An idempotency key and the hash that tells a retry of the same request from a reuse of the key. */
export interface Idempotency {
  readonly key: string;
  readonly requestHash: string;
}

export interface NewEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
  /** World time; defaults to the append's server time. */
  readonly occurredAt?: Date | string;
  readonly eventId?: string;
  /**
   * This event's own idempotency record, written in the same statement as the append: when the key is
   * already stored, the append stores nothing and throws `IdempotentEventsPresentError`.
   */
  readonly idempotency?: Idempotency;
  /** This event's own metadata (its causation, say), over the append's. */
  readonly metadata?: EventMetadata;
}

export interface RecordedEvent<Type extends string = string, Data = unknown> {
  readonly eventId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: Type;
  readonly data: Data;
  readonly metadata: EventMetadata;
  /** ISO 8601, UTC. */
  readonly occurredAt: string;
  /** ISO 8601, UTC: when the store committed it. */
  readonly recordedAt: string;
  readonly position: LogPosition;
}

/** A number is the exact stream version the writer saw (0 = the stream must not exist yet). */
export type ExpectedVersion = number | 'no_stream' | 'any';

/** A row for an inline projection registered with the store, written in the append's own statement. */
export interface InlineProjectionWrite {
  readonly projection: string;
  readonly row: Readonly<Record<string, unknown>>;
}

export interface AppendOptions {
  readonly expectedVersion?: ExpectedVersion;
  readonly metadata?: EventMetadata;
  /** The request hash tells a retry (same hash) from a reuse of the key for something else. */
  readonly idempotency?: Idempotency;
  /**
   * The stream's state after these events (the writer has it from its `evolve`): the store derives the
   * rows of the stream kind's inline read models from it. Required for a kind that has inline read
   * models; an append to such a stream without it is refused.
   */
  readonly state?: unknown;
}

/** What an append statement is prepared from: the writer's options and the inline rows the store derived. */
export interface PreparedAppendOptions extends Omit<AppendOptions, 'state'> {
  readonly projections: readonly InlineProjectionWrite[];
}

export interface AppendResult {
  readonly streamId: string;
  /** The stream's version after the append: the expected version of the next writer. */
  readonly streamVersion: number;
  readonly events: readonly {
    readonly eventId: string;
    readonly streamVersion: number;
    readonly globalPosition: string;
  }[];
  /** True when an idempotent retry returned the first append's result and appended nothing. */
  readonly replayed: boolean;
}

export interface ReadStreamOptions {
  readonly fromVersion?: number;
  readonly toVersion?: number;
}

export interface ReadAllOptions {
  readonly after?: LogPosition | null;
  readonly limit?: number;
}

export interface ReadAllResult {
  readonly events: readonly RecordedEvent[];
  /** The position of the last event returned, or `after` when none: the reader's next checkpoint. */
  readonly checkpoint: LogPosition | null;
}

/**
 * The table of a read model kept in the append transaction: the store upserts the row its stream kind
 * derives into `table` in the same statement that appends the events, so a read after a write sees it.
 */
export interface InlineProjectionDefinition {
  readonly name: string;
  readonly table: string;
  readonly keyColumns: readonly string[];
  readonly columns: readonly string[];
  /**
   * Columns an append leaves to the table's defaults (the append's own time, say) but a restore must
   * carry over from the events, as the stream's kind gives them in its rows.
   */
  readonly restoredColumns?: readonly string[];
}

/** A read model of a stream kind kept in the append transaction: its table and its row for a state. */
export interface InlineProjection<State> {
  readonly definition: InlineProjectionDefinition;
  /** The stream's row for this state; null when the stream has none (a row already there is left as is). */
  row(state: State): Readonly<Record<string, unknown>> | null;
}

/**
 * A kind of stream a feature writes, registered once with the store: the prefix of its stream ids, the
 * types its events may have, the fold of a stream's events into its state, and the read models kept in
 * the append transaction, each row derived from that state. An append derives the rows from the state
 * its writer passes; a restore from the fold (see log-restore.ts).
 */
export interface StreamKind<State = unknown> {
  readonly streamPrefix: string;
  readonly eventTypes: readonly string[];
  /** `events` are the whole stream, in version order; null when they give no state. */
  fold(events: readonly RecordedEvent[]): State | null;
  readonly inline?: readonly InlineProjection<State>[];
}
