import { isoInstant } from './iso-instant.js';
import type { EventMetadata, RecordedEvent } from './event-store.types.js';

/**
 * An instant as whole milliseconds since the epoch, truncated as the API's ISO form (`toISOString`) is: an
 * exact numeric product on the server (no rounding through a double), an integer's digits on the wire,
 * and {@link isoInstant} on the client — neither `to_char` on the server (formatting text costs the server
 * more than reading an integer) nor date parsing on the client.
 */
const epochMs = (column: string) => `floor(extract(epoch FROM ${column}) * 1000)::int8`;

/**
 * The columns of a recorded event, in the order {@link toRecordedEvent} reads them. Rows are fetched as
 * arrays (`rowMode: 'array'`), the instants as milliseconds and the positions as text, so reading a long
 * stream costs no date parsing and no row objects. Beware: PostgreSQL names `transaction_id::text`
 * "transaction_id", and an unqualified ORDER BY binds to output columns first: order by
 * `events.transaction_id`, never by the bare name (as text, 1000 sorts before 999).
 */
export const EVENT_COLUMNS = `event_id, stream_id, stream_version, type, data, metadata,
  ${epochMs('occurred_at')}, ${epochMs('recorded_at')}, transaction_id::text, global_position::text`;

export type EventRow = [
  eventId: string,
  streamId: string,
  streamVersion: number,
  type: string,
  data: unknown,
  metadata: EventMetadata,
  /** Milliseconds since the epoch, as int8's text. */
  occurredAt: string,
  recordedAt: string,
  transactionId: string,
  globalPosition: string,
];

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    eventId: row[0],
    streamId: row[1],
    streamVersion: row[2],
    type: row[3],
    data: row[4],
    metadata: row[5],
    occurredAt: isoInstant(Number(row[6])),
    recordedAt: isoInstant(Number(row[7])),
    position: { transactionId: row[8], globalPosition: row[9] },
  };
}

/** The rows' events grouped by stream, each stream's in the rows' order, the streams in order of first row. */
export function groupByStream(rows: readonly EventRow[]): Map<string, RecordedEvent[]> {
  const streams = new Map<string, RecordedEvent[]>();
  for (const row of rows) {
    const event = toRecordedEvent(row);
    const stream = streams.get(event.streamId);
    if (stream) stream.push(event);
    else streams.set(event.streamId, [event]);
  }
  return streams;
}
