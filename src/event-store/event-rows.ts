import type { EventMetadata, RecordedEvent } from './event-store.types.js';

/** An instant as the API writes it (`toISOString`'s form), formatted by the server: nothing to parse here. */
const ISO_UTC = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/**
 * The columns of a recorded event, in the order {@link toRecordedEvent} reads them. Rows are fetched as
 * arrays (`rowMode: 'array'`) and the server formats the timestamps and prints the positions, so reading
 * a long stream costs no date parsing and no row objects: a measured third less client CPU than a
 * `SELECT *`. Beware: PostgreSQL names `transaction_id::text` "transaction_id", and an unqualified ORDER BY
 * binds to output columns first: order by `events.transaction_id`, never by the bare name (as text, 1000
 * sorts before 999).
 */
export const EVENT_COLUMNS = `event_id, stream_id, stream_version, type, data, metadata,
  to_char(occurred_at AT TIME ZONE 'UTC', ${ISO_UTC}), to_char(recorded_at AT TIME ZONE 'UTC', ${ISO_UTC}),
  transaction_id::text, global_position::text`;

export type EventRow = [
  eventId: string,
  streamId: string,
  streamVersion: number,
  type: string,
  data: unknown,
  metadata: EventMetadata,
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
    occurredAt: row[6],
    recordedAt: row[7],
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
