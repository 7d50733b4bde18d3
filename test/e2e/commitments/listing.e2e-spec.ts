import { TEST_ENGINES, type EngineName } from '../../support/test-database.js';
import {
  commitmentsApi,
  expectFieldError,
  proposeListingFixture,
  type CommitmentView,
  type ListingFixture,
} from '../e2e-fixtures.js';

describe.each(TEST_ENGINES)('listing on %s', (engineName: EngineName) => {
  const api = commitmentsApi(engineName);
  let topic: string;
  let party: string;
  let ids: ListingFixture['ids'];

  beforeAll(async () => {
    ({ topic, party, ids } = await proposeListingFixture(api));
  });

  async function list(
    query: Record<string, string>,
  ): Promise<{ items: CommitmentView[]; nextCursor: string | null }> {
    const res = await api.get('/commitments', query);
    if (res.status !== 200)
      throw new Error(`GET /commitments ${JSON.stringify(query)}: ${res.status} ${res.text}`);
    expect(Object.keys(res.body).sort()).toEqual(['items', 'nextCursor']);
    expect(Array.isArray(res.body.items)).toBe(true);
    expect(res.body.nextCursor === null || typeof res.body.nextCursor === 'string').toBe(true);
    return res.body;
  }
  const idsOf = (items: CommitmentView[]) => items.map((i) => i.id).sort();

  it('lists items in the same shape as GET /commitments/:id', async () => {
    const { items } = await list({ topic });
    expect(idsOf(items)).toEqual(Object.values(ids).sort());
    const one = items.find((i) => i.id === ids.glacier);
    expect(one).toEqual(await api.view(ids.glacier));
  });

  it('filters by status, party, topic and kind', async () => {
    expect(idsOf((await list({ topic, status: 'adopted' })).items)).toEqual([ids.glacier]);
    expect(idsOf((await list({ topic, status: 'proposed' })).items)).toEqual(
      [ids.sediment, ids.overdue, ids.csv, ids.plain].sort(),
    );
    expect(idsOf((await list({ party })).items)).toEqual([ids.glacier]);
    expect(idsOf((await list({ topic, kind: 'pledge' })).items)).toEqual([ids.overdue, ids.csv].sort());
    expect(idsOf((await list({ topic: 'csv-check' })).items)).toEqual([ids.csv]);
  });

  it('filters by overdue=true|false on the day it is read', async () => {
    expect(idsOf((await list({ topic, overdue: 'true' })).items)).toEqual([ids.overdue]);
    expect(idsOf((await list({ topic, overdue: 'false' })).items)).not.toContain(ids.overdue);
    expect((await list({ topic, overdue: 'false' })).items).toHaveLength(4);
  });

  it('searches words in title and summary with q', async () => {
    expect(idsOf((await list({ topic, q: 'glacier' })).items)).toEqual([ids.glacier]);
    expect(idsOf((await list({ topic, q: 'Glacier monitoring' })).items)).toEqual([ids.glacier]);
    expect(idsOf((await list({ topic, q: 'sediment' })).items)).toEqual([ids.sediment]);
    expect((await list({ topic, q: 'nonexistentword' })).items).toEqual([]);
  });

  it('pages with limit and nextCursor, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: Record<string, string> = { topic, limit: '2' };
      if (cursor) query.cursor = cursor;
      const page = await list(query);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(Object.values(ids).sort());
    expect((await list({ topic, limit: '200' })).nextCursor).toBeNull();
  });

  it.each([
    ['limit', '0'],
    ['limit', '201'],
    ['limit', 'many'],
    ['overdue', 'maybe'],
    ['status', 'forgotten'],
    ['kind', 'treaty'],
    ['cursor', 'not-a-cursor'],
    ['cursor', ''],
    ['party', 'lower-case'],
    ['topic', 'Not Kebab'],
  ])('refuses the bad query parameter %s=%s with 400', async (name, value) => {
    expectFieldError(await api.get('/commitments', { [name]: value }), name);
  });
});
