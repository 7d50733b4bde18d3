import { TEST_ENGINES, type EngineName } from '../../support/test-database.js';
import { commitmentsApi, parseCsv, proposeListingFixture, type ListingFixture } from '../e2e-fixtures.js';

/**
 * The header API.md documents: the fields of `GET /commitments/:id` in their order, without
 * `entryIntoForce`. Restated from the contract, not taken from the code: a client's spreadsheet breaks
 * when a column is renamed, moved or dropped.
 */
const DOCUMENTED_HEADER = [
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

describe.each(TEST_ENGINES)('CSV export on %s', (engineName: EngineName) => {
  const api = commitmentsApi(engineName);
  let fixture: ListingFixture;

  beforeAll(async () => {
    fixture = await proposeListingFixture(api);
  });

  it('exports CSV with the documented header row, one row per commitment in id order, and RFC 4180 quoting', async () => {
    const { topic, party, ids } = fixture;
    const res = await api.app.http
      .get('/commitments')
      .query({ topic })
      .set(api.auth('reader'))
      .set('Accept', 'text/csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.text.split('\r\n')[0]).toBe(DOCUMENTED_HEADER.join(','));
    expect(res.text.endsWith('\r\n')).toBe(true);

    const proposed = '2024-03-01T00:00:00.000Z';
    const adopted = '2024-06-01T00:00:00.000Z';
    // As the fixture leaves a commitment: proposed by NP, no meeting, no completion, no review.
    const proposal: Record<string, string> = {
      status: 'proposed',
      parties: 'NP:active;BT:active',
      proposedBy: 'NP',
      topics: topic,
      summary: '',
      meeting: '',
      proposedAt: proposed,
      adoptedAt: '',
      completedAt: '',
      supersededBy: '',
      dueDate: '',
      missedDeadlines: '0',
      overdue: 'false',
      compliance: '',
      nextReviewOn: '',
      lastDevelopmentAt: proposed,
      version: '1',
      eventCount: '1',
    };
    const expected = (
      [
        {
          ...proposal,
          id: ids.glacier,
          title: 'Glacier Monitoring Protocol',
          kind: 'agreement',
          status: 'adopted',
          parties: `NP:active;${party}:active`,
          adoptedAt: adopted,
          lastDevelopmentAt: adopted,
          version: '2',
          eventCount: '2',
        },
        {
          ...proposal,
          id: ids.sediment,
          title: 'Basin Cooperation Charter',
          kind: 'declaration',
          summary: 'Covers sediment transport and dredging.',
        },
        {
          ...proposal,
          id: ids.overdue,
          title: 'Fish Ladder Construction Pledge',
          kind: 'pledge',
          dueDate: '2024-12-31',
          overdue: 'true',
        },
        {
          ...proposal,
          id: ids.csv,
          title: 'Accord on "Rivers", Lakes\nand Wetlands',
          kind: 'pledge',
          topics: `${topic};csv-check`,
          summary: 'Line one\nline "two", with comma',
        },
        { ...proposal, id: ids.plain, title: 'Navigation Safety Initiative', kind: 'initiative' },
      ] as Record<string, string>[]
    )
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((cells) => DOCUMENTED_HEADER.map((column) => cells[column]));
    const rows = parseCsv(res.text).filter((r) => r.length > 1 || r[0] !== '');
    expect(rows).toEqual([DOCUMENTED_HEADER, ...expected]);
  });
});
