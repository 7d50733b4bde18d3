import { useState } from 'preact/hooks';
import { queryString } from '../lib/api.js';
import { navigate } from '../lib/router.js';
import type { TimeTravel } from '../lib/time-travel.js';

/** `asOf` (a world date) and `knownAt` (a record time, UTC), kept in the address bar. */
export function TimeTravelControls({ travel }: { readonly travel: TimeTravel }) {
  const [asOf, setAsOf] = useState(travel.asOf ?? '');
  const [knownAt, setKnownAt] = useState(travel.knownAt ? toLocalInput(travel.knownAt) : '');
  const go = (next: { asOf?: string; knownAt?: string }) =>
    navigate(`${location.pathname}${queryString({ asOf: next.asOf, knownAt: next.knownAt })}`);
  return (
    <form
      class="time-travel"
      aria-label="Time travel"
      onSubmit={(event) => {
        event.preventDefault();
        go({ asOf: asOf || undefined, knownAt: knownAt ? `${knownAt}Z` : undefined });
      }}
    >
      <div class="field">
        <label for="as-of">As of (world date)</label>
        <input id="as-of" type="date" value={asOf} onInput={(event) => setAsOf(event.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="known-at">Known at (UTC)</label>
        <input
          id="known-at"
          type="datetime-local"
          value={knownAt}
          onInput={(event) => setKnownAt(event.currentTarget.value)}
        />
      </div>
      <div class="filter-actions">
        <button type="submit">Travel</button>
        {travel.asOf || travel.knownAt ? (
          <button type="button" class="secondary" onClick={() => go({})}>
            Back to now
          </button>
        ) : null}
      </div>
    </form>
  );
}

/** `2025-10-26T09:30Z` → `2025-10-26T09:30`, what a datetime-local input holds (here read as UTC). */
function toLocalInput(value: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value}T23:59`;
  const time = Date.parse(value);
  return Number.isNaN(time) ? '' : new Date(time).toISOString().slice(0, 16);
}
