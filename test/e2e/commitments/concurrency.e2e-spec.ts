import type { Response } from 'supertest';
import { TEST_ENGINES, type EngineName } from '../../support/test-database.js';
import { commitmentsApi, expectCreated, expectProblem, fact } from '../e2e-fixtures.js';

/** A statement that is legal whatever was appended before it: what the parallel writers send. */
const statement = (n: number) =>
  fact('2024-03-05', { speaker: { name: `Speaker ${n}`, party: 'NP' }, stance: 'notes', summary: `s${n}` });

/** How many answers had each status, e.g. `{ 201: 159, 409: 1 }`: a failure shows the whole spread. */
const tally = (responses: Response[]) =>
  responses.reduce<Record<number, number>>(
    (count, r) => ({ ...count, [r.status]: (count[r.status] ?? 0) + 1 }),
    {},
  );

describe.each(TEST_ENGINES)('concurrency on %s', (engineName: EngineName) => {
  const api = commitmentsApi(engineName);

  it('If-Match: the current version appends, a stale one is 412', async () => {
    const id = await api.propose();
    const ok = await api.develop(id, 'statements', statement(0), { 'If-Match': '"1"' });
    expect(ok.version).toBe(2);
    expect((await api.get(`/commitments/${id}`)).headers.etag).toBe('"2"');
    expectProblem(await api.attempt(id, 'statements', statement(0), { 'If-Match': '"1"' }), 412);
    expectProblem(await api.attempt(id, 'statements', statement(0), { 'If-Match': '"7"' }), 412);
    expect(await api.history(id)).toHaveLength(2);
  });

  it('32 parallel POSTs with the same If-Match: exactly one 201, the rest 412', async () => {
    const id = await api.propose();
    const responses = await Promise.all(
      Array.from({ length: 32 }, (_, i) =>
        api.attempt(id, 'statements', statement(i), { 'If-Match': '"1"' }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(31);
    for (const r of responses.filter((x) => x.status === 412)) expectProblem(r, 412);
    expect((await api.history(id)).map((e) => e.version)).toEqual([1, 2]);
  });

  it('16 writers without If-Match, 10 statements each: every legal write is 201, versions gapless and distinct', async () => {
    const id = await api.propose();
    const writers = 16;
    const rounds = 10;
    const perWriter = await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        const responses: Response[] = [];
        for (let round = 0; round < rounds; round++) {
          responses.push(await api.attempt(id, 'statements', statement(writer * rounds + round)));
        }
        return responses;
      }),
    );
    const responses = perWriter.flat();
    // A lost race is retried on the fresh state: 409 is only for an illegal development.
    const refusals = responses.filter((r) => r.status !== 201).map((r) => `${r.status} ${r.body.detail}`);
    expect({ statuses: tally(responses), refusals }).toEqual({
      statuses: { 201: writers * rounds },
      refusals: [],
    });
    const written = responses.map(expectCreated);
    expect(new Set(written.map((w) => w.version)).size).toBe(written.length);

    const events = await api.history(id);
    expect(events.map((e) => e.version)).toEqual(Array.from({ length: 1 + written.length }, (_, i) => i + 1));
    const eventAt = new Map(events.map((e) => [e.version, e.eventId]));
    for (const w of written) expect(eventAt.get(w.version)).toBe(w.eventId);
    const v = await api.view(id);
    expect(v.version).toBe(1 + written.length);
    expect(v.eventCount).toBe(1 + written.length);
  });
});
