import { TEST_ENGINES, type EngineName } from '../../support/test-database.js';
import { commitmentsApi, expectProblem, fact } from '../e2e-fixtures.js';

describe.each(TEST_ENGINES)('concurrency on %s', (engineName: EngineName) => {
  const api = commitmentsApi(engineName);

  it('If-Match: the current version appends, a stale one is 412', async () => {
    const id = await api.propose();
    const statement = fact('2024-03-05', {
      speaker: { name: 'A', party: 'NP' },
      stance: 'notes',
      summary: 's',
    });
    const ok = await api.develop(id, 'statements', statement, { 'If-Match': '"1"' });
    expect(ok.version).toBe(2);
    expect((await api.get(`/commitments/${id}`)).headers.etag).toBe('"2"');
    expectProblem(await api.attempt(id, 'statements', statement, { 'If-Match': '"1"' }), 412);
    expectProblem(await api.attempt(id, 'statements', statement, { 'If-Match': '"7"' }), 412);
    expect(await api.history(id)).toHaveLength(2);
  });

  it('32 parallel POSTs with the same If-Match: exactly one 201, the rest 412', async () => {
    const id = await api.propose();
    const responses = await Promise.all(
      Array.from({ length: 32 }, (_, i) =>
        api.attempt(
          id,
          'statements',
          fact('2024-03-05', {
            speaker: { name: `Speaker ${i}`, party: 'NP' },
            stance: 'notes',
            summary: `s${i}`,
          }),
          { 'If-Match': '"1"' },
        ),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(31);
    for (const r of responses.filter((x) => x.status === 412)) expectProblem(r, 412);
    expect((await api.history(id)).map((e) => e.version)).toEqual([1, 2]);
  });

  it('parallel POSTs without If-Match are retried once on the fresh state: 201 or 409, never a gap', async () => {
    const id = await api.propose();
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        api.attempt(
          id,
          'statements',
          fact('2024-03-05', {
            speaker: { name: `S${i}`, party: 'BT' },
            stance: 'supports',
            summary: `p${i}`,
          }),
        ),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(2);
    const versions = (await api.history(id)).map((e) => e.version);
    expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => i + 1));
    expect(versions).toHaveLength(1 + statuses.filter((s) => s === 201).length);
  });
});
