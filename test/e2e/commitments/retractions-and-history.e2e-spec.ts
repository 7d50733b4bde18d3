import { TEST_ENGINES, type EngineName } from '../../support/test-database.js';
import { commitmentsApi, expectProblem, fact, nextMillisecond, source, UUID } from '../e2e-fixtures.js';

describe.each(TEST_ENGINES)('retractions and history on %s', (engineName: EngineName) => {
  const api = commitmentsApi(engineName);

  it('lists every event in stream order, retracted ones marked with retractedBy', async () => {
    const id = await api.adopted();
    const completion = await api.develop(id, 'completions', fact('2024-09-01'));
    // Recorded times have millisecond resolution: the retraction must be recorded at a later one.
    await nextMillisecond();
    const retraction = await api.develop(id, 'retractions', {
      eventId: completion.eventId,
      reason: 'Wrong commitment',
    });
    const events = await api.history(id);
    expect(events.map((e) => e.version)).toEqual([1, 2, 3, 4]);
    expect(events.map((e) => e.type)).toEqual([
      'CommitmentProposed',
      'CommitmentAdopted',
      'CommitmentCompleted',
      'EntryRetracted',
    ]);
    for (const e of events) {
      expect(e.eventId).toMatch(UUID);
      expect(e.recordedBy).toBe('analyst');
      expect(typeof e.data).toBe('object');
    }
    expect(events[2]).toMatchObject({
      eventId: completion.eventId,
      retracted: true,
      retractedBy: retraction.eventId,
    });
    expect(events[0].retracted).toBe(false);
    expect(events[0].retractedBy).toBeUndefined();
    expect(events[3]).toMatchObject({
      retracted: false,
      // A reason that is not a code is recorded as `other`, with the text as the note.
      data: { eventId: completion.eventId, reason: 'other', note: 'Wrong commitment' },
    });
    expect(events[1].data).toMatchObject({
      adoptedBy: ['NP', 'BT', 'BD'],
      source: { title: source().title },
    });
    expect(Date.parse(events[3].recordedAt)).toBeGreaterThan(Date.parse(events[2].recordedAt));

    const v = await api.view(id);
    expect(v.status).toBe('adopted');
    expect(v.completedAt).toBeNull();
    expect(v.version).toBe(4);
    expect(v.eventCount).toBe(4);
  });

  it('retraction errors: 404 unknown event, 409 retracting a retraction or a retracted entry', async () => {
    const id = await api.adopted();
    const other = await api.adopted();
    const progress = await api.develop(id, 'progress', fact('2024-07-01', { summary: 'x' }));
    const foreign = await api.develop(other, 'progress', fact('2024-07-01', { summary: 'y' }));
    expectProblem(
      await api.attempt(id, 'retractions', { eventId: '00000000-0000-4000-8000-000000000000', reason: 'r' }),
      404,
    );
    expectProblem(await api.attempt(id, 'retractions', { eventId: foreign.eventId, reason: 'r' }), 404);
    const retraction = await api.develop(id, 'retractions', {
      eventId: progress.eventId,
      reason: 'duplicate',
    });
    expectProblem(await api.attempt(id, 'retractions', { eventId: progress.eventId, reason: 'again' }), 409);
    expectProblem(await api.attempt(id, 'retractions', { eventId: retraction.eventId, reason: 'undo' }), 409);
  });

  it('refuses a retraction that a later entry depends on (409)', async () => {
    const id = await api.propose();
    const adoption = await api.develop(id, 'adoptions', fact('2024-06-15', { adoptedBy: ['NP'] }));
    await api.develop(id, 'completions', fact('2024-09-01'));
    const body = expectProblem(
      await api.attempt(id, 'retractions', { eventId: adoption.eventId, reason: 'r' }),
      409,
    );
    expect(body.detail).toMatch(/complet/i);
  });

  it('404 for the history of an unknown commitment', async () => {
    expectProblem(await api.get('/commitments/never-proposed-here/history'), 404);
  });
});
