import type { AppendResult, ExpectedVersion } from './event-store.types.js';

/** Errors of the event store, each with a stable code the HTTP layer maps in one place. */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class ConcurrencyError extends EventStoreError {
  readonly code = 'EVENT_STORE.CONCURRENCY';
  constructor(
    readonly streamId: string,
    readonly expectedVersion: ExpectedVersion,
    readonly actualVersion: number | null,
  ) {
    super(
      `stream ${streamId} is at version ${actualVersion ?? 'unknown'}, the append expected ${String(expectedVersion)}`,
    );
  }
}

export class StreamNotFoundError extends EventStoreError {
  readonly code = 'EVENT_STORE.STREAM_NOT_FOUND';
  constructor(readonly streamId: string) {
    super(`stream ${streamId} does not exist`);
  }
}

export class IdempotencyKeyReusedError extends EventStoreError {
  readonly code = 'EVENT_STORE.IDEMPOTENCY_KEY_REUSED';
  /** `key` as stored: scoped to who sent it (`<name>:<Idempotency-Key>`); the message shows the client's part. */
  constructor(readonly key: string) {
    super(
      `the Idempotency-Key ${JSON.stringify(key.slice(key.indexOf(':') + 1))} was already used for a different request`,
    );
  }
}

/** An idempotency record already stored for a key: the request it was first used for and what it appended. */
export interface StoredIdempotency {
  readonly key: string;
  readonly requestHash: string;
  readonly result: AppendResult;
}

/**
 * Some events of an append carried idempotency keys that are already stored (by an earlier append, or by
 * a concurrent one that committed first): the append stored nothing. The caller decides again without
 * those events, which are already in the log (or, when the request hash differs, were something else).
 */
export class IdempotentEventsPresentError extends EventStoreError {
  readonly code = 'EVENT_STORE.IDEMPOTENT_EVENTS_PRESENT';
  constructor(
    readonly streamId: string,
    readonly present: readonly StoredIdempotency[],
  ) {
    super(
      `stream ${streamId}: ${present.length} event(s) of the append carry idempotency keys already stored; nothing was appended`,
    );
  }
}

export class EventNotInLogError extends EventStoreError {
  readonly code = 'EVENT_STORE.EVENT_NOT_FOUND';
  constructor(readonly eventId: string) {
    super(`no event ${eventId} is in the log`);
  }
}

/** A restore writes only into an empty log: it would otherwise interleave two histories. */
export class LogNotEmptyError extends EventStoreError {
  readonly code = 'EVENT_STORE.LOG_NOT_EMPTY';
  constructor(readonly counts: Readonly<Record<string, number>>) {
    super(
      `the database is not empty (${Object.entries(counts)
        .filter(([, count]) => count > 0)
        .map(([table, count]) => `${table}: ${count} row${count === 1 ? '' : 's'}`)
        .join(', ')}): a restore writes only into an empty database, so nothing was written`,
    );
  }
}
