import { StatusBadge } from '../components/badges.js';
import { Loading, ProblemMessage } from '../components/problem.js';
import type { Api } from '../lib/api.js';
import { formatScore, humanize } from '../lib/format.js';
import { commitmentHref, Link } from '../lib/router.js';
import type { PartyCommitments } from '../lib/types.js';
import { useResource } from '../lib/use-resource.js';

/** A party's involvement: every commitment it is a party to, proposed, witnessed or spoke on. */
export function PartyPage({ api, party }: { readonly api: Api; readonly party: string }) {
  const path = `/parties/${encodeURIComponent(party)}`;
  const involvement = useResource(path, (signal) => api.get<PartyCommitments>(path, signal));
  return (
    <section>
      <h1>Party {party}</h1>
      <p>
        Every commitment {party} is a party to, proposed, witnessed or made a statement on; participation and
        status are today’s.
      </p>
      {involvement.error ? <ProblemMessage error={involvement.error} /> : null}
      {!involvement.data && !involvement.error ? <Loading what="the party’s commitments" /> : null}
      {involvement.data && involvement.data.commitments.length === 0 ? (
        <p>{party} is involved in no recorded commitment.</p>
      ) : null}
      {involvement.data && involvement.data.commitments.length > 0 ? (
        <table>
          <caption class="visually-hidden">Commitments of {party}</caption>
          <thead>
            <tr>
              <th scope="col">Commitment</th>
              <th scope="col">Roles</th>
              <th scope="col">Status</th>
              <th scope="col">Participation</th>
              <th scope="col">Stance</th>
              <th scope="col">Compliance score</th>
            </tr>
          </thead>
          <tbody>
            {involvement.data.commitments.map((item) => (
              <tr>
                <th scope="row">
                  <Link href={commitmentHref(item.commitmentId)}>{item.title}</Link>
                </th>
                <td>{item.roles.map(humanize).join(', ')}</td>
                <td>
                  <StatusBadge status={item.status} />
                </td>
                <td>{item.participation ? humanize(item.participation) : 'Not a party'}</td>
                <td>{item.stance ? humanize(item.stance) : '—'}</td>
                <td>{formatScore(item.score)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
