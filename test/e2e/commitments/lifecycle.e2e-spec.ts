import { TEST_ENGINES, type EngineName } from '../../support/test-database.js';
import {
  commitmentsApi,
  daysFromToday,
  expectCreated,
  expectProblem,
  fact,
  instantBetweenWrites,
  participation,
  proposal,
  unique,
} from '../e2e-fixtures.js';

describe.each(TEST_ENGINES)('the Northern Rivers accord, a lifecycle, on %s', (engineName: EngineName) => {
  const api = commitmentsApi(engineName);

  it('proposed, adopted, a withdrawal and a rejoining, a missed deadline, compliance — at several asOf/knownAt', async () => {
    const id = unique('northern-rivers-water-sharing');
    const known: Record<string, string> = {};
    const mark = async (name: string) => {
      known[name] = await instantBetweenWrites();
    };

    await mark('beforeProposal');
    expectCreated(
      await api.post(
        '/commitments',
        proposal({
          id,
          title: 'Northern Rivers Water-Sharing Accord',
          kind: 'agreement',
          parties: ['NP', 'BT', 'BD'],
          proposedBy: 'BD',
          topics: ['water', 'transboundary-rivers'],
          summary: 'Dry-season flow allocation among the three riparian states.',
          dueDate: '2024-12-31',
          occurredAt: '2024-02-10T08:30:00+05:45',
          meeting: 'Northern Rivers Commission, 4th session, Kathmandu',
        }),
      ),
    );
    await mark('proposed');
    await api.develop(
      id,
      'statements',
      fact('2024-03-01', {
        speaker: { name: 'Foreign Secretary', party: 'NP' },
        stance: 'urges',
        summary: 'Urged an early deal.',
      }),
    );
    await api.develop(
      id,
      'progress',
      fact('2024-04-15', { summary: 'Technical committee agreed flow baselines.' }),
    );
    await mark('negotiating');
    await api.develop(
      id,
      'adoptions',
      fact('2024-06-20', {
        adoptedBy: ['NP', 'BT', 'BD'],
        documentTitle: 'Northern Rivers Water-Sharing Accord',
      }),
    );
    await mark('adopted');
    await api.develop(id, 'progress', fact('2024-09-01', { summary: 'Joint gauging stations opened.' }));
    // BT announces a withdrawal that takes effect months later, then rejoins.
    await api.develop(
      id,
      'withdrawals',
      fact('2025-01-10', { party: 'BT', effectiveOn: '2025-07-01', reason: 'Hydropower dispute' }),
    );
    await mark('withdrawalAnnounced');
    await api.develop(
      id,
      'deadlines',
      fact('2025-03-20', { dueDate: '2027-12-31', reason: 'Flow tables renegotiated' }),
    );
    await api.develop(id, 'accessions', fact('2025-09-01', { party: 'BT' }));
    await mark('rejoined');
    await api.develop(id, 'assessments', {
      occurredAt: '2025-11-30',
      party: 'NP',
      score: 1,
      rationale: 'Released agreed flows',
      period: '2025 final',
    });
    await api.develop(id, 'assessments', {
      occurredAt: '2025-11-30',
      party: 'BD',
      score: 0,
      rationale: 'Gauges partly shared',
      period: '2025 final',
    });
    await api.develop(id, 'assessments', {
      occurredAt: '2025-11-30',
      party: 'BT',
      score: -1,
      rationale: 'Withheld data',
      period: '2025 final',
    });
    await api.develop(id, 'follow-ups', {
      reviewOn: daysFromToday(45),
      note: 'Check the 2026 dry-season release',
    });
    await mark('assessed');

    const now = await api.view(id);
    expect(now).toMatchObject({
      id,
      status: 'in_progress',
      proposedAt: '2024-02-10T02:45:00.000Z',
      adoptedAt: '2024-06-20T00:00:00.000Z',
      dueDate: '2027-12-31',
      missedDeadlines: 1,
      overdue: false,
      compliance: 0,
      nextReviewOn: daysFromToday(45),
      lastDevelopmentAt: '2025-11-30T00:00:00.000Z',
      version: 12,
      eventCount: 12,
      meeting: 'Northern Rivers Commission, 4th session, Kathmandu',
    });
    expect(participation(now, 'BT')).toMatchObject({ participation: 'active', score: -1 });
    expect(participation(now, 'NP')).toMatchObject({ participation: 'active', stance: 'urges', score: 1 });

    // The world, as it stood.
    expectProblem(await api.get(`/commitments/${id}`, { asOf: '2024-02-09' }), 404);
    expect((await api.view(id, { asOf: '2024-03-15' })).status).toBe('proposed');
    expect((await api.view(id, { asOf: '2024-05-01' })).status).toBe('under_negotiation');
    const julyAdopted = await api.view(id, { asOf: '2024-07-01' });
    expect(julyAdopted.status).toBe('adopted');
    expect(julyAdopted.overdue).toBe(false);
    const beforeReset = await api.view(id, { asOf: '2025-02-01' });
    expect(beforeReset.status).toBe('in_progress');
    expect(beforeReset.overdue).toBe(true);
    expect(beforeReset.dueDate).toBe('2024-12-31');
    expect(beforeReset.missedDeadlines).toBe(0);
    expect(participation(beforeReset, 'BT')?.participation).toBe('withdrawing');
    const afterReset = await api.view(id, { asOf: '2025-04-01' });
    expect(afterReset.missedDeadlines).toBe(1);
    expect(afterReset.overdue).toBe(false);
    const summer = await api.view(id, { asOf: '2025-08-01' });
    expect(participation(summer, 'BT')).toMatchObject({
      participation: 'withdrawn',
      withdrewAt: '2025-07-01',
    });
    expect(summer.status).toBe('in_progress');
    expect(participation(await api.view(id, { asOf: '2025-09-02' }), 'BT')?.participation).toBe('active');

    // The record, as it was known.
    expectProblem(await api.get(`/commitments/${id}`, { knownAt: known.beforeProposal }), 404);
    expect((await api.view(id, { knownAt: known.proposed })).status).toBe('proposed');
    expect((await api.view(id, { knownAt: known.negotiating })).status).toBe('under_negotiation');
    const knownWithdrawal = await api.view(id, { knownAt: known.withdrawalAnnounced });
    expect(knownWithdrawal.status).toBe('in_progress');
    expect(knownWithdrawal.version).toBe(6);
    expect(knownWithdrawal.dueDate).toBe('2024-12-31');
    expect(knownWithdrawal.overdue).toBe(true);
    expect(participation(knownWithdrawal, 'BT')?.participation).toBe('withdrawn');
    expect((await api.view(id, { knownAt: known.rejoined })).compliance).toBeNull();
    expect((await api.view(id, { knownAt: known.assessed })).compliance).toBe(0);

    // Both: in August 2025, as known before the rejoining was recorded vs after.
    const augustThen = await api.view(id, { asOf: '2025-08-01', knownAt: known.withdrawalAnnounced });
    expect(participation(augustThen, 'BT')?.participation).toBe('withdrawn');
    expect(augustThen.dueDate).toBe('2024-12-31');
    const octoberThen = await api.view(id, { asOf: '2025-10-01', knownAt: known.withdrawalAnnounced });
    expect(participation(octoberThen, 'BT')?.participation).toBe('withdrawn');
    const octoberNow = await api.view(id, { asOf: '2025-10-01', knownAt: known.rejoined });
    expect(participation(octoberNow, 'BT')?.participation).toBe('active');

    const events = await api.history(id);
    expect(events).toHaveLength(12);
    expect(events.every((e) => e.retracted === false && e.recordedBy === 'analyst')).toBe(true);
  });
});
