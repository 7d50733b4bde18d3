import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import {
  formatCompliance,
  formatDate,
  formatInstant,
  formatScore,
  humanize,
  safeHttpUrl,
} from '../lib/format.js';
import { commitmentHref, Link, partyHref } from '../lib/router.js';
import type { TimelineEntry } from '../lib/time-travel.js';
import type { CommitmentView, PartyView, Source } from '../lib/types.js';

export function CommitmentFacts({ view }: { readonly view: CommitmentView }) {
  const row = (term: string, value: ComponentChildren) => (
    <>
      <dt>{term}</dt>
      <dd>{value}</dd>
    </>
  );
  return (
    <section aria-labelledby="facts-title">
      <h2 id="facts-title">Current state</h2>
      {view.summary ? <p class="summary">{view.summary}</p> : null}
      <dl class="facts">
        {row('Proposed by', <Link href={partyHref(view.proposedBy)}>{view.proposedBy}</Link>)}
        {row('Proposed', formatInstant(view.proposedAt))}
        {row('Adopted', formatInstant(view.adoptedAt))}
        {row('Completed', formatInstant(view.completedAt))}
        {row('Meeting', view.meeting ?? '—')}
        {row('Topics', view.topics.length ? view.topics.join(', ') : '—')}
        {row('Due date', formatDate(view.dueDate))}
        {row('Missed deadlines', String(view.missedDeadlines))}
        {row('Next review', formatDate(view.nextReviewOn))}
        {row('Compliance', formatCompliance(view.compliance))}
        {row(
          'Superseded by',
          view.supersededBy ? <Link href={commitmentHref(view.supersededBy)}>{view.supersededBy}</Link> : '—',
        )}
        {row('Last development', formatInstant(view.lastDevelopmentAt))}
        {view.entryIntoForce ? (
          <>
            {row('Entry into force', entryIntoForceRule(view.entryIntoForce.rule))}
            {row('Instruments deposited', String(view.entryIntoForce.instrumentsDeposited))}
            {row('In force from', formatDate(view.entryIntoForce.inForceOn))}
          </>
        ) : null}
      </dl>
    </section>
  );
}

function entryIntoForceRule(rule: NonNullable<CommitmentView['entryIntoForce']>['rule']): string {
  const period =
    rule.monthsAfter !== undefined ? `${rule.monthsAfter} month(s)` : `${rule.daysAfter ?? 0} day(s)`;
  return `${period} after the deposit of instrument no. ${rule.instruments}`;
}

/** Signature, consent and reservations: shown only for a commitment that has any. */
function hasTreatyFacts(view: CommitmentView): boolean {
  return (
    view.entryIntoForce !== undefined ||
    view.parties.some((party) => party.signedOn || party.consent || party.reservations?.length)
  );
}

function TreatyCells({ party }: { readonly party: PartyView }) {
  return (
    <>
      <td>{formatDate(party.signedOn)}</td>
      <td>
        {party.consent
          ? `${humanize(party.consent.action)}, deposited ${formatDate(party.consent.depositedOn)}, effective ${formatDate(party.consent.effectiveOn)}`
          : '—'}
      </td>
      <td>
        {party.reservations?.length ? (
          <ul class="reservations">
            {party.reservations.map((reservation) => (
              <li data-event-id={reservation.eventId}>
                {humanize(reservation.kind)}
                {reservation.objectsTo ? ` to ${reservation.objectsTo}` : ''} (
                {formatDate(reservation.madeOn)}
                {reservation.withdrawnOn ? `, withdrawn ${formatDate(reservation.withdrawnOn)}` : ''}):{' '}
                {reservation.text}
              </li>
            ))}
          </ul>
        ) : (
          '—'
        )}
      </td>
    </>
  );
}

export function PartiesTable({ view }: { readonly view: CommitmentView }) {
  const treaty = hasTreatyFacts(view);
  return (
    <section aria-labelledby="parties-title">
      <h2 id="parties-title">Parties</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Party</th>
            <th scope="col">Participation</th>
            <th scope="col">Joined</th>
            <th scope="col">Withdrew</th>
            <th scope="col">Stance</th>
            <th scope="col">Compliance score</th>
            {treaty ? (
              <>
                <th scope="col">Signed</th>
                <th scope="col">Consent to be bound</th>
                <th scope="col">Reservations</th>
              </>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {view.parties.map((party) => (
            <tr>
              <th scope="row">
                <Link href={partyHref(party.party)}>{party.party}</Link>
              </th>
              <td>{humanize(party.participation)}</td>
              <td>{formatDate(party.joinedAt)}</td>
              <td>{formatDate(party.withdrewAt)}</td>
              <td>{party.stance ? humanize(party.stance) : '—'}</td>
              <td>{formatScore(party.score)}</td>
              {treaty ? <TreatyCells party={party} /> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

interface StatementData {
  readonly speaker?: { name?: string; role?: string; party?: string };
  readonly stance?: string;
  readonly summary?: string;
  readonly meeting?: string;
  readonly source?: Partial<Source>;
}

/** Statements shown at first on a long history; the rest one click away (the history lists them all). */
const FIRST_STATEMENTS = 25;

/** Who said what, word for word, and where it is written: each statement with its source, latest first. */
export function Statements({ entries }: { readonly entries: readonly TimelineEntry[] }) {
  const [all, setAll] = useState(false);
  const statements = entries.filter((entry) => entry.type === 'StatementRecorded').reverse();
  const shown = all ? statements : statements.slice(0, FIRST_STATEMENTS);
  return (
    <section aria-labelledby="statements-title">
      <h2 id="statements-title">Statements</h2>
      {statements.length === 0 ? <p>No statement recorded.</p> : null}
      <ol class="statements">
        {shown.map((entry) => {
          const data = entry.data as StatementData;
          return (
            <li
              class={entry.retractedHere ? 'statement retracted' : 'statement'}
              data-event-id={entry.eventId}
            >
              <p class="statement-head">
                <strong>{data.speaker?.name}</strong>
                {data.speaker?.role ? `, ${data.speaker.role}` : ''} (
                {data.speaker?.party ? (
                  <Link href={partyHref(data.speaker.party)}>{data.speaker.party}</Link>
                ) : (
                  '?'
                )}
                ) — {data.stance ? humanize(data.stance) : ''}, {formatInstant(entry.occurredAt)}
                {data.meeting ? `, ${data.meeting}` : ''}
                {entry.retractedHere ? <span class="retracted-note"> (retracted)</span> : null}
              </p>
              <p class="statement-summary">{data.summary}</p>
              {data.source?.quote ? <blockquote>{data.source.quote}</blockquote> : null}
              {data.source ? <SourceLine source={data.source} /> : null}
            </li>
          );
        })}
      </ol>
      {shown.length < statements.length ? (
        <button type="button" class="secondary" onClick={() => setAll(true)}>
          Show all {statements.length} statements
        </button>
      ) : null}
    </section>
  );
}

export function SourceLine({ source }: { readonly source: Partial<Source> }) {
  const url = safeHttpUrl(source.url);
  return (
    <p class="source">
      Source:{' '}
      {url ? (
        <a href={url} rel="noopener noreferrer" target="_blank">
          {source.title}
        </a>
      ) : (
        <cite>{source.title}</cite>
      )}
      {source.publisher ? `, ${source.publisher}` : ''}
      {source.publishedAt ? `, ${source.publishedAt}` : ''}
    </p>
  );
}
