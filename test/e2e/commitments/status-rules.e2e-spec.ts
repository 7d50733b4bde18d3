import { projectionsLive, verifyOverHttp } from '../../projections/projection-fixtures.js';
import { TEST_ENGINES, type EngineName } from '../../support/test-database.js';
import {
  commitmentsApi,
  daysFromToday,
  expectProblem,
  fact,
  participation,
  uniqueParty,
} from '../e2e-fixtures.js';

describe.each(TEST_ENGINES)('status rules on %s', (engineName: EngineName) => {
  const api = commitmentsApi(engineName);

  it('proposed → under_negotiation → adopted → in_progress → completed', async () => {
    const id = await api.propose({ parties: ['NP', 'BT'] });
    expect((await api.view(id)).status).toBe('proposed');
    await api.develop(id, 'progress', fact('2024-04-01', { summary: 'Talks' }));
    expect((await api.view(id)).status).toBe('under_negotiation');
    await api.develop(id, 'adoptions', fact('2024-05-01', { adoptedBy: ['NP', 'BT'] }));
    expect((await api.view(id)).status).toBe('adopted');
    await api.develop(id, 'progress', fact('2024-06-01', { summary: 'Work started' }));
    expect((await api.view(id)).status).toBe('in_progress');
    await api.develop(id, 'completions', fact('2024-07-01'));
    const v = await api.view(id);
    expect(v.status).toBe('completed');
    expect(v.completedAt).toBe('2024-07-01T00:00:00.000Z');
  });

  it('refuses completing before adoption with 409 and a detail that says why', async () => {
    const id = await api.propose();
    const body = expectProblem(await api.attempt(id, 'completions', fact('2024-04-01')), 409);
    expect(body.detail).toContain(id);
    expect(body.detail).toMatch(/adopt/i);
    expect(await api.history(id)).toHaveLength(1);
  });

  it('refuses adopting a completed commitment, or adopting twice', async () => {
    const id = await api.adopted();
    expectProblem(await api.attempt(id, 'adoptions', fact('2024-07-01', { adoptedBy: ['NP'] })), 409);
    await api.develop(id, 'completions', fact('2024-08-01'));
    const body = expectProblem(
      await api.attempt(id, 'adoptions', fact('2024-09-01', { adoptedBy: ['NP'] })),
      409,
    );
    expect(body.detail).toMatch(/complet/i);
  });

  it('refuses a backdated development that would make a later entry illegal, naming it', async () => {
    const id = await api.adopted();
    const completion = await api.develop(id, 'completions', fact('2024-09-01'));
    // A suspension on 2024-07-01 with no resumption would leave the 2024-09-01 completion illegal.
    const body = expectProblem(
      await api.attempt(id, 'suspensions', fact('2024-07-01', { reason: 'x' })),
      409,
    );
    expect(body.detail).toMatch(/complet/i);
    expect(body.detail).toContain(completion.eventId);
    // A completion dated before the adoption is illegal at its own place in world order.
    const other = await api.adopted();
    expectProblem(await api.attempt(other, 'completions', fact('2024-06-01')), 409);
  });

  it('withdrawn when every party has withdrawn; completing it is refused; a rejoining restores the status', async () => {
    const id = await api.propose({ parties: ['NP', 'BT'] });
    await api.develop(id, 'adoptions', fact('2024-05-01', { adoptedBy: ['NP', 'BT'] }));
    await api.develop(id, 'progress', fact('2024-05-10', { summary: 'Started' }));
    await api.develop(id, 'withdrawals', fact('2024-06-01', { party: 'NP' }));
    expect((await api.view(id)).status).toBe('in_progress');
    await api.develop(id, 'withdrawals', fact('2024-06-02', { party: 'BT', effectiveOn: '2024-06-10' }));
    expect((await api.view(id, { asOf: '2024-06-05' })).status).toBe('in_progress');
    expect(participation(await api.view(id, { asOf: '2024-06-05' }), 'BT')?.participation).toBe(
      'withdrawing',
    );
    const withdrawn = await api.view(id);
    expect(withdrawn.status).toBe('withdrawn');
    expect(participation(withdrawn, 'BT')).toMatchObject({
      participation: 'withdrawn',
      withdrewAt: '2024-06-10',
    });
    const refused = expectProblem(await api.attempt(id, 'completions', fact('2024-07-01')), 409);
    expect(refused.detail).toMatch(/withdr/i);
    await api.develop(id, 'accessions', fact('2024-08-01', { party: 'BT' }));
    const back = await api.view(id);
    expect(back.status).toBe('in_progress');
    expect(participation(back, 'BT')?.participation).toBe('active');
    expect(participation(back, 'NP')?.participation).toBe('withdrawn');
  });

  it('refuses adopting a superseded or a withdrawn commitment', async () => {
    const successor = await api.propose();
    const superseded = await api.propose();
    await api.develop(superseded, 'supersessions', fact('2024-04-01', { supersededBy: successor }));
    const refused = expectProblem(
      await api.attempt(superseded, 'adoptions', fact('2024-05-01', { adoptedBy: ['NP'] })),
      409,
    );
    expect(refused.detail).toMatch(/supersed/i);
    const abandoned = await api.propose({ parties: ['NP'] });
    await api.develop(abandoned, 'withdrawals', fact('2024-04-01', { party: 'NP' }));
    expect((await api.view(abandoned)).status).toBe('withdrawn');
    const withdrawn = expectProblem(
      await api.attempt(abandoned, 'adoptions', fact('2024-05-01', { adoptedBy: ['NP'] })),
      409,
    );
    expect(withdrawn.detail).toMatch(/withdr/i);
  });

  it('refuses withdrawing a party that is not a party, or has already withdrawn', async () => {
    const id = await api.adopted();
    expectProblem(await api.attempt(id, 'withdrawals', fact('2024-07-01', { party: 'CN' })), 409);
    await api.develop(id, 'withdrawals', fact('2024-07-01', { party: 'BD' }));
    expectProblem(await api.attempt(id, 'withdrawals', fact('2024-08-01', { party: 'BD' })), 409);
  });

  it('suspends and resumes the whole commitment or one party; a resumption must match a suspension', async () => {
    const id = await api.adopted();
    expectProblem(await api.attempt(id, 'resumptions', fact('2024-06-20')), 409);
    expectProblem(await api.attempt(id, 'resumptions', fact('2024-06-20', { party: 'BT' })), 409);
    await api.develop(id, 'suspensions', fact('2024-07-01', { reason: 'Dispute' }));
    expect((await api.view(id)).status).toBe('suspended');
    expectProblem(await api.attempt(id, 'progress', fact('2024-07-05', { summary: 'x' })), 409);
    await api.develop(id, 'resumptions', fact('2024-08-01'));
    expect((await api.view(id)).status).toBe('adopted');
    await api.develop(id, 'suspensions', fact('2024-09-01', { party: 'BT', reason: 'Elections' }));
    const v = await api.view(id);
    expect(v.status).toBe('adopted');
    expect(participation(v, 'BT')?.participation).toBe('suspended');
    await api.develop(id, 'resumptions', fact('2024-10-01', { party: 'BT' }));
    expect(participation(await api.view(id), 'BT')?.participation).toBe('active');
  });

  it('compliance is the mean of the latest scores; statements set the latest stance', async () => {
    const id = await api.adopted();
    await api.develop(id, 'assessments', {
      occurredAt: '2024-07-01',
      party: 'NP',
      score: 1,
      rationale: 'Done',
    });
    await api.develop(id, 'assessments', {
      occurredAt: '2024-07-01',
      party: 'BT',
      score: 0,
      rationale: 'Partial',
    });
    expect((await api.view(id)).compliance).toBe(0.5);
    await api.develop(id, 'assessments', {
      occurredAt: '2024-08-01',
      party: 'NP',
      score: -1,
      rationale: 'Backslid',
    });
    const v = await api.view(id);
    expect(v.compliance).toBe(-0.5);
    expect(participation(v, 'NP')?.score).toBe(-1);
    expectProblem(
      await api.attempt(id, 'assessments', {
        occurredAt: '2024-08-01',
        party: 'CN',
        score: 1,
        rationale: 'x',
      }),
      409,
    );
    const speaker = { name: 'Minister', party: 'BD' };
    await api.develop(id, 'statements', fact('2024-07-01', { speaker, stance: 'supports', summary: 'a' }));
    await api.develop(id, 'statements', fact('2024-09-01', { speaker, stance: 'concerned', summary: 'b' }));
    expect(participation(await api.view(id), 'BD')?.stance).toBe('concerned');
  });

  it('supersession: terminal, needs an existing successor other than itself', async () => {
    const id = await api.adopted();
    const missing = expectProblem(
      await api.attempt(id, 'supersessions', fact('2024-07-01', { supersededBy: 'no-such-successor' })),
      409,
    );
    expect(missing.detail).toContain('no-such-successor');
    expectProblem(await api.attempt(id, 'supersessions', fact('2024-07-01', { supersededBy: id })), 409);
    const successor = await api.propose();
    await api.develop(id, 'supersessions', fact('2024-07-01', { supersededBy: successor }));
    const v = await api.view(id);
    expect(v.status).toBe('superseded');
    expect(v.supersededBy).toBe(successor);
    expectProblem(await api.attempt(id, 'progress', fact('2024-08-01', { summary: 'x' })), 409);
    expectProblem(await api.attempt(id, 'completions', fact('2024-08-01')), 409);
    expectProblem(
      await api.attempt(id, 'supersessions', fact('2024-08-01', { supersededBy: successor })),
      409,
    );
  });

  it('counts a missed deadline when a passed due date is replaced, not a pending one', async () => {
    const id = await api.propose({ dueDate: '2024-06-30' });
    await api.develop(id, 'deadlines', { occurredAt: '2024-05-01', dueDate: '2024-09-30' });
    expect((await api.view(id)).missedDeadlines).toBe(0);
    await api.develop(id, 'deadlines', { occurredAt: '2024-11-01', dueDate: '2030-12-31', reason: 'Reset' });
    const v = await api.view(id);
    expect(v.missedDeadlines).toBe(1);
    expect(v.dueDate).toBe('2030-12-31');
  });

  it('overdue is evaluated on the day it is read (or the asOf date)', async () => {
    const id = await api.propose({ occurredAt: '2024-01-10' });
    await api.develop(id, 'deadlines', { occurredAt: '2024-01-15', dueDate: '2024-06-30' });
    expect((await api.view(id)).overdue).toBe(true);
    expect((await api.view(id, { asOf: '2024-06-01' })).overdue).toBe(false);
    expect((await api.view(id, { asOf: '2024-06-30' })).overdue).toBe(false);
    expect((await api.view(id, { asOf: '2024-07-15' })).overdue).toBe(true);
    const dueToday = await api.propose({ dueDate: daysFromToday(0) });
    expect((await api.view(dueToday)).overdue).toBe(false);
    const dueYesterday = await api.propose({ dueDate: daysFromToday(-1) });
    expect((await api.view(dueYesterday)).overdue).toBe(true);
    const completed = await api.adopted({ dueDate: '2024-07-01' });
    await api.develop(completed, 'completions', fact('2024-08-01'));
    expect((await api.view(completed)).overdue).toBe(false);
  });

  it('participation after a future effectiveOn is right on the day it is read', async () => {
    const id = await api.adopted();
    await api.develop(
      id,
      'withdrawals',
      fact(daysFromToday(-1), { party: 'BD', effectiveOn: daysFromToday(30) }),
    );
    const v = await api.view(id);
    expect(v.status).toBe('adopted');
    expect(participation(v, 'BD')?.participation).toBe('withdrawing');
    const joiner = uniqueParty();
    await api.develop(
      id,
      'accessions',
      fact(daysFromToday(-1), { party: joiner, effectiveOn: daysFromToday(20) }),
    );
    expect(participation(await api.view(id), joiner)).toBeUndefined();
  });

  it('leaves every read model equal to a fresh fold of each commitment, as the audit finds', async () => {
    // Every history above, written through the command path: the inline snapshots included.
    await projectionsLive(api.app);
    const audit = await verifyOverHttp(api.app);
    expect(audit.differences).toEqual([]);
    expect(audit.streamsChecked).toBeGreaterThan(10);
  });
});
