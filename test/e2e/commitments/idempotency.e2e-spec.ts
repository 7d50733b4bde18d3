import { TEST_ENGINES, type EngineName } from '../../support/test-database.js';
import { commitmentsApi, expectCreated, expectProblem, fact, proposal, unique } from '../e2e-fixtures.js';

describe.each(TEST_ENGINES)('idempotency on %s', (engineName: EngineName) => {
  const api = commitmentsApi(engineName);

  it('Idempotency-Key: the same key and body answers the first answer again and appends nothing', async () => {
    const id = await api.propose();
    const key = unique('idem');
    const body = fact('2024-04-01', { summary: 'Progress once' });
    const first = await api.attempt(id, 'progress', body, { 'Idempotency-Key': key });
    expectCreated(first);
    const again = await api.attempt(id, 'progress', body, { 'Idempotency-Key': key });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await api.history(id)).toHaveLength(2);
    const other = await api.attempt(
      id,
      'progress',
      { ...body, summary: 'Different' },
      { 'Idempotency-Key': key },
    );
    expectProblem(other, 422);
    expect(await api.history(id)).toHaveLength(2);
  });

  it('Idempotency-Key on POST /commitments: a retry is the first 201, not a 409', async () => {
    const key = unique('idem-propose');
    const body = proposal();
    const first = await api.post('/commitments', body, { 'Idempotency-Key': key });
    expectCreated(first);
    const retry = await api.post('/commitments', body, { 'Idempotency-Key': key });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
  });

  it('the same Idempotency-Key sent 10 times in parallel appends once; all answers identical', async () => {
    const id = await api.propose();
    const key = unique('idem-race');
    const body = fact('2024-04-01', { summary: 'Raced progress' });
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => api.attempt(id, 'progress', body, { 'Idempotency-Key': key })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201));
    for (const r of responses) expect(r.body).toEqual(responses[0].body);
    const events = await api.history(id);
    expect(events).toHaveLength(2);
    expect(events[1].eventId).toBe(responses[0].body.eventId);
  });
});
