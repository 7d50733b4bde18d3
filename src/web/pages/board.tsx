import { useEffect, useRef, useState } from 'preact/hooks';
import { OverdueBadge, StatusBadge } from '../components/badges.js';
import { Loading, ProblemMessage } from '../components/problem.js';
import { DevelopmentForm } from '../commitment/development-form.js';
import { type Api, ApiError, queryString } from '../lib/api.js';
import { formatCompliance, formatInstant, humanize } from '../lib/format.js';
import { commitmentHref, Link, navigate, partyHref } from '../lib/router.js';
import { can, type Session } from '../lib/session.js';
import {
  COMMITMENT_KINDS,
  COMMITMENT_STATUSES,
  type CommitmentPage,
  type CommitmentStatistics,
  type CommitmentView,
} from '../lib/types.js';
import { useResource } from '../lib/use-resource.js';

const PAGE_SIZE = 100;
const FILTERS = ['q', 'status', 'party', 'topic', 'kind', 'overdue'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

function filtersOf(query: URLSearchParams): Filters {
  return Object.fromEntries(FILTERS.map((name) => [name, query.get(name) ?? ''])) as Filters;
}

/** Every commitment, filtered from the address bar, a page at a time as the list is scrolled. */
export function BoardPage({
  api,
  session,
  query,
}: {
  readonly api: Api;
  readonly session: Session;
  readonly query: URLSearchParams;
}) {
  const filters = filtersOf(query);
  const listQuery = queryString(filters);
  const { status: _status, ...countFilters } = filters;
  const counts = useResource(`counts${queryString(countFilters)}`, (signal) =>
    api.get<CommitmentStatistics>(`/statistics/commitments${queryString(countFilters)}`, signal),
  );
  const [proposing, setProposing] = useState(false);

  const apply = (changed: Partial<Filters>) => navigate(`/${queryString({ ...filters, ...changed })}`);

  return (
    <section>
      <div class="page-head">
        <h1>Board</h1>
        {can(session, 'analyst') ? (
          <button type="button" onClick={() => setProposing(!proposing)} aria-expanded={proposing}>
            Propose a commitment
          </button>
        ) : null}
      </div>
      {proposing ? (
        <DevelopmentForm
          api={api}
          action="propose"
          onRecorded={(recorded) => navigate(commitmentHref(recorded.commitmentId))}
        />
      ) : null}
      <FilterForm key={listQuery} filters={filters} onApply={apply} />
      <StatusCounts counts={counts.data} selected={filters.status} onSelect={(status) => apply({ status })} />
      <CommitmentList key={listQuery} api={api} listQuery={listQuery} />
    </section>
  );
}

function FilterForm({
  filters,
  onApply,
}: {
  readonly filters: Filters;
  readonly onApply: (f: Filters) => void;
}) {
  const [draft, setDraft] = useState(filters);
  const set = (name: keyof Filters) => (event: Event) =>
    setDraft({ ...draft, [name]: (event.currentTarget as HTMLInputElement).value });
  const choose = (name: keyof Filters) => (event: Event) =>
    onApply({ ...draft, [name]: (event.currentTarget as HTMLSelectElement).value });
  return (
    <form
      class="filters"
      role="search"
      aria-label="Filter commitments"
      onSubmit={(event) => {
        event.preventDefault();
        onApply({ ...draft, party: draft.party.trim().toUpperCase(), topic: draft.topic.trim() });
      }}
    >
      <div class="field">
        <label for="filter-q">Search</label>
        <input
          id="filter-q"
          type="search"
          value={draft.q}
          onInput={set('q')}
          placeholder="Words in title or summary"
        />
      </div>
      <div class="field">
        <label for="filter-status">Status</label>
        <select id="filter-status" value={draft.status} onChange={choose('status')}>
          <option value="">Any</option>
          {COMMITMENT_STATUSES.map((status) => (
            <option value={status}>{humanize(status)}</option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="filter-kind">Kind</label>
        <select id="filter-kind" value={draft.kind} onChange={choose('kind')}>
          <option value="">Any</option>
          {COMMITMENT_KINDS.map((kind) => (
            <option value={kind}>{humanize(kind)}</option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="filter-party">Party</label>
        <input id="filter-party" value={draft.party} onInput={set('party')} placeholder="VN" size={8} />
      </div>
      <div class="field">
        <label for="filter-topic">Topic</label>
        <input id="filter-topic" value={draft.topic} onInput={set('topic')} placeholder="ai" size={12} />
      </div>
      <div class="field">
        <label for="filter-overdue">Overdue</label>
        <select id="filter-overdue" value={draft.overdue} onChange={choose('overdue')}>
          <option value="">Either</option>
          <option value="true">Overdue</option>
          <option value="false">Not overdue</option>
        </select>
      </div>
      <div class="filter-actions">
        <button type="submit">Apply</button>
        <button type="button" class="secondary" onClick={() => onApply(filtersOf(new URLSearchParams()))}>
          Clear
        </button>
      </div>
    </form>
  );
}

function StatusCounts({
  counts,
  selected,
  onSelect,
}: {
  readonly counts: CommitmentStatistics | undefined;
  readonly selected: string;
  readonly onSelect: (status: string) => void;
}) {
  if (!counts) return <p class="counts" aria-hidden="true" />;
  return (
    <div class="counts" role="group" aria-label="Commitments per status">
      <button type="button" class="count" aria-pressed={selected === ''} onClick={() => onSelect('')}>
        All <strong>{counts.total}</strong>
      </button>
      {COMMITMENT_STATUSES.map((status) => (
        <button
          type="button"
          class="count"
          aria-pressed={selected === status}
          data-status={status}
          onClick={() => onSelect(status)}
        >
          {humanize(status)} <strong>{counts.byStatus[status]}</strong>
        </button>
      ))}
    </div>
  );
}

/** The list, its first page at once and each next one when the end of the table comes into view. */
function CommitmentList({ api, listQuery }: { readonly api: Api; readonly listQuery: string }) {
  const pageQuery = (cursor?: string) =>
    `/commitments${queryString({ ...Object.fromEntries(new URLSearchParams(listQuery)), limit: String(PAGE_SIZE), cursor })}`;
  const first = useResource(listQuery, (signal) => api.get<CommitmentPage>(pageQuery(), signal));
  const [more, setMore] = useState<{ items: CommitmentView[]; nextCursor: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<ApiError | null>(null);
  const sentinel = useRef<HTMLDivElement>(null);

  const items = [...(first.data?.items ?? []), ...(more?.items ?? [])];
  const nextCursor = more ? more.nextCursor : (first.data?.nextCursor ?? null);

  const loadMore = async () => {
    if (!nextCursor || loadingMore) return;
    setLoadingMore(true);
    try {
      const page = await api.get<CommitmentPage>(pageQuery(nextCursor));
      setMore({ items: [...(more?.items ?? []), ...page.items], nextCursor: page.nextCursor });
      setMoreError(null);
    } catch (error) {
      if (error instanceof ApiError) setMoreError(error);
    } finally {
      setLoadingMore(false);
    }
  };

  useEffect(() => {
    const target = sentinel.current;
    if (!target || !nextCursor) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) void loadMore();
    });
    observer.observe(target);
    return () => observer.disconnect();
  });

  if (first.error) return <ProblemMessage error={first.error} />;
  if (!first.data) return <Loading what="commitments" />;
  return (
    <>
      <div class="list-tools">
        <p role="status">
          {items.length} shown{nextCursor ? ', more below' : ''}
        </p>
        <CsvDownload api={api} listQuery={listQuery} />
      </div>
      {items.length === 0 ? (
        <p>No commitment matches these filters.</p>
      ) : (
        <table class="board">
          <caption class="visually-hidden">Commitments</caption>
          <thead>
            <tr>
              <th scope="col">Commitment</th>
              <th scope="col">Status</th>
              <th scope="col">Kind</th>
              <th scope="col">Parties</th>
              <th scope="col">Compliance</th>
              <th scope="col">Last development</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <BoardRow key={item.id} item={item} />
            ))}
          </tbody>
        </table>
      )}
      {moreError ? <ProblemMessage error={moreError} /> : null}
      {nextCursor ? (
        <div ref={sentinel} class="load-more">
          <button type="button" class="secondary" onClick={loadMore} disabled={loadingMore}>
            {loadingMore ? 'Loading…' : 'Load more'}
          </button>
        </div>
      ) : null}
    </>
  );
}

function BoardRow({ item }: { readonly item: CommitmentView }) {
  return (
    <tr>
      <th scope="row">
        <Link href={commitmentHref(item.id)}>{item.title}</Link>
      </th>
      <td>
        <StatusBadge status={item.status} /> {item.overdue ? <OverdueBadge /> : null}
      </td>
      <td>{humanize(item.kind)}</td>
      <td class="parties">
        {item.parties.map((party, index) => (
          <span key={party.party}>
            {index > 0 ? ', ' : ''}
            <Link href={partyHref(party.party)}>{party.party}</Link>
          </span>
        ))}
      </td>
      <td>{formatCompliance(item.compliance)}</td>
      <td>{formatInstant(item.lastDevelopmentAt)}</td>
    </tr>
  );
}

/** The API's CSV export of the current filters, every matching row (it needs the key, so no plain link). */
function CsvDownload({ api, listQuery }: { readonly api: Api; readonly listQuery: string }) {
  const [error, setError] = useState<ApiError | null>(null);
  const download = async () => {
    try {
      const blob = await api.csv(`/commitments${listQuery}`);
      const url = URL.createObjectURL(blob);
      const anchor = document.createElement('a');
      anchor.href = url;
      anchor.download = 'commitments.csv';
      anchor.click();
      setTimeout(() => URL.revokeObjectURL(url), 0);
      setError(null);
    } catch (failure) {
      if (failure instanceof ApiError) setError(failure);
    }
  };
  return (
    <>
      <button type="button" class="secondary" onClick={download}>
        Download CSV
      </button>
      {error ? <ProblemMessage error={error} /> : null}
    </>
  );
}
