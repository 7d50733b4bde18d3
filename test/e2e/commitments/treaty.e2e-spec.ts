import { importFile } from '../../imports/import-fixtures.js';
import { projectionsLive, verifyOverHttp } from '../../projections/projection-fixtures.js';
import { TEST_ENGINES, type EngineName } from '../../support/test-database.js';
import {
  type Body,
  commitmentsApi,
  type CommitmentView,
  developmentUrl,
  expectCreated,
  expectFieldError,
  expectProblem,
  fact,
  instantBetweenWrites,
  participation,
  proposal,
  unique,
  type Written,
} from '../e2e-fixtures.js';

const DAY_MS = 86_400_000;

/** The calendar date `days` after `date`. */
function plusDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** A proposal of an agreement among `parties` that enters into force by `rule`. */
function treaty(parties: string[], rule: Body, overrides: Body = {}): Body {
  return proposal({
    id: unique('treaty'),
    title: 'Convention on the Northern Rivers Watercourses',
    kind: 'agreement',
    parties,
    proposedBy: parties[0],
    occurredAt: '2019-06-01',
    entryIntoForce: rule,
    ...overrides,
  });
}

describe.each(TEST_ENGINES)('treaty-grade participation on %s', (engineName: EngineName) => {
  const api = commitmentsApi(engineName);

  const proposeTreaty = async (parties: string[], rule: Body, overrides: Body = {}) =>
    expectCreated(await api.post('/commitments', treaty(parties, rule, overrides))).commitmentId;
  const deposit = (id: string, party: string, on: string, action = 'accession', extra: Body = {}) =>
    api.develop(id, 'accessions', fact(on, { party, action, ...extra }));
  const statusAsOf = async (id: string, asOf: string) => (await api.view(id, { asOf })).status;
  const standingAsOf = async (id: string, party: string, asOf: string) =>
    participation(await api.view(id, { asOf }), party)?.participation;

  describe('a 50-instrument treaty, in force 90 days after the 50th', () => {
    const states = Array.from({ length: 51 }, (_, i) => `S${String(i + 1).padStart(2, '0')}`);
    const depositOn = (i: number) => plusDays('2020-01-01', i * 3);
    const fiftieth = depositOn(49);
    const inForceOn = plusDays(fiftieth, 90);
    const topic = unique('treaty-topic');
    let id = '';
    const deposits: Written[] = [];

    beforeAll(async () => {
      id = await proposeTreaty(states.slice(0, 50), { instruments: 50, daysAfter: 90 }, { topics: [topic] });
      await api.develop(id, 'adoptions', fact('2019-12-01', { adoptedBy: states.slice(0, 50) }));
      for (let i = 0; i < 50; i++) {
        // Every fifth state signs first and ratifies; the others accede.
        if (i % 5 === 0) await api.develop(id, 'signatures', fact('2019-12-02', { party: states[i] }));
        deposits.push(await deposit(id, states[i], depositOn(i), i % 5 === 0 ? 'ratification' : 'accession'));
      }
    });

    it('flips to in_force exactly on day 90 at asOf, and is in force today', async () => {
      expect(await statusAsOf(id, plusDays(inForceOn, -1))).toBe('adopted');
      expect(await statusAsOf(id, inForceOn)).toBe('in_force');
      const view = await api.view(id);
      expect(view.status).toBe('in_force');
      expect(view.entryIntoForce).toEqual({
        rule: { instruments: 50, daysAfter: 90 },
        instrumentsDeposited: 50,
        reachedOn: fiftieth,
        inForceOn,
      });
      expect(participation(view, 'S01')).toEqual({
        party: 'S01',
        participation: 'active',
        joinedAt: inForceOn,
        signedOn: '2019-12-02',
        consent: { action: 'ratification', depositedOn: depositOn(0), effectiveOn: inForceOn },
        reservations: [],
      });
      const before = await api.view(id, { asOf: plusDays(fiftieth, -1) });
      expect(before.entryIntoForce).toMatchObject({
        instrumentsDeposited: 49,
        reachedOn: null,
        inForceOn: null,
      });
      expect(participation(before, 'S01')?.participation).toBe('pending');
      expect(participation(before, 'S01')?.consent?.effectiveOn).toBeNull();
      expect(participation(before, 'S50')).toBeUndefined();
    });

    it('lists and counts it under in_force', async () => {
      const list = await api.get('/commitments', { status: 'in_force', topic });
      expect(list.status).toBe(200);
      expect((list.body as { items: CommitmentView[] }).items.map((item) => item.id)).toEqual([id]);
      const adopted = await api.get('/commitments', { status: 'adopted', topic });
      expect((adopted.body as { items: CommitmentView[] }).items).toEqual([]);
      const stats = await api.get('/statistics/commitments', { topic });
      expect(stats.body).toMatchObject({ total: 1, byStatus: { in_force: 1, adopted: 0 } });
    });

    it('keeps a state depositing after entry into force pending for its own 90 days', async () => {
      const late = plusDays(inForceOn, 200);
      await deposit(id, states[50], late);
      expect(await standingAsOf(id, states[50], plusDays(late, 89))).toBe('pending');
      expect(await standingAsOf(id, states[50], plusDays(late, 90))).toBe('active');
      const party = participation(await api.view(id), states[50]);
      expect(party?.consent).toEqual({
        action: 'accession',
        depositedOn: late,
        effectiveOn: plusDays(late, 90),
      });
    });

    it('shows the treaty statuses and participations on the party view', async () => {
      const signatory = 'SIGNATORY-ONLY';
      await api.develop(id, 'signatures', fact('2020-01-01', { party: signatory }));
      await projectionsLive(api.app);
      const row = async (party: string) => {
        const res = await api.get(`/parties/${party}`);
        expect(res.status).toBe(200);
        const rows = (res.body as { commitments: { commitmentId: string }[] }).commitments;
        return rows.find((r) => r.commitmentId === id);
      };
      expect(await row('S01')).toMatchObject({ status: 'in_force', participation: 'active' });
      expect(await row(signatory)).toMatchObject({ status: 'in_force', participation: 'signatory' });
    });

    it('moves entry into force to the next deposit when the 50th is retracted', async () => {
      await api.develop(id, 'retractions', { eventId: deposits[49].eventId, reason: 'wrong_date' });
      const view = await api.view(id);
      const late = plusDays(inForceOn, 200);
      expect(view.entryIntoForce).toEqual({
        rule: { instruments: 50, daysAfter: 90 },
        instrumentsDeposited: 50,
        reachedOn: late,
        inForceOn: plusDays(late, 90),
      });
      expect(await statusAsOf(id, inForceOn)).toBe('adopted');
      expect(await standingAsOf(id, 'S01', inForceOn)).toBe('pending');
      expect(await statusAsOf(id, plusDays(late, 90))).toBe('in_force');
      expect(participation(view, 'S50')).toBeUndefined();
    });

    it('stays in force when a party denounces it, which takes effect for that party', async () => {
      // After the retraction below, the agreement is in force from 90 days after the 51st deposit.
      const nowInForceOn = plusDays(inForceOn, 290);
      const denounced = plusDays(nowInForceOn, 400);
      await api.develop(
        id,
        'withdrawals',
        fact(plusDays(nowInForceOn, 30), { party: 'S02', effectiveOn: denounced }),
      );
      expect(await standingAsOf(id, 'S02', plusDays(denounced, -1))).toBe('withdrawing');
      expect(await standingAsOf(id, 'S02', denounced)).toBe('withdrawn');
      expect(await statusAsOf(id, denounced)).toBe('in_force');
    });
  });

  it('counts calendar months across a leap day', async () => {
    const id = await proposeTreaty(['NP', 'BT'], { instruments: 2, monthsAfter: 12 });
    await api.develop(id, 'adoptions', fact('2023-01-15', { adoptedBy: ['NP', 'BT'] }));
    await deposit(id, 'NP', '2023-06-01');
    await deposit(id, 'BT', '2024-02-29');
    expect((await api.view(id)).entryIntoForce?.inForceOn).toBe('2025-02-28');
    expect(await statusAsOf(id, '2025-02-27')).toBe('adopted');
    expect(await statusAsOf(id, '2025-02-28')).toBe('in_force');
  });

  it('lets a backdated deposit recorded late move entry into force at knownAt after it, not before', async () => {
    const id = await proposeTreaty(['NP', 'BT', 'BD', 'IN'], { instruments: 3, daysAfter: 30 });
    await api.develop(id, 'adoptions', fact('2020-12-01', { adoptedBy: ['NP', 'BT', 'BD', 'IN'] }));
    await deposit(id, 'NP', '2021-01-01');
    await deposit(id, 'BT', '2021-02-01');
    await deposit(id, 'BD', '2021-05-01');
    const beforeTheLateRecord = await instantBetweenWrites();
    await deposit(id, 'IN', '2021-03-01', 'succession');
    const believed = await api.view(id, { knownAt: beforeTheLateRecord });
    expect(believed.entryIntoForce).toMatchObject({ reachedOn: '2021-05-01', inForceOn: '2021-05-31' });
    expect((await api.view(id, { knownAt: beforeTheLateRecord, asOf: '2021-04-15' })).status).toBe('adopted');
    const known = await api.view(id);
    expect(known.entryIntoForce).toMatchObject({ reachedOn: '2021-03-01', inForceOn: '2021-03-31' });
    expect(await statusAsOf(id, '2021-04-15')).toBe('in_force');
    expect(participation(known, 'BD')?.consent).toEqual({
      action: 'accession',
      depositedOn: '2021-05-01',
      effectiveOn: '2021-05-31',
    });
  });

  it('records reservations, an objection and withdrawals, with the rules that bind them', async () => {
    const id = await proposeTreaty(['NP', 'BT'], { instruments: 2, daysAfter: 0 });
    await api.develop(id, 'signatures', fact('2020-01-10', { party: 'NP' }));
    const reservation = await api.develop(
      id,
      'reservations',
      fact('2020-01-10', { party: 'NP', kind: 'reservation', text: 'Article 7 does not bind NP.' }),
    );
    expectProblem(
      await api.attempt(
        id,
        'reservations',
        fact('2020-02-01', { party: 'BD', kind: 'declaration', text: 'x' }),
      ),
      409,
    );
    await deposit(id, 'BT', '2020-02-01');
    const objection = await api.develop(
      id,
      'reservations',
      fact('2020-02-02', {
        party: 'BT',
        kind: 'objection',
        text: 'Article 7 is essential.',
        objectsTo: 'NP',
      }),
    );
    expectFieldError(
      await api.attempt(
        id,
        'reservations',
        fact('2020-02-03', { party: 'BT', kind: 'objection', text: 'x' }),
      ),
      'objectsTo',
    );
    expectFieldError(
      await api.attempt(
        id,
        'reservations',
        fact('2020-02-03', { party: 'BT', kind: 'declaration', text: 'x', objectsTo: 'NP' }),
      ),
      'objectsTo',
    );
    const withdraw = (eventId: string, on: string) =>
      api.post(developmentUrl('reservation-withdrawals', id, eventId), fact(on));
    // The objection answers the reservation: retracting the reservation would leave it answering nothing.
    expectProblem(
      await api.attempt(id, 'retractions', { eventId: reservation.eventId, reason: 'other', note: 'x' }),
      409,
    );
    expectCreated(await withdraw(reservation.eventId, '2020-06-01'));
    expectProblem(await withdraw(reservation.eventId, '2020-07-01'), 409);
    const unknown = expectProblem(await withdraw('7d444840-9dc0-11d1-b245-5ffdce74fad2', '2020-07-01'), 404);
    expect(unknown.type).toBe('/problems/reservation-not-found');
    expectProblem(await withdraw('not-an-event', '2020-07-01'), 404);
    expectProblem(await withdraw(objection.eventId, '2020-01-01'), 409);

    const view = await api.view(id);
    expect(participation(view, 'NP')?.reservations).toEqual([
      {
        eventId: reservation.eventId,
        kind: 'reservation',
        text: 'Article 7 does not bind NP.',
        madeOn: '2020-01-10',
        withdrawnOn: '2020-06-01',
      },
    ]);
    expect(participation(view, 'NP')?.participation).toBe('signatory');
    expect(participation(view, 'BT')?.reservations).toEqual([
      {
        eventId: objection.eventId,
        kind: 'objection',
        text: 'Article 7 is essential.',
        objectsTo: 'NP',
        madeOn: '2020-02-02',
      },
    ]);
    const earlier = await api.view(id, { asOf: '2020-05-31' });
    expect(participation(earlier, 'NP')?.reservations?.[0]).not.toHaveProperty('withdrawnOn');
    expect(participation(await api.view(id, { asOf: '2020-01-31' }), 'BT')?.participation).toBeUndefined();
  });

  it('refuses a ratification without signature, a second signature and one after consent, recording nothing', async () => {
    const id = await proposeTreaty(['NP', 'BT'], { instruments: 2, daysAfter: 30 });
    const refused = expectProblem(
      await api.attempt(id, 'accessions', fact('2020-03-01', { party: 'NP', action: 'ratification' })),
      409,
    );
    expect(refused.detail).toMatch(/NP had not signed it/);
    await api.develop(id, 'signatures', fact('2020-01-01', { party: 'NP' }));
    expectProblem(await api.attempt(id, 'signatures', fact('2020-01-02', { party: 'NP' })), 409);
    await deposit(id, 'BT', '2020-02-01', 'definitive_signature');
    expectProblem(await api.attempt(id, 'signatures', fact('2020-02-02', { party: 'BT' })), 409);
    expectProblem(
      await api.attempt(id, 'accessions', fact('2020-02-03', { party: 'BT', action: 'accession' })),
      409,
    );
    expect((await api.history(id)).map((event) => event.type)).toEqual([
      'CommitmentProposed',
      'PartySigned',
      'PartyJoined',
    ]);
    expect(participation(await api.view(id), 'BT')).toMatchObject({
      participation: 'pending',
      signedOn: '2020-02-01',
      consent: { action: 'definitive_signature', depositedOn: '2020-02-01', effectiveOn: null },
    });
  });

  it.each<[Body | string, string]>([
    [{ instruments: 0, daysAfter: 90 }, 'entryIntoForce.instruments'],
    [{ instruments: 2.5, daysAfter: 90 }, 'entryIntoForce.instruments'],
    [{ daysAfter: 90 }, 'entryIntoForce.instruments'],
    [{ instruments: 50 }, 'entryIntoForce.daysAfter'],
    [{ instruments: 50, daysAfter: 90, monthsAfter: 3 }, 'entryIntoForce.daysAfter'],
    [{ instruments: 50, daysAfter: -1 }, 'entryIntoForce.daysAfter'],
    [{ instruments: 50, daysAfter: 1e9 }, 'entryIntoForce.daysAfter'],
    [{ instruments: 50, monthsAfter: 1.5 }, 'entryIntoForce.monthsAfter'],
    [{ instruments: 50, daysAfter: 90, weeksAfter: 2 }, 'entryIntoForce.weeksAfter'],
    ['90 days after the 50th', 'entryIntoForce'],
  ])('refuses entryIntoForce %j with a 400 naming %s, recording nothing', async (rule, field) => {
    const body = treaty(['NP', 'BT'], {}, { entryIntoForce: rule });
    expectFieldError(await api.post('/commitments', body), field);
    expectProblem(await api.get(`/commitments/${body.id as string}`), 404);
  });

  it('refuses an accession action that is not one', async () => {
    const id = await proposeTreaty(['NP', 'BT'], { instruments: 2, daysAfter: 30 });
    expectFieldError(
      await api.attempt(id, 'accessions', fact('2020-03-01', { party: 'NP', action: 'ratify' })),
      'action',
    );
  });

  it('answers a commitment without a rule exactly as before, consent actions included', async () => {
    const id = await api.adopted();
    const view = await api.view(id);
    expect(view).not.toHaveProperty('entryIntoForce');
    expect(view.parties.every((party) => !('reservations' in party))).toBe(true);
    await deposit(id, 'IN', '2024-07-01');
    expect(participation(await api.view(id), 'IN')).toMatchObject({
      participation: 'active',
      joinedAt: '2024-07-01',
    });
  });

  it('imports the treaty actions: accessionAction for an accession, eventId for a reservation withdrawal', async () => {
    const id = unique('imported-treaty');
    const line = (action: string, body: Body) => JSON.stringify({ action, commitmentId: id, ...body });
    const first = await importFile(
      api.app,
      [
        line('propose', treaty(['NP', 'BT'], { instruments: 2, monthsAfter: 1 }, { id: undefined })),
        line('adoptions', fact('2020-01-05', { adoptedBy: ['NP', 'BT'] })),
        line('signatures', fact('2020-01-10', { party: 'NP' })),
        line('accessions', fact('2020-01-31', { party: 'NP', accessionAction: 'ratification' })),
        line('accessions', fact('2020-02-01', { party: 'BT', accessionAction: 'accession' })),
        line(
          'reservations',
          fact('2020-02-01', { party: 'BT', kind: 'declaration', text: 'On rivers only.' }),
        ),
        line('accessions', fact('2020-02-02', { party: 'IN', accessionAction: 'ratification' })),
      ].join('\n') + '\n',
    );
    expect(first).toMatchObject({ state: 'completed', appended: 6, refused: 1 });
    expect(first.refusals[0]).toMatchObject({ line: 7, problem: { status: 409 } });
    const view = await api.view(id);
    expect(view.entryIntoForce).toMatchObject({ reachedOn: '2020-02-01', inForceOn: '2020-03-01' });
    const reservation = participation(view, 'BT')?.reservations?.[0]?.eventId;
    const second = await importFile(
      api.app,
      [
        line('reservation-withdrawals', fact('2020-05-01', { eventId: reservation })),
        line('reservation-withdrawals', fact('2020-05-01', { eventId: 'not-a-reservation' })),
      ].join('\n') + '\n',
    );
    expect(second).toMatchObject({ appended: 1, refused: 1 });
    expect(second.refusals[0]).toMatchObject({ line: 2, field: 'eventId', problem: { status: 400 } });
    expect(participation(await api.view(id), 'BT')?.reservations?.[0]?.withdrawnOn).toBe('2020-05-01');
    expect(participation(await api.view(id), 'NP')?.consent?.action).toBe('ratification');
  });

  it('leaves every read model equal to a fresh fold of each commitment', async () => {
    await projectionsLive(api.app);
    const audit = await verifyOverHttp(api.app);
    expect(audit.differences).toEqual([]);
  });
});
