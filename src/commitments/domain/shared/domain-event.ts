import type { IsoInstant, Source } from './vocabulary.js';

/** Emmett-style event: a stable type string and the data that came with it. */
export interface DomainEvent<Type extends string, Data> {
  readonly type: Type;
  readonly data: Readonly<Data>;
}

/** An event of any family, as another family's rules see it: its type, and data they do not read. */
export type AnyEvent = DomainEvent<string, unknown>;

/** What every development reported from the world carries: where it comes from, and at which meeting. */
export interface Provenance {
  source: Source;
  meeting?: string;
}

/**
 * An event as stored in a commitment's stream.
 * - `version`: position in the stream, first event = 1.
 * - `occurredAt`: world time (when it happened), ISO UTC; it orders the fold.
 * - `recordedAt`: server time of the append, ISO UTC; it filters `knownAt` reads.
 * - `recordedBy`: name of the API key that appended it.
 */
export interface RecordedEvent<Event extends AnyEvent> {
  readonly eventId: string;
  readonly version: number;
  readonly occurredAt: IsoInstant;
  readonly recordedAt: IsoInstant;
  readonly recordedBy?: string;
  readonly event: Event;
}
