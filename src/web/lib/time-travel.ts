import { eventsConsidered, type TimeTravel } from '../../commitments/domain/commitment.fold.js';
import type { CommitmentEvent, RecordedCommitmentEvent } from '../../commitments/domain/commitment.events.js';
import type { HistoryEntry } from './types.js';

export type { TimeTravel };

/** Time travel from the address bar: `asOf` (world time) and `knownAt` (record time), when set. */
export function timeTravelOf(query: URLSearchParams): TimeTravel {
  const asOf = query.get('asOf') || undefined;
  const knownAt = query.get('knownAt') || undefined;
  return { ...(asOf ? { asOf } : {}), ...(knownAt ? { knownAt } : {}) };
}

export function isTimeTravel(travel: TimeTravel): boolean {
  return travel.asOf !== undefined || travel.knownAt !== undefined;
}

export interface TimelineEntry extends HistoryEntry {
  /** Retracted as far as this view knows: by a retraction it takes into account. */
  readonly retractedHere: boolean;
}

/**
 * The entries of the history a time-travel view takes into account, by the very rule the server folds
 * with (`eventsConsidered` from the domain), each marked retracted when a retraction known then says so.
 */
export function entriesConsidered(entries: readonly HistoryEntry[], travel: TimeTravel): TimelineEntry[] {
  const recorded = entries.map((entry): RecordedCommitmentEvent => ({
    eventId: entry.eventId,
    version: entry.version,
    occurredAt: entry.occurredAt,
    recordedAt: entry.recordedAt,
    event: { type: entry.type, data: entry.data } as unknown as CommitmentEvent,
  }));
  const considered = new Set(eventsConsidered(recorded, travel).map((event) => event.eventId));
  const retracted = new Set(
    entries
      .filter((entry) => entry.type === 'EntryRetracted' && considered.has(entry.eventId))
      .map((entry) => String(entry.data.eventId)),
  );
  return entries
    .filter((entry) => considered.has(entry.eventId))
    .map((entry) => ({ ...entry, retractedHere: retracted.has(entry.eventId) }));
}
