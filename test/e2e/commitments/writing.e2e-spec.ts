import {
  DEVELOPMENT_ACTION_NAMES,
  type DevelopmentAction,
} from '../../../src/commitments/write/development-actions.js';
import { TEST_ENGINES, type EngineName } from '../../support/test-database.js';
import {
  commitmentsApi,
  daysFromToday,
  developmentUrl,
  expectCreated,
  expectFieldError,
  fact,
  participation,
  proposal,
  unique,
  type Body,
  type Development,
  type Written,
} from '../e2e-fixtures.js';

describe.each(TEST_ENGINES)('writing developments on %s', (engineName: EngineName) => {
  const api = commitmentsApi(engineName);

  it('answers 201 { commitmentId, eventId, version } for every endpoint, version counting from 1', async () => {
    const successor = await api.propose({ title: 'Successor Basin Accord' });
    const id = await api.propose({
      title: 'Headwaters Flow Data Exchange',
      kind: 'agreement',
      parties: ['NP', 'BT'],
      proposedBy: 'NP',
      topics: ['water', 'data-sharing'],
      summary: 'Daily flow data from every headwater gauge.',
      dueDate: '2030-06-30',
      meeting: '1st Northern Rivers Ministerial, Kathmandu',
    });
    const steps: [Development, Body][] = [
      [
        'statements',
        fact('2024-03-05', {
          speaker: { name: 'Minister Dorji', role: 'Foreign Minister', party: 'BT' },
          stance: 'supports',
          summary: 'Welcomed the data exchange.',
        }),
      ],
      ['progress', fact('2024-04-01', { summary: 'Drafting committee met.' })],
      [
        'adoptions',
        fact('2024-06-15', {
          adoptedBy: ['NP', 'BT'],
          witnessedBy: ['UN'],
          documentTitle: 'Thimphu Protocol',
        }),
      ],
      [
        'progress',
        fact('2024-07-01', {
          summary: 'Gauges online.',
          metrics: [{ name: 'gauges', value: 14, unit: 'stations', period: '2024-Q3' }],
        }),
      ],
      ['suspensions', fact('2024-08-01', { party: 'BT', reason: 'Budget review' })],
      ['resumptions', fact('2024-08-20', { party: 'BT' })],
      ['suspensions', fact('2024-09-01', { reason: 'Flood season' })],
      ['resumptions', fact('2024-09-15')],
      ['accessions', fact('2024-10-01', { party: 'BD' })],
      ['withdrawals', fact('2024-10-20', { party: 'BD', reason: 'Domestic review' })],
      ['assessments', { occurredAt: '2024-11-01', party: 'NP', score: 1, rationale: 'All gauges report.' }],
      ['deadlines', { dueDate: '2031-01-31', reason: 'Extension agreed', occurredAt: '2024-11-02' }],
      ['follow-ups', { reviewOn: '2031-01-15', note: 'Check the data portal', assignee: 'desk-south-asia' }],
      ['completions', fact('2024-12-01', { summary: 'All data exchanged.' })],
    ];
    const written: Written[] = [];
    for (const [action, body] of steps) written.push(await api.develop(id, action, body));
    expect(written.map((w) => w.version)).toEqual(steps.map((_, i) => i + 2));
    expect(written.every((w) => w.commitmentId === id)).toBe(true);
    expect(new Set(written.map((w) => w.eventId)).size).toBe(written.length);

    const statement = written[0];
    const retraction = await api.develop(id, 'retractions', {
      eventId: statement.eventId,
      reason: 'Misattributed',
    });
    expect(retraction.version).toBe(steps.length + 2);
    const correction = await api.develop(id, 'corrections', {
      title: 'Northern Rivers Data Accord',
      reason: 'other',
      note: 'The title was abbreviated',
    });
    expect(correction.version).toBe(steps.length + 3);

    // Supersession needs a commitment that is not completed: a fresh one.
    const other = await api.adopted();
    const superseded = await api.develop(
      other,
      'supersessions',
      fact('2024-12-05', { supersededBy: successor }),
    );
    expect(superseded.version).toBe(3);

    // Signatures and reservations apply to any commitment; a withdrawal names its reservation in the path.
    const declared = await api.adopted();
    expect((await api.develop(declared, 'signatures', fact('2024-07-01', { party: 'NP' }))).version).toBe(3);
    const reservation = await api.develop(
      declared,
      'reservations',
      fact('2024-07-02', { party: 'NP', kind: 'declaration', text: 'Gauges on federal land only.' }),
    );
    const withdrawal = expectCreated(
      await api.post(
        developmentUrl('reservation-withdrawals', declared, reservation.eventId),
        fact('2024-08-01'),
      ),
    );
    expect(withdrawal.version).toBe(5);

    // Every action of the table was exercised: a new endpoint needs a step here.
    const exercised = new Set<DevelopmentAction>([
      'propose',
      ...steps.map(([action]) => action),
      'retractions',
      'corrections',
      'supersessions',
      'signatures',
      'reservations',
      'reservation-withdrawals',
    ]);
    expect([...exercised].sort()).toEqual([...DEVELOPMENT_ACTION_NAMES].sort());

    const events = await api.history(id);
    expect(events.map((e) => e.type)).toEqual([
      'CommitmentProposed',
      'StatementRecorded',
      'ProgressReported',
      'CommitmentAdopted',
      'ProgressReported',
      'CommitmentSuspended',
      'CommitmentResumed',
      'CommitmentSuspended',
      'CommitmentResumed',
      'PartyJoined',
      'PartyWithdrew',
      'ComplianceAssessed',
      'DeadlineSet',
      'FollowUpScheduled',
      'CommitmentCompleted',
      'EntryRetracted',
      'ProposalCorrected',
    ]);
    expect(events.map((e) => e.eventId).slice(1)).toEqual(
      [...written, retraction, correction].map((w) => w.eventId),
    );

    const v = await api.view(id);
    expect(v.title).toBe('Northern Rivers Data Accord');
    expect(v.status).toBe('completed');
    expect(v.completedAt).toBe('2024-12-01T00:00:00.000Z');
    expect(v.adoptedAt).toBe('2024-06-15T00:00:00.000Z');
    expect(v.dueDate).toBe('2031-01-31');
    expect(v.compliance).toBe(1);
    expect(v.nextReviewOn).toBe('2031-01-15');
    expect(v.version).toBe(17);
    expect(v.eventCount).toBe(17);
    expect(participation(v, 'BD')?.participation).toBe('withdrawn');
    expect(participation(v, 'NP')).toMatchObject({ participation: 'active', score: 1 });
    // The statement was retracted: BT's stance is gone.
    expect(participation(v, 'BT')?.stance).toBeUndefined();
    expect((await api.view(other)).status).toBe('superseded');
    expect((await api.view(other)).supersededBy).toBe(successor);
  });

  it('generates the id from the title when none is given', async () => {
    const body = proposal({ title: `Glacier Lake Early Warning ${unique('x')}` });
    delete body.id;
    const created = expectCreated(await api.post('/commitments', body));
    expect(created.commitmentId).toMatch(/^[a-z0-9][a-z0-9-]{2,79}$/);
    expect(created.commitmentId).toMatch(/^glacier-lake-early-warning/);
    expect((await api.view(created.commitmentId)).title).toBe(body.title);
  });

  it('stores date-times with offsets as UTC', async () => {
    const id = await api.propose({ occurredAt: '2024-10-11T09:00:00+07:00' });
    await api.develop(
      id,
      'statements',
      fact('2024-10-12T23:30:00-05:00', {
        speaker: { name: 'Envoy', party: 'NP' },
        stance: 'welcomes',
        summary: 'Late-night statement.',
      }),
    );
    const v = await api.view(id);
    expect(v.proposedAt).toBe('2024-10-11T02:00:00.000Z');
    expect(v.lastDevelopmentAt).toBe('2024-10-13T04:30:00.000Z');
    const events = await api.history(id);
    expect(events.map((e) => e.occurredAt)).toEqual(['2024-10-11T02:00:00.000Z', '2024-10-13T04:30:00.000Z']);
    for (const e of events) expect(e.recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('accepts occurredAt up to a day ahead, refuses it further ahead', async () => {
    const id = await api.propose();
    const soon = new Date(Date.now() + 3_600_000).toISOString();
    await api.develop(
      id,
      'statements',
      fact(soon, { speaker: { name: 'A', party: 'NP' }, stance: 'notes', summary: 's' }),
    );
    const later = new Date(Date.now() + 2 * 86_400_000 + 60_000).toISOString();
    expectFieldError(
      await api.attempt(
        id,
        'statements',
        fact(later, { speaker: { name: 'A', party: 'NP' }, stance: 'notes', summary: 's' }),
      ),
      'occurredAt',
    );
    expectFieldError(
      await api.post('/commitments', proposal({ occurredAt: daysFromToday(3) })),
      'occurredAt',
    );
  });

  it('lets deadlines and assessments go without a source, and follow-ups without occurredAt', async () => {
    const id = await api.adopted();
    await api.develop(id, 'deadlines', { dueDate: '2032-01-01' });
    await api.develop(id, 'assessments', {
      party: 'BT',
      score: 0,
      rationale: 'Partly done',
      period: '2025 interim',
    });
    await api.develop(id, 'follow-ups', { reviewOn: daysFromToday(10), note: 'Ask the secretariat' });
    const v = await api.view(id);
    expect(v.dueDate).toBe('2032-01-01');
    expect(v.compliance).toBe(0);
    expect(v.nextReviewOn).toBe(daysFromToday(10));
  });
});
