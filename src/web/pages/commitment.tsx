import { OverdueBadge, StatusBadge } from '../components/badges.js';
import { Loading, ProblemMessage } from '../components/problem.js';
import { DevelopmentPanel } from '../commitment/development-panel.js';
import { CommitmentFacts, PartiesTable, Statements } from '../commitment/facts.js';
import { HistoryTable } from '../commitment/history-table.js';
import { TimeTravelControls } from '../commitment/time-travel-controls.js';
import { loadChart, Timeline } from '../commitment/timeline.js';
import { type Api, queryString } from '../lib/api.js';
import { humanize } from '../lib/format.js';
import { can, type Session } from '../lib/session.js';
import { entriesConsidered, isTimeTravel, timeTravelOf } from '../lib/time-travel.js';
import type { CommitmentHistory, CommitmentView } from '../lib/types.js';
import { useResource } from '../lib/use-resource.js';

/** A commitment: its state (now, or as of / as known at a time), timeline, parties, statements and history. */
export function CommitmentPage({
  api,
  session,
  id,
  query,
}: {
  readonly api: Api;
  readonly session: Session;
  readonly id: string;
  readonly query: URLSearchParams;
}) {
  // The chart library loads while the commitment and its history are being fetched.
  void loadChart();
  const travel = timeTravelOf(query);
  const travelling = isTimeTravel(travel);
  const path = `/commitments/${encodeURIComponent(id)}`;
  const viewQuery = queryString({ asOf: travel.asOf, knownAt: travel.knownAt });
  const view = useResource(`${path}${viewQuery}`, (signal) =>
    api.get<CommitmentView>(`${path}${viewQuery}`, signal),
  );
  const history = useResource(path, (signal) => api.get<CommitmentHistory>(`${path}/history`, signal));
  const reload = async () => {
    await Promise.all([view.reload(), history.reload()]);
  };

  const current = view.data;
  const entries = history.data ? entriesConsidered(history.data.events, travel) : undefined;
  return (
    <article class="commitment">
      <header class="page-head commitment-head">
        <div>
          <p class="eyebrow">{current ? humanize(current.kind) : 'Commitment'}</p>
          <h1>{current?.title ?? id}</h1>
          {current ? (
            <p class="head-facts">
              <StatusBadge status={current.status} /> {current.overdue ? <OverdueBadge /> : null}{' '}
              <span data-testid="version">Version {current.version}</span>
              {' · '}
              {current.eventCount} entries
            </p>
          ) : null}
        </div>
        <TimeTravelControls key={viewQuery} travel={travel} />
      </header>
      {travelling ? (
        <p class="notice" role="status">
          {travel.asOf ? `As the world stood on ${travel.asOf}` : 'As things stand'}
          {travel.knownAt ? `, as the tracker knew it at ${travel.knownAt}` : ''}.
        </p>
      ) : null}
      {view.error ? <ProblemMessage error={view.error} /> : null}
      {!current && !view.error ? <Loading what="the commitment" /> : null}
      {current ? (
        <>
          <section aria-labelledby="timeline-title">
            <h2 id="timeline-title">Timeline</h2>
            {entries ? (
              <Timeline entries={entries} view={current} asOf={travel.asOf} />
            ) : (
              <Loading what="the timeline" />
            )}
          </section>
          <div class="columns">
            <CommitmentFacts view={current} />
            <PartiesTable view={current} />
          </div>
          {entries ? <Statements entries={entries} /> : null}
          {can(session, 'analyst') && history.data ? (
            travelling ? (
              <section>
                <h2>Log a development</h2>
                <p>
                  Developments are logged against the commitment as it stands: leave time travel to log one.
                </p>
              </section>
            ) : (
              <DevelopmentPanel
                api={api}
                view={current}
                entries={history.data.events}
                onRecorded={reload}
                onReload={reload}
              />
            )
          ) : null}
        </>
      ) : null}
      {history.error ? <ProblemMessage error={history.error} /> : null}
      {history.data ? (
        <HistoryTable entries={history.data.events} considered={entries} />
      ) : history.error ? null : (
        <Loading what="the history" />
      )}
    </article>
  );
}
