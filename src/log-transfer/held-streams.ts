import type { LogPosition, RecordedEvent, StreamKind } from '../event-store/event-store.types.js';
import { type ExportedEvent, recordedEventOf } from '../event-store/log-export-format.js';

/** An event kept for its stream's fold; its position is known once its batch is inserted. */
export interface HeldEvent {
  readonly event: ExportedEvent;
  position: LogPosition | null;
}

/** A stream whose inline read-model rows the restore writes. */
export interface RestoredStream {
  readonly streamId: string;
  readonly kind: StreamKind;
}

/**
 * A restore's events kept in memory by stream, so that each stream is folded from what the file gave
 * instead of being read back from the database once inserted (the read-back cost a restore a sixth of
 * its time) — within a budget of export bytes. When the next event would exceed it, every stream held
 * so far is let go and read back at the end instead; streams that start later are held again. Memory
 * stays bounded whatever the file's size, and a file within the budget is never read back.
 */
export class HeldStreams {
  private readonly held = new Map<string, RestoredStream & { readonly events: HeldEvent[] }>();
  private readonly readBack = new Map<string, StreamKind>();
  private bytes = 0;

  constructor(private readonly budgetBytes: number) {}

  /** Takes the file's next event (`bytes` its line's length): held, or null when its stream is read back. */
  add(kind: StreamKind, event: ExportedEvent, bytes: number): HeldEvent | null {
    if (this.bytes + bytes > this.budgetBytes) this.letGo();
    const { streamId } = event;
    if (this.readBack.has(streamId) || bytes > this.budgetBytes) {
      this.readBack.set(streamId, kind);
      return null;
    }
    const held: HeldEvent = { event, position: null };
    const stream = this.held.get(streamId);
    if (stream) stream.events.push(held);
    else this.held.set(streamId, { streamId, kind, events: [held] });
    this.bytes += bytes;
    return held;
  }

  get streamCount(): number {
    return this.held.size + this.readBack.size;
  }

  /** The streams held whole, in order of their first event. */
  heldStreams(): RestoredStream[] {
    return [...this.held.values()];
  }

  /** A held stream's events as the log reads them back, in version order. */
  eventsOf(streamId: string): RecordedEvent[] {
    return (this.held.get(streamId)?.events ?? []).map(({ event, position }) => {
      if (!position) throw new Error(`event ${event.eventId} was folded before it was inserted`);
      return recordedEventOf(event, position);
    });
  }

  /** The streams let go, to be read back from the database. */
  readBackStreams(): RestoredStream[] {
    return [...this.readBack].map(([streamId, kind]) => ({ streamId, kind }));
  }

  private letGo(): void {
    for (const [streamId, { kind }] of this.held) this.readBack.set(streamId, kind);
    this.held.clear();
    this.bytes = 0;
  }
}
