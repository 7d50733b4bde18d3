import { createHash, type Hash } from 'node:crypto';
import type { EventMetadata, LogPosition, RecordedEvent } from './event-store.types.js';

/**
 * The export format of the log: NDJSON, one event per line in commit-safe order, then one trailer line
 * with the number of events and the SHA-256 of every byte before it. Nothing in it depends on the
 * database it came from (no log positions, no transaction ids), so a log restored elsewhere exports to
 * the same bytes. Instants carry microseconds, as stored: a restore writes back exactly what was read.
 */
export const EXPORT_FORMAT = 'event-log-export/1';

/** One exported event, as its line holds it (keys in this order). */
export interface ExportedEvent {
  readonly eventId: string;
  readonly streamId: string;
  readonly version: number;
  readonly type: string;
  /** ISO 8601 UTC with microseconds (`2025-10-26T09:30:00.123456Z`). */
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly recordedBy: string | null;
  readonly metadata: Record<string, unknown>;
  readonly data: unknown;
}

export interface ExportTrailer {
  readonly format: typeof EXPORT_FORMAT;
  /** The export was narrowed to one stream (null: every stream). */
  readonly stream: string | null;
  /** The export starts after this event (null: at the start of the log); such a file is not a whole log. */
  readonly after: string | null;
  readonly events: number;
  readonly sha256: string;
}

/**
 * An exported event as the log reads it once restored at `position`: its instants to the millisecond, as
 * every reader of the log sees them (the export's microseconds truncated, as the read's `floor` does).
 */
export function recordedEventOf(event: ExportedEvent, position: LogPosition): RecordedEvent {
  return {
    eventId: event.eventId,
    streamId: event.streamId,
    streamVersion: event.version,
    type: event.type,
    data: event.data,
    metadata: event.metadata as EventMetadata,
    occurredAt: `${event.occurredAt.slice(0, 23)}Z`,
    recordedAt: `${event.recordedAt.slice(0, 23)}Z`,
    position,
  };
}

/** An event's columns as the export reads them, in select-list order. */
export type ExportColumns = readonly [
  eventId: string,
  streamId: string,
  version: number,
  type: string,
  occurredAt: string,
  recordedAt: string,
  recordedBy: string | null,
  metadataJson: string,
  dataJson: string,
];

/**
 * An event's line. `metadata` and `data` are the server's own JSON text of the stored `jsonb` (no parse
 * and print on the way out: the same value always gives the same bytes).
 */
export function exportLine(row: readonly [...ExportColumns, ...unknown[]]): string {
  return (
    `{"eventId":"${row[0]}","streamId":${JSON.stringify(row[1])},"version":${row[2]},` +
    `"type":${JSON.stringify(row[3])},"occurredAt":"${row[4]}","recordedAt":"${row[5]}",` +
    `"recordedBy":${JSON.stringify(row[6])},"metadata":${row[7]},"data":${row[8]}}\n`
  );
}

export function trailerLine(trailer: Omit<ExportTrailer, 'format'>): string {
  const { stream, after, events, sha256 } = trailer;
  return `${JSON.stringify({ format: EXPORT_FORMAT, stream, after, events, sha256 })}\n`;
}

/** The trailer a line holds, or null when the line is not one (an event line). */
export function parseTrailer(line: string): ExportTrailer | null {
  if (!line.startsWith('{"format":')) return null;
  const value = JSON.parse(line) as Partial<ExportTrailer>;
  if (
    value.format !== EXPORT_FORMAT ||
    typeof value.events !== 'number' ||
    typeof value.sha256 !== 'string' ||
    !(value.stream === null || typeof value.stream === 'string') ||
    !(value.after === null || typeof value.after === 'string')
  ) {
    throw new Error(`the last line is not a trailer of the ${EXPORT_FORMAT} format`);
  }
  return value as ExportTrailer;
}

/** The running digest of an export: every byte of every event line, in order. */
export class ExportDigest {
  private readonly hash: Hash = createHash('sha256');
  private count = 0;

  add(lineBytes: Buffer | string, events = 1): void {
    this.hash.update(lineBytes);
    this.count += events;
  }

  get events(): number {
    return this.count;
  }

  hex(): string {
    return this.hash.copy().digest('hex');
  }
}
