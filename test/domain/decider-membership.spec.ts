import { IllegalTransitionError } from '../../src/commitments/domain/shared/commitment.errors.js';
import type { CommitmentSnapshot } from '../../src/commitments/domain/commitment.snapshot.js';
import { statusOn, statusTimeline } from '../../src/commitments/domain/status-rules.js';
import {
  adopted,
  assessed,
  at,
  command,
  given,
  joined,
  progress,
  proposed,
  resumed,
  source,
  suspended,
  withdrew,
} from './decider-fixtures.js';

/** The commitment decider, given/when/then: withdrawal, accession, suspension and compliance. */
describe('commitment decider', () => {
  describe('withdrawal and accession', () => {
    const announcedNow = given(
      at('2020-08-05', proposed),
      at('2020-09-10', adopted),
      at('2026-03-01', withdrew('US', '2027-01-22')),
    );

    it('shows a withdrawal announced now with a future effective date as withdrawing, then withdrawn', () => {
      expect(announcedNow.view('2026-03-01').parties).toContainEqual({
        party: 'US',
        participation: 'withdrawing',
        withdrewAt: '2027-01-22',
      });
      expect(announcedNow.view('2027-01-21').parties).toContainEqual({
        party: 'US',
        participation: 'withdrawing',
        withdrewAt: '2027-01-22',
      });
      expect(announcedNow.view('2027-01-22').parties).toContainEqual({
        party: 'US',
        participation: 'withdrawn',
        withdrewAt: '2027-01-22',
      });
      expect(announcedNow.view('2027-01-22').status).toBe('adopted');
    });

    it('turns the commitment withdrawn on the date the last withdrawal takes effect', () => {
      const history = given(
        at('2020-08-05', proposed),
        at('2020-09-10', adopted),
        at('2026-02-01', withdrew('ASEAN')),
        at('2026-03-01', withdrew('US', '2027-01-22')),
      );
      expect(history.view('2026-03-01').status).toBe('adopted');
      expect(history.view('2027-01-22').status).toBe('withdrawn');
      const snapshot = history.snapshot() as CommitmentSnapshot;
      expect(statusTimeline(snapshot)).toEqual({
        since: ['-infinity', '2027-01-22'],
        values: ['adopted', 'withdrawn'],
      });
      expect(statusOn(snapshot, '2027-01-21')).toBe('adopted');
    });

    it('defaults the effective date to the date the withdrawal occurred', () => {
      const history = given(at('2020-08-05', proposed), at('2025-06-01T10:00:00Z', withdrew('US')));
      expect(history.view('2025-06-01').parties).toContainEqual({
        party: 'US',
        participation: 'withdrawn',
        withdrewAt: '2025-06-01',
      });
    });

    it('refuses a withdrawal by a party that is not a party, or has already withdrawn', () => {
      given(at('2020-08-05', proposed))
        .when(command('RecordWithdrawal', '2025-01-01', { party: 'CN', source }))
        .thenThrows(IllegalTransitionError, /CN was not a party/);
      given(at('2020-08-05', proposed), at('2024-01-01', withdrew('US')))
        .when(command('RecordWithdrawal', '2025-01-01', { party: 'US', source }))
        .thenThrows(IllegalTransitionError, /US had already withdrawn \(effective 2024-01-01\)/);
    });

    it('returns a withdrawn commitment to its previous status when a party rejoins', () => {
      const history = given(
        at('2020-08-05', proposed),
        at('2020-09-10', adopted),
        at('2021-01-01', progress),
        at('2024-01-01', withdrew('ASEAN')),
        at('2024-01-01', withdrew('US')),
        at('2025-02-01', joined('US')),
      );
      expect(history.view('2024-06-01', { asOf: '2024-06-01' }).status).toBe('withdrawn');
      const view = history.view('2026-03-01');
      expect(view.status).toBe('in_progress');
      expect(view.parties).toEqual([
        { party: 'ASEAN', participation: 'withdrawn', withdrewAt: '2024-01-01' },
        { party: 'US', participation: 'active', joinedAt: '2025-02-01' },
      ]);
    });

    it('accepts a rejoining while the commitment is withdrawn, and refuses joining an active party', () => {
      const withdrawn = given(
        at('2020-08-05', proposed),
        at('2024-01-01', withdrew('ASEAN')),
        at('2024-01-01', withdrew('US')),
      );
      withdrawn.when(command('RecordAccession', '2025-02-01', { party: 'US', source })).then([joined('US')]);
      given(at('2020-08-05', proposed))
        .when(command('RecordAccession', '2025-02-01', { party: 'US', source }))
        .thenThrows(IllegalTransitionError, /US was already a party/);
    });

    it('rescinds a pending withdrawal when the party joins again before it takes effect', () => {
      const history = given(
        at('2020-08-05', proposed),
        at('2026-01-01', withdrew('US', '2027-01-22')),
        at('2026-02-01', joined('US')),
      );
      expect(history.view('2027-06-01').parties).toContainEqual({
        party: 'US',
        participation: 'active',
        joinedAt: '2026-02-01',
      });
    });

    it('lists a new party only from the date its accession takes effect', () => {
      const history = given(at('2020-08-05', proposed), at('2026-02-01', joined('VN', '2026-06-01')));
      expect(history.view('2026-03-01').parties.map((p) => p.party)).toEqual(['ASEAN', 'US']);
      expect(history.view('2026-06-01').parties).toContainEqual({
        party: 'VN',
        participation: 'active',
        joinedAt: '2026-06-01',
      });
    });
  });

  describe('suspension', () => {
    it('suspends one party without changing the commitment status', () => {
      const history = given(
        at('2020-08-05', proposed),
        at('2020-09-10', adopted),
        at('2021-02-01', suspended('US')),
      );
      const view = history.view('2026-03-01');
      expect(view.status).toBe('adopted');
      expect(view.parties).toContainEqual({ party: 'US', participation: 'suspended' });
    });

    it('suspends the whole commitment, and resumption returns it to its previous status', () => {
      const history = given(
        at('2020-08-05', proposed),
        at('2020-09-10', adopted),
        at('2021-01-01', progress),
        at('2021-02-01', suspended()),
      );
      expect(history.view('2026-03-01').status).toBe('suspended');
      history.when(command('ResumeCommitment', '2022-01-01', { source })).then([resumed()]);
      const resumedHistory = given(
        at('2020-08-05', proposed),
        at('2020-09-10', adopted),
        at('2021-01-01', progress),
        at('2021-02-01', suspended()),
        at('2022-01-01', resumed()),
      );
      expect(resumedHistory.view('2026-03-01').status).toBe('in_progress');
    });

    it('refuses a resumption that matches no earlier suspension', () => {
      const partySuspended = given(at('2020-08-05', proposed), at('2021-02-01', suspended('US')));
      partySuspended
        .when(command('ResumeCommitment', '2022-01-01', { source }))
        .thenThrows(IllegalTransitionError, /as a whole was not suspended/);
      partySuspended
        .when(command('ResumeCommitment', '2022-01-01', { party: 'ASEAN', source }))
        .thenThrows(IllegalTransitionError, /ASEAN had not suspended/);
      partySuspended
        .when(command('ResumeCommitment', '2022-01-01', { party: 'US', source }))
        .then([resumed('US')]);
      given(at('2020-08-05', proposed), at('2021-02-01', suspended()))
        .when(command('ResumeCommitment', '2022-01-01', { party: 'US', source }))
        .thenThrows(IllegalTransitionError, /US had not suspended/);
    });

    it('refuses a resumption dated before its suspension', () => {
      given(at('2020-08-05', proposed), at('2021-02-01', suspended()))
        .when(command('ResumeCommitment', '2021-01-01', { source }))
        .thenThrows(IllegalTransitionError);
    });

    it('refuses progress on a suspended commitment', () => {
      given(at('2020-08-05', proposed), at('2020-09-10', adopted), at('2021-02-01', suspended()))
        .when(command('ReportProgress', '2021-06-01', { summary: 'x', source }))
        .thenThrows(IllegalTransitionError, /Record the resumption first/);
    });
  });

  describe('compliance', () => {
    it('is the mean of the parties’ latest scores', () => {
      const history = given(
        at('2020-08-05', proposed),
        at('2020-09-10', adopted),
        at('2023-01-01', assessed('US', 1)),
        at('2023-01-01', assessed('ASEAN', 0)),
        at('2025-12-01', assessed('US', -1)),
      );
      const view = history.view('2026-03-01');
      expect(view.compliance).toBe(-0.5);
      expect(view.parties).toEqual([
        { party: 'ASEAN', participation: 'active', score: 0 },
        { party: 'US', participation: 'active', score: -1 },
      ]);
    });

    it('uses the latest score in world order, not in recording order', () => {
      const history = given(
        at('2020-08-05', proposed),
        at('2025-12-01', assessed('US', 1)),
        at('2023-01-01', assessed('US', -1), { recordedAt: '2026-01-01' }),
      );
      expect(history.view('2026-03-01').compliance).toBe(1);
    });

    it('refuses scoring a party that is not a party', () => {
      given(at('2020-08-05', proposed))
        .when(command('AssessCompliance', '2025-01-01', { party: 'CN', score: 1, rationale: 'x' }))
        .thenThrows(IllegalTransitionError, /CN was not a party/);
    });
  });
});
