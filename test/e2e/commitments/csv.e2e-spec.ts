import { TEST_ENGINES, type EngineName } from '../../support/test-database.js';
import { commitmentsApi, parseCsv, proposeListingFixture, type ListingFixture } from '../e2e-fixtures.js';

describe.each(TEST_ENGINES)('CSV export on %s', (engineName: EngineName) => {
  const api = commitmentsApi(engineName);
  let fixture: ListingFixture;

  beforeAll(async () => {
    fixture = await proposeListingFixture(api);
  });

  it('exports CSV with a header row and RFC 4180 quoting', async () => {
    const { topic, ids } = fixture;
    const res = await api.app.http
      .get('/commitments')
      .query({ topic })
      .set(api.auth('reader'))
      .set('Accept', 'text/csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const rows = parseCsv(res.text);
    const [header, ...data] = rows.filter((r) => r.length > 1 || r[0] !== '');
    // Column names restated from the contract: a client's spreadsheet breaks when one is renamed.
    expect(header).toEqual(expect.arrayContaining(['id', 'title', 'status']));
    expect(data).toHaveLength(Object.keys(ids).length);
    for (const row of data) expect(row).toHaveLength(header.length);
    const column = (row: string[], name: string) => row[header.indexOf(name)];
    const tricky = data.find((row) => column(row, 'id') === ids.csv);
    expect(tricky).toBeDefined();
    expect(column(tricky!, 'title')).toBe('Accord on "Rivers", Lakes\nand Wetlands');
    if (header.includes('summary'))
      expect(column(tricky!, 'summary')).toBe('Line one\nline "two", with comma');
    expect(
      column(
        data.find((row) => column(row, 'id') === ids.glacier)!,
        'status',
      ),
    ).toBe('adopted');
  });
});
