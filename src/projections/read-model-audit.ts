import type { Pool } from 'pg';
import type { EventStore } from '../event-store/event-store.js';
import type { LogPosition, RecordedEvent } from '../event-store/event-store.types.js';
import { compareLogPositions } from '../event-store/log-position.js';
import {
  describeRowDifference,
  type FieldDifference,
  type RowDifferenceKind,
  streamRowDifferences,
} from './row-differences.js';
import type { AuditableStreamRows, StreamStates, VersionedState } from './stream-read-model.js';

/** A row of a read model that differs from what its stream's events give. */
export interface ReadModelDifference {
  readonly streamId: string;
  readonly readModel: string;
  readonly table: string;
  /** The row's key columns (`party=VN`); empty for a model with one row per stream. */
  readonly row: string;
  readonly kind: RowDifferenceKind;
  readonly fields: readonly FieldDifference[];
  /** One line for a person: which table, which row, which values. */
  readonly description: string;
}

/** A stream folded from its events alone, and where its latest event stands in the log. */
export interface FoldedStream<State> extends VersionedState<State> {
  readonly lastPosition: LogPosition;
}

/** What one read model's audit of some streams found. */
export interface AuditOutcome {
  /** Streams whose rows were compared. */
  readonly compared: number;
  /** Streams left out: their latest event is past the position up to which the rows are settled. */
  readonly notCompared: readonly string[];
  readonly differences: readonly ReadModelDifference[];
}

/**
 * A read model the audit (`projections:verify`) can hold against the events. The audit reads the stored
 * rows of a set of streams first and folds the streams' events after, so a write in between shows up as
 * an event past the settled position, never as a difference.
 */
export interface ReadModelAudit {
  readonly readModel: string;
  readonly tables: readonly string[];
  /** Every stream it has rows for starts with this. */
  readonly streamPrefix: string;
  /**
   * The catch-up projection that writes it, whose checkpoint bounds which streams are settled; null for
   * a read model written in the append statement itself, settled as soon as the events are committed.
   */
  readonly projection: string | null;
  /** The stored rows of those of `streamIds` that start with its prefix, by stream id. */
  readStoredRows(pool: Pool, streamIds: readonly string[]): Promise<Map<string, readonly unknown[]>>;
  /** Compares them with the rows the fresh folds give, for the streams settled up to `settledUpTo`. */
  compare(
    stored: ReadonlyMap<string, readonly unknown[]>,
    fresh: FreshStreams,
    settledUpTo: LogPosition,
  ): Promise<AuditOutcome>;
}

/**
 * The streams of one step of an audit, read from the log once and folded once per source of state,
 * however many read models are held against them. Reads nothing until asked.
 */
export class FreshStreams {
  private events: Promise<Map<string, RecordedEvent[]>> | null = null;
  private readonly folds = new Map<StreamStates<unknown>, Promise<Map<string, FoldedStream<unknown>>>>();

  constructor(
    private readonly store: EventStore,
    readonly streamIds: readonly string[],
  ) {}

  foldedBy<State>(states: StreamStates<State>): Promise<Map<string, FoldedStream<State>>> {
    let folded = this.folds.get(states);
    if (!folded) {
      folded = this.read().then((streams) => {
        const result = new Map<string, FoldedStream<unknown>>();
        for (const [streamId, events] of streams) {
          if (!streamId.startsWith(states.streamPrefix) || events.length === 0) continue;
          result.set(streamId, {
            version: events[events.length - 1].streamVersion,
            state: states.foldEvents(streamId, events),
            lastPosition: lastPosition(events),
          });
        }
        return result;
      });
      this.folds.set(states, folded);
    }
    return folded as Promise<Map<string, FoldedStream<State>>>;
  }

  /** Where each of the streams ends in the log (the streams that exist). */
  async lastPositions(): Promise<Map<string, LogPosition>> {
    const streams = await this.read();
    return new Map([...streams].map(([streamId, events]) => [streamId, lastPosition(events)]));
  }

  private read(): Promise<Map<string, RecordedEvent[]>> {
    this.events ??= this.store.readStreams(this.streamIds);
    return this.events;
  }
}

function lastPosition(events: readonly RecordedEvent[]): LogPosition {
  let last = events[0].position;
  for (const event of events) if (compareLogPositions(event.position, last) > 0) last = event.position;
  return last;
}

/** The audit of a read model whose rows are a function of each stream's state (see `StreamRows`). */
export class StreamRowsAudit<Row, State> implements ReadModelAudit {
  constructor(
    private readonly states: StreamStates<State>,
    private readonly model: AuditableStreamRows<Row, State>,
    readonly projection: string | null,
  ) {}

  get readModel(): string {
    return this.model.name;
  }

  get tables(): readonly string[] {
    return this.model.tables;
  }

  get streamPrefix(): string {
    return this.states.streamPrefix;
  }

  readStoredRows(pool: Pool, streamIds: readonly string[]): Promise<Map<string, readonly unknown[]>> {
    return this.model.readRows(
      pool,
      streamIds.filter((streamId) => streamId.startsWith(this.streamPrefix)),
    );
  }

  async compare(
    stored: ReadonlyMap<string, readonly unknown[]>,
    fresh: FreshStreams,
    settledUpTo: LogPosition,
  ): Promise<AuditOutcome> {
    const folded = await fresh.foldedBy(this.states);
    const table = this.model.tables.join(', ');
    const notCompared: string[] = [];
    const differences: ReadModelDifference[] = [];
    let compared = 0;
    for (const [streamId, stream] of folded) {
      if (compareLogPositions(stream.lastPosition, settledUpTo) > 0) {
        notCompared.push(streamId);
        continue;
      }
      compared++;
      const expected = stream.state === null ? [] : this.model.rowsOf(streamId, stream.state);
      for (const difference of streamRowDifferences(
        stored.get(streamId) ?? [],
        expected,
        this.model.rowKey ?? [],
      )) {
        differences.push({
          streamId,
          readModel: this.model.name,
          table,
          ...difference,
          description: describeRowDifference(table, difference),
        });
      }
    }
    return { compared, notCompared, differences };
  }
}
