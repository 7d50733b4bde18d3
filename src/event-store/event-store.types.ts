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
  readonly projections?: readonly InlineProjectionWrite[];
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
 * A read model kept in the append transaction. The feature computes the row (its `evolve`); the store
 * upserts it into `table` in the same statement that appends the events, so a read after a write sees it.
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

/**
 * A kind of stream a feature writes, as a restore must know it: the types its events may have, and the
 * rows its inline read models hold for a stream, from the stream's events alone (see log-restore.ts).
 */
export interface StreamKind {
  readonly streamPrefix: string;
  readonly eventTypes: readonly string[];
  /** `events` are the whole stream, in version order. */
  inlineRows(streamId: string, events: readonly RecordedEvent[]): readonly InlineProjectionWrite[];
}
