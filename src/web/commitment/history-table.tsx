import { eventLabel, formatInstant } from '../lib/format.js';
import type { TimelineEntry } from '../lib/time-travel.js';
import type { HistoryEntry } from '../lib/types.js';

/** A line of what an entry says: its summary, speaker, parties or reason, whichever it has. */
export function entryDetail(entry: HistoryEntry): string {
  const data = entry.data as Record<string, unknown>;
  const speaker = data.speaker as { name?: string; party?: string } | undefined;
  const parts = [
    speaker ? `${speaker.name ?? ''} (${speaker.party ?? ''})` : '',
    typeof data.title === 'string' ? data.title : '',
    typeof data.summary === 'string' ? data.summary : '',
    Array.isArray(data.adoptedBy) ? `adopted by ${data.adoptedBy.join(', ')}` : '',
    typeof data.party === 'string' ? `party ${data.party}` : '',
    typeof data.dueDate === 'string' ? `due ${data.dueDate}` : '',
    typeof data.reviewOn === 'string' ? `review on ${data.reviewOn}` : '',
    typeof data.note === 'string' ? data.note : '',
    typeof data.rationale === 'string' ? data.rationale : '',
    typeof data.reason === 'string' ? data.reason : '',
  ];
  return parts.filter(Boolean).join(' · ');
}

/**
 * The audit trail: every entry in stream order, nothing hidden. Under time travel the entries the view
 * does not take into account (not yet occurred, or not yet recorded) are marked, not left out.
 */
export function HistoryTable({
  entries,
  considered,
}: {
  readonly entries: readonly HistoryEntry[];
  readonly considered?: readonly TimelineEntry[];
}) {
  const versionOf = new Map(entries.map((entry) => [entry.eventId, entry.version]));
  const inView = considered ? new Set(considered.map((entry) => entry.eventId)) : null;
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <div class="table-scroll history-wrap">
        <table class="history">
          <caption class="visually-hidden">Every recorded entry, in the order recorded</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Type</th>
              <th scope="col">Occurred</th>
              <th scope="col">Recorded</th>
              <th scope="col">By</th>
              <th scope="col">Retracted by</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => {
              const outside = inView !== null && !inView.has(entry.eventId);
              const classes = [entry.retracted ? 'retracted' : '', outside ? 'outside' : ''].filter(Boolean);
              return (
                <tr
                  id={`v${entry.version}`}
                  class={classes.join(' ') || undefined}
                  data-event-id={entry.eventId}
                >
                  <td>{entry.version}</td>
                  <td>
                    {eventLabel(entry.type)}
                    {outside ? <span class="outside-note"> (not in this view)</span> : null}
                  </td>
                  <td>{formatInstant(entry.occurredAt)}</td>
                  <td>{formatInstant(entry.recordedAt)}</td>
                  <td>{entry.recordedBy ?? '—'}</td>
                  <td>
                    {entry.retractedBy ? (
                      <a href={`#v${versionOf.get(entry.retractedBy)}`}>
                        version {versionOf.get(entry.retractedBy)}
                      </a>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td class="detail">{entryDetail(entry)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
