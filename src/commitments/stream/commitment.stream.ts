import type { RecordedEvent } from '../../event-store/event-store.types.js';
import { type CommitmentEvent, type RecordedCommitmentEvent, upcast } from '../domain/commitment.events.js';

/** Every commitment stream's id starts with this. */
export const COMMITMENT_STREAM_PREFIX = 'commitment-';

/** Each commitment is one stream, named after it so the global log says what it belongs to. */
export function commitmentStreamId(commitmentId: string): string {
  return `${COMMITMENT_STREAM_PREFIX}${commitmentId}`;
}

/** The commitment a stream belongs to, or null for streams of anything else. */
export function commitmentIdOfStream(streamId: string): string | null {
  return streamId.startsWith(COMMITMENT_STREAM_PREFIX)
    ? streamId.slice(COMMITMENT_STREAM_PREFIX.length)
    : null;
}

/** Rows of commitment read models, by the commitment's stream. */
export function rowsByCommitmentStream<Row extends { readonly commitment_id: string }>(
  rows: readonly Row[],
): Map<string, Row[]> {
  const byStream = new Map<string, Row[]>();
  for (const row of rows) {
    const streamId = commitmentStreamId(row.commitment_id);
    const streamRows = byStream.get(streamId);
    if (streamRows) streamRows.push(row);
    else byStream.set(streamId, [row]);
  }
  return byStream;
}

/** The store's envelope in the shape the pure decider folds, events of older shapes read as today's. */
export function toRecordedCommitmentEvent(event: RecordedEvent): RecordedCommitmentEvent {
  return {
    eventId: event.eventId,
    version: event.streamVersion,
    occurredAt: event.occurredAt,
    recordedAt: event.recordedAt,
    ...(event.metadata.recordedBy ? { recordedBy: event.metadata.recordedBy } : {}),
    event: { type: event.type, data: upcast(event.type, event.data) } as CommitmentEvent,
  };
}
