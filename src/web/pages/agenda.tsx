import { useState } from 'preact/hooks';
import { StatusBadge } from '../components/badges.js';
import { Loading, ProblemMessage } from '../components/problem.js';
import { type Api, queryString } from '../lib/api.js';
import { humanize } from '../lib/format.js';
import { commitmentHref, Link, navigate } from '../lib/router.js';
import type { FollowUpItem } from '../lib/types.js';
import { useResource } from '../lib/use-resource.js';

const REASONS = ['overdue', 'deadline', 'review'] as const;
const HEADINGS: Record<FollowUpItem['reason'], string> = {
  overdue: 'Overdue',
  deadline: 'Coming deadlines',
  review: 'Scheduled reviews',
};

/** What needs attention: overdue commitments, coming deadlines and scheduled reviews, earliest first. */
export function AgendaPage({ api, query }: { readonly api: Api; readonly query: URLSearchParams }) {
  const before = query.get('before') ?? '';
  const path = `/follow-ups${queryString({ before })}`;
  const followUps = useResource(path, (signal) => api.get<{ items: FollowUpItem[] }>(path, signal));
  const [draft, setDraft] = useState(before);
  return (
    <section>
      <h1>Follow-ups</h1>
      <form
        class="filters"
        aria-label="Horizon"
        onSubmit={(event) => {
          event.preventDefault();
          navigate(`/agenda${queryString({ before: draft })}`, { replace: true });
        }}
      >
        <div class="field">
          <label for="before">Dated before</label>
          <input
            id="before"
            type="date"
            value={draft}
            onInput={(event) => setDraft(event.currentTarget.value)}
          />
          <p class="hint">Empty: the next 30 days.</p>
        </div>
        <div class="filter-actions">
          <button type="submit">Show</button>
        </div>
      </form>
      {followUps.error ? <ProblemMessage error={followUps.error} /> : null}
      {!followUps.data && !followUps.error ? <Loading what="follow-ups" /> : null}
      {followUps.data
        ? REASONS.map((reason) => {
            const items = followUps.data!.items.filter((item) => item.reason === reason);
            return (
              <section aria-labelledby={`agenda-${reason}`}>
                <h2 id={`agenda-${reason}`}>
                  {HEADINGS[reason]} ({items.length})
                </h2>
                {items.length === 0 ? (
                  <p>None.</p>
                ) : (
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">Date</th>
                        <th scope="col">Commitment</th>
                        <th scope="col">Status</th>
                        <th scope="col">Note</th>
                      </tr>
                    </thead>
                    <tbody>
                      {items.map((item) => (
                        <tr>
                          <td>{item.date}</td>
                          <th scope="row">
                            <Link href={commitmentHref(item.commitmentId)}>{item.title}</Link>
                          </th>
                          <td>
                            <StatusBadge status={item.status} />
                          </td>
                          <td>{item.note ?? humanize(item.reason)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </section>
            );
          })
        : null}
    </section>
  );
}
