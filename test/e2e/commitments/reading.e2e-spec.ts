import { TEST_ENGINES, type EngineName } from '../../support/test-database.js';
import {
  commitmentsApi,
  expectProblem,
  fact,
  instantBetweenWrites,
  type CommitmentView,
} from '../e2e-fixtures.js';

/** The fields of API.md "Reading", restated so that dropping or renaming one fails here. */
const VIEW_FIELDS = [
  'id',
  'title',
  'kind',
  'status',
  'parties',
  'proposedBy',
  'topics',
  'summary',
  'meeting',
  'proposedAt',
  'adoptedAt',
  'completedAt',
  'supersededBy',
  'dueDate',
  'missedDeadlines',
  'overdue',
  'compliance',
  'nextReviewOn',
  'lastDevelopmentAt',
  'version',
  'eventCount',
];

describe.each(TEST_ENGINES)('reading one commitment on %s', (engineName: EngineName) => {
  const api = commitmentsApi(engineName);

  it('has the full shape and an ETag of its version', async () => {
    const id = await api.propose({
      parties: ['NP', 'BT'],
      topics: ['water', 'climate-adaptation'],
      summary: 'Shared flood forecasts.',
      meeting: 'Basin Summit, Dhaka',
      dueDate: '2031-12-31',
    });
    await api.develop(
      id,
      'statements',
      fact('2024-03-10', { speaker: { name: 'PM', party: 'NP' }, stance: 'reaffirms', summary: 's' }),
    );
    const res = await api.get(`/commitments/${id}`);
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    const v = res.body as CommitmentView;
    expect(Object.keys(v).sort()).toEqual(expect.arrayContaining([...VIEW_FIELDS].sort()));
    expect(v).toMatchObject({
      id,
      title: 'Upper Basin Sediment Monitoring Pledge',
      kind: 'pledge',
      status: 'proposed',
      proposedBy: 'NP',
      topics: ['water', 'climate-adaptation'],
      summary: 'Shared flood forecasts.',
      meeting: 'Basin Summit, Dhaka',
      proposedAt: '2024-03-01T00:00:00.000Z',
      adoptedAt: null,
      completedAt: null,
      supersededBy: null,
      dueDate: '2031-12-31',
      missedDeadlines: 0,
      overdue: false,
      compliance: null,
      nextReviewOn: null,
      lastDevelopmentAt: '2024-03-10T00:00:00.000Z',
      version: 2,
      eventCount: 2,
    });
    expect(v.parties).toEqual([
      expect.objectContaining({ party: 'NP', participation: 'active', stance: 'reaffirms' }),
      expect.objectContaining({ party: 'BT', participation: 'active' }),
    ]);
    expect(v.parties[1].stance).toBeUndefined();
    expect(v.parties[1].score).toBeUndefined();
  });

  it('404 for an unknown commitment, and for a malformed id', async () => {
    expectProblem(await api.get('/commitments/not-tracked-anywhere'), 404);
    for (const malformed of ['Not_An_Id', 'ab', '-leading-dash', 'x'.repeat(81)]) {
      expectProblem(await api.get(`/commitments/${malformed}`), 404);
    }
  });

  it('time travel: asOf (world), knownAt (record), both; 404 when not yet known', async () => {
    const beforeAnything = await instantBetweenWrites();
    const id = await api.propose({ occurredAt: '2024-03-01' });
    const afterProposal = await instantBetweenWrites();
    await api.develop(id, 'adoptions', fact('2024-06-15', { adoptedBy: ['NP', 'BT'] }));
    const afterAdoption = await instantBetweenWrites();
    // Backdated: progress that happened before the adoption, logged after it.
    await api.develop(id, 'progress', fact('2024-05-01', { summary: 'Negotiators met' }));

    expect((await api.view(id)).status).toBe('adopted');
    expectProblem(await api.get(`/commitments/${id}`, { asOf: '2024-02-28' }), 404);
    expectProblem(await api.get(`/commitments/${id}`, { knownAt: beforeAnything }), 404);

    const asOfMay = await api.view(id, { asOf: '2024-05-15' });
    expect(asOfMay.status).toBe('under_negotiation');
    expect(asOfMay.version).toBe(3);
    expect(asOfMay.eventCount).toBe(2);
    const asOfDateTime = await api.view(id, { asOf: '2024-06-15T00:00:00Z' });
    expect(asOfDateTime.status).toBe('adopted');

    const known = await api.view(id, { knownAt: afterAdoption });
    expect(known.status).toBe('adopted');
    expect(known.version).toBe(2);
    expect(known.eventCount).toBe(2);
    expect((await api.view(id, { knownAt: afterProposal })).status).toBe('proposed');

    // Bitemporal: in May 2024, as known right after the adoption was recorded, the progress was unknown.
    const both = await api.view(id, { asOf: '2024-05-15', knownAt: afterAdoption });
    expect(both.status).toBe('proposed');
    expect(both.eventCount).toBe(1);
    expect(both.version).toBe(1);
  });
});
