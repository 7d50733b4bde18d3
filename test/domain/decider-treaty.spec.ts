import {
  IllegalTransitionError,
  ReservationNotFoundError,
} from '../../src/commitments/domain/shared/commitment.errors.js';
import type { CommitmentSnapshot } from '../../src/commitments/domain/commitment.snapshot.js';
import { participationOn, statusTimeline } from '../../src/commitments/domain/status-rules.js';
import { addMonths } from '../../src/commitments/domain/shared/world-time.js';
import {
  adopted,
  at,
  command,
  completed,
  event,
  given,
  proposed,
  proposedData,
  retracted,
  source,
  suspended,
  withdrew,
} from './decider-fixtures.js';

/** The commitment decider, given/when/then: treaty-grade participation. */
describe('commitment decider', () => {
  describe('treaty-grade participation', () => {
    const treaty = (rule: { instruments: number; daysAfter?: number; monthsAfter?: number }) =>
      event('CommitmentProposed', {
        ...proposedData,
        kind: 'agreement',
        parties: ['FR', 'DE'],
        entryIntoForce: rule,
      });
    const signed = (party: string) => event('PartySigned', { party, source });
    const consented = (
      party: string,
      action: 'ratification' | 'accession' | 'approval' | 'definitive_signature',
      effectiveOn?: string,
    ) => event('PartyJoined', { party, action, source, ...(effectiveOn ? { effectiveOn } : {}) });
    const reserved = (party: string, kind: 'reservation' | 'declaration' | 'objection', objectsTo?: string) =>
      event('ReservationMade', {
        party,
        kind,
        text: 'Article 12 does not apply',
        source,
        ...(objectsTo ? { objectsTo } : {}),
      });
    const threeInstruments = [
      at('2020-01-10', treaty({ instruments: 3, daysAfter: 30 })),
      at('2020-02-01', adopted),
      at('2020-02-01', signed('FR')),
      at('2020-02-01', signed('DE')),
      at('2020-03-01', consented('FR', 'ratification')),
      at('2020-04-01', consented('DE', 'ratification')),
      at('2020-05-01', consented('IT', 'accession')),
    ];

    it('adds calendar months clamped to the end of a shorter month', () => {
      expect(addMonths('1993-11-16', 12)).toBe('1994-11-16');
      expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
      expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
      expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
      expect(addMonths('2024-12-15', 3)).toBe('2025-03-15');
    });

    it('records a signature, and refuses a second one or one after consent', () => {
      const start = given(at('2020-01-10', treaty({ instruments: 2, daysAfter: 0 })));
      start.when(command('SignAgreement', '2020-02-01', { party: 'FR', source })).then([signed('FR')]);
      given(at('2020-01-10', treaty({ instruments: 2, daysAfter: 0 })), at('2020-02-01', signed('FR')))
        .when(command('SignAgreement', '2020-02-02', { party: 'FR', source }))
        .thenThrows(IllegalTransitionError, /FR had already signed it on 2020-02-01/);
      given(
        at('2020-01-10', treaty({ instruments: 2, daysAfter: 0 })),
        at('2020-02-01', consented('FR', 'accession')),
      )
        .when(command('SignAgreement', '2020-02-02', { party: 'FR', source }))
        .thenThrows(IllegalTransitionError, /already consented to be bound/);
    });

    it('requires a signature before ratification, acceptance and approval, not before accession', () => {
      const start = given(at('2020-01-10', treaty({ instruments: 2, daysAfter: 0 })));
      start
        .when(command('RecordAccession', '2020-02-01', { party: 'FR', action: 'ratification', source }))
        .thenThrows(IllegalTransitionError, /FR had not signed it by then/);
      start
        .when(command('RecordAccession', '2020-02-01', { party: 'FR', action: 'approval', source }))
        .thenThrows(IllegalTransitionError, /an instrument of approval confirms a signature/);
      start
        .when(command('RecordAccession', '2020-02-01', { party: 'FR', action: 'accession', source }))
        .then([consented('FR', 'accession')]);
      start
        .when(
          command('RecordAccession', '2020-02-01', { party: 'FR', action: 'definitive_signature', source }),
        )
        .then([consented('FR', 'definitive_signature')]);
    });

    it('refuses a second instrument while the first is pending', () => {
      given(...threeInstruments.slice(0, 5))
        .when(command('RecordAccession', '2020-03-05', { party: 'FR', action: 'ratification', source }))
        .thenThrows(IllegalTransitionError, /already deposited its instrument of consent on 2020-03-01/);
    });

    it('enters into force the period after the N-th instrument, and not before', () => {
      const history = given(...threeInstruments);
      expect(history.view('2020-05-30').status).toBe('adopted');
      const inForce = history.view('2020-05-31');
      expect(inForce.status).toBe('in_force');
      expect(inForce.entryIntoForce).toEqual({
        rule: { instruments: 3, daysAfter: 30 },
        instrumentsDeposited: 3,
        reachedOn: '2020-05-01',
        inForceOn: '2020-05-31',
      });
      expect(history.view('2020-05-30').parties).toEqual([
        expect.objectContaining({ party: 'FR', participation: 'pending', signedOn: '2020-02-01' }),
        expect.objectContaining({ party: 'DE', participation: 'pending' }),
        expect.objectContaining({ party: 'IT', participation: 'pending' }),
      ]);
      expect(inForce.parties[0]).toEqual({
        party: 'FR',
        participation: 'active',
        joinedAt: '2020-05-31',
        signedOn: '2020-02-01',
        consent: { action: 'ratification', depositedOn: '2020-03-01', effectiveOn: '2020-05-31' },
        reservations: [],
      });
      const earlier = history.view('2020-04-15', { asOf: '2020-04-15' });
      expect(earlier.entryIntoForce).toMatchObject({
        instrumentsDeposited: 2,
        reachedOn: null,
        inForceOn: null,
      });
      expect(earlier.parties[0].consent).toEqual({
        action: 'ratification',
        depositedOn: '2020-03-01',
        effectiveOn: null,
      });
      const timeline = statusTimeline(history.snapshot() as CommitmentSnapshot);
      expect(timeline.since.at(-1)).toBe('2020-05-31');
      expect(timeline.values.at(-1)).toBe('in_force');
    });

    it('lists signatories as such, and they do not count as parties', () => {
      const view = given(...threeInstruments.slice(0, 4)).view('2020-02-15');
      expect(view.status).toBe('adopted');
      expect(view.parties.map((party) => [party.party, party.participation])).toEqual([
        ['FR', 'signatory'],
        ['DE', 'signatory'],
      ]);
      expect(given(...threeInstruments.slice(0, 2)).view('2020-02-15').parties).toEqual([]);
    });

    it('makes a later consent take effect the period after its own deposit', () => {
      const history = given(...threeInstruments, at('2020-07-01', consented('ES', 'accession')));
      expect(
        participationOn(history.snapshot() as CommitmentSnapshot, 'ES', '2020-07-30')?.participation,
      ).toBe('pending');
      expect(
        participationOn(history.snapshot() as CommitmentSnapshot, 'ES', '2020-07-31')?.participation,
      ).toBe('active');
      const early = given(
        ...threeInstruments.slice(0, 6),
        at('2020-04-20', consented('ES', 'accession')),
        threeInstruments[6],
      );
      // ES is now the third instrument: in force 30 days after it; IT, later, 30 days after its own.
      const consents = early
        .view('2020-06-01')
        .parties.map((party) => [party.party, party.consent?.effectiveOn]);
      expect(consents).toEqual([
        ['FR', '2020-05-20'],
        ['DE', '2020-05-20'],
        ['ES', '2020-05-20'],
        ['IT', '2020-05-31'],
      ]);
    });

    it('lets an explicit effectiveOn win', () => {
      const history = given(
        ...threeInstruments,
        at('2020-07-01', consented('ES', 'accession', '2020-07-05')),
      );
      expect(
        participationOn(history.snapshot() as CommitmentSnapshot, 'ES', '2020-07-05')?.participation,
      ).toBe('active');
    });

    it('counts calendar months for a monthsAfter rule, across a leap day', () => {
      const history = given(
        at('2023-01-10', treaty({ instruments: 1, monthsAfter: 12 })),
        at('2023-02-01', adopted),
        at('2024-02-29', consented('FR', 'accession')),
      );
      expect(history.view('2025-02-27').status).toBe('adopted');
      expect(history.view('2025-02-28').status).toBe('in_force');
    });

    it('keeps the agreement in force through a denunciation, not through a suspension', () => {
      const history = given(...threeInstruments, at('2021-01-01', withdrew('FR', '2021-06-01')));
      expect(history.view('2021-06-02').status).toBe('in_force');
      expect(history.view('2021-06-02').parties[0]).toMatchObject({
        participation: 'withdrawn',
        withdrewAt: '2021-06-01',
      });
      expect(given(...threeInstruments, at('2021-01-01', suspended())).view('2021-02-01').status).toBe(
        'suspended',
      );
      expect(given(...threeInstruments, at('2021-01-01', completed)).view('2021-02-01').status).toBe(
        'completed',
      );
    });

    it('needs adoption to be in force', () => {
      const history = given(
        at('2020-01-10', treaty({ instruments: 1, daysAfter: 0 })),
        at('2020-02-01', consented('FR', 'accession')),
      );
      expect(history.view('2020-03-01').status).toBe('proposed');
    });

    it('treats a consent without a rule as an accession on the day of deposit', () => {
      const history = given(at('2020-08-05', proposed), at('2021-01-01', consented('VN', 'accession')));
      const view = history.view('2021-01-01');
      expect(view.status).toBe('proposed');
      expect(view.entryIntoForce).toBeUndefined();
      expect(view.parties[2]).toMatchObject({ party: 'VN', participation: 'active', joinedAt: '2021-01-01' });
    });

    it('moves entry into force when the N-th instrument is retracted', () => {
      const history = given(
        ...threeInstruments,
        at('2020-06-01', consented('ES', 'accession')),
        at('2020-06-02', retracted('e7'), { recordedAt: '2020-06-02' }),
      );
      expect(history.view('2020-07-01').entryIntoForce).toMatchObject({
        reachedOn: '2020-06-01',
        inForceOn: '2020-07-01',
      });
      expect(history.view('2020-06-30').status).toBe('adopted');
    });

    it('refuses to retract a signature that a ratification confirms', () => {
      given(...threeInstruments)
        .when(command('RetractEntry', '2026-03-01', { eventId: 'e3', reason: 'misattributed' }))
        .thenThrows(IllegalTransitionError, /the ratification by FR on 2020-03-01/);
    });

    it('records reservations and objections to reservations in force', () => {
      const history = given(...threeInstruments);
      // The same objection: refused before FR's reservation is in force, recorded once it is.
      const objectionByDE = command('MakeReservation', '2020-06-01', {
        party: 'DE',
        kind: 'objection',
        text: 'Article 12 does not apply',
        objectsTo: 'FR',
        source,
      });
      history
        .when(
          command('MakeReservation', '2020-03-01', {
            party: 'FR',
            kind: 'reservation',
            text: 'Article 12 does not apply',
            source,
          }),
        )
        .then([reserved('FR', 'reservation')]);
      history
        .when(objectionByDE)
        .thenThrows(IllegalTransitionError, /FR had no reservation in force to object to/);
      history
        .when(
          command('MakeReservation', '2020-06-01', { party: 'GB', kind: 'declaration', text: 'x', source }),
        )
        .thenThrows(IllegalTransitionError, /GB had neither signed it nor consented/);
      const withReservation = given(...threeInstruments, at('2020-03-01', reserved('FR', 'reservation')));
      withReservation.when(objectionByDE).then([reserved('DE', 'objection', 'FR')]);
      withReservation
        .when(
          command('MakeReservation', '2020-06-01', {
            party: 'FR',
            kind: 'objection',
            text: 'x',
            objectsTo: 'FR',
            source,
          }),
        )
        .thenThrows(IllegalTransitionError, /cannot object to its own reservation/);
    });

    it('withdraws a reservation once, and only one that exists', () => {
      const history = given(...threeInstruments, at('2020-03-01', reserved('FR', 'reservation')));
      history
        .when(command('WithdrawReservation', '2021-01-01', { eventId: 'e8', source }))
        .then([event('ReservationWithdrawn', { eventId: 'e8', source })]);
      history
        .when(command('WithdrawReservation', '2021-01-01', { eventId: 'e2', source }))
        .thenThrows(ReservationNotFoundError);
      history
        .when(command('WithdrawReservation', '2020-02-01', { eventId: 'e8', source }))
        .thenThrows(IllegalTransitionError, /had not been made by then/);
      const withdrawn = given(
        ...threeInstruments,
        at('2020-03-01', reserved('FR', 'reservation')),
        at('2021-01-01', event('ReservationWithdrawn', { eventId: 'e8', source })),
      );
      withdrawn
        .when(command('WithdrawReservation', '2021-02-01', { eventId: 'e8', source }))
        .thenThrows(IllegalTransitionError, /had already been withdrawn on 2021-01-01/);
      expect(withdrawn.view('2021-02-01').parties[0].reservations).toEqual([
        {
          eventId: 'e8',
          kind: 'reservation',
          text: 'Article 12 does not apply',
          madeOn: '2020-03-01',
          withdrawnOn: '2021-01-01',
        },
      ]);
      expect(withdrawn.view('2020-12-31', { asOf: '2020-12-31' }).parties[0].reservations).toEqual([
        { eventId: 'e8', kind: 'reservation', text: 'Article 12 does not apply', madeOn: '2020-03-01' },
      ]);
    });

    it('refuses to retract a reservation that an objection answers', () => {
      given(
        ...threeInstruments,
        at('2020-03-01', reserved('FR', 'reservation')),
        at('2020-06-01', reserved('DE', 'objection', 'FR')),
      )
        .when(command('RetractEntry', '2026-03-01', { eventId: 'e8', reason: 'misattributed' }))
        .thenThrows(IllegalTransitionError, /the objection by DE/);
    });
  });
});
