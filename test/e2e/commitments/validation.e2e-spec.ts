import { TEST_ENGINES, type EngineName } from '../../support/test-database.js';
import {
  commitmentsApi,
  expectFieldError,
  expectProblem,
  fact,
  proposal,
  type Body,
  type Development,
} from '../e2e-fixtures.js';

describe.each(TEST_ENGINES)('validation on %s', (engineName: EngineName) => {
  const api = commitmentsApi(engineName);
  let id: string;

  beforeAll(async () => {
    id = await api.adopted();
  });

  it.each<[string, Body, string, boolean]>([
    ['source.title missing', { source: { publisher: 'x' } }, 'source.title', false],
    ['source missing', { source: undefined }, 'source', false],
    ['occurredAt missing', { occurredAt: undefined }, 'occurredAt', false],
    ['occurredAt not a date', { occurredAt: '11 October' }, 'occurredAt', false],
    ['title missing', { title: undefined }, 'title', false],
    ['kind unknown', { kind: 'treaty' }, 'kind', false],
    ['parties empty', { parties: [] }, 'parties', false],
    ['party code lower-case', { parties: ['np'] }, 'parties', true],
    ['party code too long', { proposedBy: 'ABCDEFGHIJKLMNOPQ' }, 'proposedBy', false],
    ['topic not kebab-case', { topics: ['Maritime Security'] }, 'topics', true],
    ['id with capitals', { id: 'Bad-ID' }, 'id', false],
    ['dueDate not a date', { dueDate: '2030-13-45' }, 'dueDate', false],
    [
      'source.quote over 1000 chars',
      { source: { title: 't', quote: 'q'.repeat(1001) } },
      'source.quote',
      false,
    ],
    [
      'source.publishedAt not a date',
      { source: { title: 't', publishedAt: 'yesterday' } },
      'source.publishedAt',
      false,
    ],
    ['unknown top-level field', { colour: 'blue' }, 'colour', false],
    ['unknown nested field', { source: { title: 't', secret: 'x' } }, 'source.secret', false],
  ])('POST /commitments: %s → 400 naming the field', async (_name, override, field, prefix) => {
    const body = proposal(override);
    for (const key of Object.keys(override)) if (override[key] === undefined) delete body[key];
    expectFieldError(await api.post('/commitments', body), field, prefix);
  });

  it.each<[Development, string, Body, string, boolean]>([
    [
      'statements',
      'stance unknown',
      fact('2024-07-01', { speaker: { name: 'A', party: 'NP' }, stance: 'loves', summary: 's' }),
      'stance',
      false,
    ],
    [
      'statements',
      'speaker party invalid',
      fact('2024-07-01', { speaker: { name: 'A', party: 'n' }, stance: 'notes', summary: 's' }),
      'speaker.party',
      false,
    ],
    [
      'statements',
      'speaker name missing',
      fact('2024-07-01', { speaker: { party: 'NP' }, stance: 'notes', summary: 's' }),
      'speaker.name',
      false,
    ],
    ['adoptions', 'adoptedBy empty', fact('2024-07-01', { adoptedBy: [] }), 'adoptedBy', false],
    [
      'progress',
      'metric value not a number',
      fact('2024-07-01', { summary: 's', metrics: [{ name: 'm', value: 'ten' }] }),
      'metrics[0].value',
      false,
    ],
    [
      'progress',
      'unknown metric field',
      fact('2024-07-01', { summary: 's', metrics: [{ name: 'm', value: 1, extra: 1 }] }),
      'metrics[0].extra',
      false,
    ],
    [
      'withdrawals',
      'effectiveOn not a date',
      fact('2024-07-01', { party: 'BT', effectiveOn: 'soon' }),
      'effectiveOn',
      false,
    ],
    [
      'assessments',
      'score out of scale',
      { occurredAt: '2024-07-01', party: 'NP', score: 2, rationale: 'r' },
      'score',
      false,
    ],
    [
      'assessments',
      'rationale missing',
      { occurredAt: '2024-07-01', party: 'NP', score: 1 },
      'rationale',
      false,
    ],
    ['supersessions', 'supersededBy missing', fact('2024-07-01'), 'supersededBy', false],
    ['deadlines', 'dueDate missing', { reason: 'r' }, 'dueDate', false],
    ['follow-ups', 'reviewOn missing', { note: 'n' }, 'reviewOn', false],
    ['retractions', 'eventId missing', { reason: 'r' }, 'eventId', false],
    ['retractions', 'reason missing', { eventId: '00000000-0000-4000-8000-000000000000' }, 'reason', false],
    ['suspensions', 'reason missing', fact('2024-07-01'), 'reason', false],
  ])('POST /commitments/:id/%s: %s → 400 naming the field', async (action, _name, body, field, prefix) => {
    expectFieldError(await api.attempt(id, action, body), field, prefix);
  });

  it.each([
    ['an unknown field', (deep: Body) => ({ source: { title: 't', extra: deep } })],
    ['the source itself', (deep: Body) => ({ source: deep })],
  ])('answers 400, not 500, for %s nested 5000 levels deep (a 30 KB body)', async (_what, shape) => {
    const depth = 5000;
    const deep = JSON.parse('{"a":'.repeat(depth) + '1' + '}'.repeat(depth)) as Body;
    expectProblem(await api.post('/commitments', proposal(shape(deep))), 400);
  });

  it('names every failed field at once', async () => {
    const res = await api.post('/commitments', { title: 'Only a title', kind: 'bogus', extra: true });
    expectFieldError(res, 'kind');
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining(['kind', 'parties', 'proposedBy', 'occurredAt', 'source', 'extra']),
    );
  });

  it('refuses an Idempotency-Key over 200 characters with 400', async () => {
    const res = await api.post('/commitments', proposal(), { 'Idempotency-Key': 'k'.repeat(201) });
    expectProblem(res, 400);
  });

  it.each([
    ['asOf', 'last tuesday'],
    ['knownAt', 'not-a-time'],
  ])('GET /commitments/:id refuses %s=%s with 400', async (name, value) => {
    expectFieldError(await api.get(`/commitments/${id}`, { [name]: value }), name);
  });

  it('415 for a development sent as text/plain', async () => {
    const res = await api.app.http
      .post(`/commitments/${id}/statements`)
      .set(api.auth('analyst'))
      .set('Content-Type', 'text/plain')
      .send('a statement');
    expectProblem(res, 415);
  });

  it('404 for a development on an unknown commitment; 409 for a proposal with an existing id', async () => {
    expectProblem(
      await api.attempt('nobody-proposed-this', 'progress', fact('2024-07-01', { summary: 's' })),
      404,
    );
    const body = expectProblem(await api.post('/commitments', proposal({ id })), 409);
    expect(body.detail).toContain(id);
  });
});
