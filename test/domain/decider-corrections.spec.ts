import {
  EventNotFoundError,
  IllegalTransitionError,
} from '../../src/commitments/domain/shared/commitment.errors.js';
import type { CommitmentSnapshot } from '../../src/commitments/domain/commitment.snapshot.js';
import { participationOn } from '../../src/commitments/domain/status-rules.js';
import {
  adopted,
  at,
  command,
  completed,
  event,
  given,
  NOW,
  progress,
  proposed,
  proposedData,
  retracted,
  withdrew,
} from './decider-fixtures.js';

/** The commitment decider, given/when/then: retractions, corrections of the proposal and time travel. */
describe('commitment decider', () => {
  describe('retractions', () => {
    const history = given(
      at('2020-08-05', proposed, { eventId: 'proposal' }),
      at('2020-09-10', adopted, { eventId: 'adoption' }),
      at('2021-01-01', progress, { eventId: 'progress' }),
      at('2025-10-26', completed, { eventId: 'completion' }),
    );
    const retract = (eventId: string) =>
      command('RetractEntry', NOW.toISOString(), { eventId, reason: 'misattributed' });

    it('refuses an unknown event id', () => {
      history.when(retract('nope')).thenThrows(EventNotFoundError);
    });

    it('refuses retracting the proposal, and says why', () => {
      history
        .when(retract('proposal'))
        .thenThrows(IllegalTransitionError, /a commitment cannot be un-proposed/);
    });

    it('refuses retracting the entry a later one depends on, naming that later entry', () => {
      history
        .when(retract('adoption'))
        .thenThrows(
          IllegalTransitionError,
          /the completion on 2025-10-26 \(event completion\) would no longer be legal: it has not been adopted by then/,
        );
    });

    it('retracts an entry nothing depends on, and leaves it out of the fold but not out of the counts', () => {
      history.when(retract('progress')).then([retracted('progress')]);
      const after = given(
        at('2020-08-05', proposed, { eventId: 'proposal' }),
        at('2020-09-10', adopted, { eventId: 'adoption' }),
        at('2021-01-01', progress, { eventId: 'progress' }),
        at('2026-03-01', retracted('progress'), { eventId: 'retraction' }),
      );
      const view = after.view('2026-03-01');
      expect(view.status).toBe('adopted');
      expect(view.version).toBe(4);
      expect(view.eventCount).toBe(4);
    });

    it('refuses retracting a retraction, or an entry already retracted', () => {
      const after = given(
        at('2020-08-05', proposed),
        at('2021-01-01', progress, { eventId: 'progress' }),
        at('2026-03-01', retracted('progress'), { eventId: 'retraction' }),
      );
      after.when(retract('retraction')).thenThrows(IllegalTransitionError, /cannot itself be retracted/);
      after
        .when(retract('progress'))
        .thenThrows(IllegalTransitionError, /already retracted by event retraction/);
    });

    it('once the dependent entry is retracted, allows retracting the one it depended on', () => {
      given(
        at('2020-08-05', proposed),
        at('2020-09-10', adopted, { eventId: 'adoption' }),
        at('2025-10-26', completed, { eventId: 'completion' }),
        at('2026-03-01', retracted('completion')),
      )
        .when(retract('adoption'))
        .then([retracted('adoption')]);
    });
  });

  describe('corrections of the proposal', () => {
    const correct = (corrections: Record<string, unknown>) =>
      command('CorrectProposal', NOW.toISOString(), { corrections, reason: 'wrong_party' });
    const correction = (corrections: Record<string, unknown>) =>
      event('ProposalCorrected', { corrections, reason: 'wrong_party' });

    it('records a correction of the proposal, even after completion', () => {
      given(at('2020-08-05', proposed), at('2020-09-10', adopted), at('2025-10-26', completed))
        .when(correct({ proposedBy: 'US' }))
        .then([correction({ proposedBy: 'US' })]);
    });

    it('refuses a correction that changes nothing', () => {
      given(at('2020-08-05', proposed))
        .when(correct({ proposedBy: 'ASEAN', title: proposedData.title }))
        .thenThrows(IllegalTransitionError, /already says what the correction says/);
    });

    it('holds for every asOf, and from when it was recorded for knownAt; a later one wins', () => {
      const history = given(
        at('2020-08-05', proposed),
        at('2020-09-10', adopted),
        at('2026-01-01T00:00:00Z', correction({ proposedBy: 'US', topics: ['partnership'] })),
        at('2026-02-01T00:00:00Z', correction({ proposedBy: 'VN' }), { eventId: 'second' }),
      );
      expect(history.view('2026-03-01')).toMatchObject({ proposedBy: 'VN', topics: ['partnership'] });
      expect(history.view('2020-08-06', { asOf: '2020-08-06' })).toMatchObject({
        proposedBy: 'VN',
        status: 'proposed',
      });
      expect(history.view('2026-03-01', { knownAt: '2025-12-31' }).proposedBy).toBe('ASEAN');
      expect(history.view('2026-03-01', { knownAt: '2026-01-15' }).proposedBy).toBe('US');
      expect(history.snapshot()?.lastDevelopmentAt).toBe('2020-09-10T00:00:00.000Z');
    });

    it('is undone by retracting it', () => {
      const history = given(
        at('2020-08-05', proposed),
        at('2026-01-01T00:00:00Z', correction({ proposedBy: 'US' }), { eventId: 'fix' }),
        at('2026-01-02T00:00:00Z', retracted('fix')),
      );
      expect(history.view('2026-03-01').proposedBy).toBe('ASEAN');
    });
  });

  describe('time travel', () => {
    const history = given(
      at('2020-08-05', proposed, { recordedAt: '2026-01-10T08:00:00Z' }),
      at('2021-01-01', progress, { eventId: 'wrong-progress', recordedAt: '2026-01-10T09:00:00Z' }),
      at('2025-10-26T15:00:00Z', completed, { recordedAt: '2026-01-20T09:00:00Z' }),
      at('2020-09-10', adopted, { recordedAt: '2026-01-15T09:00:00Z' }),
      at('2026-02-01T00:00:00Z', retracted('wrong-progress'), { recordedAt: '2026-02-01T00:00:00Z' }),
    );

    it('folds the current state from every event; version and eventCount describe the whole stream', () => {
      const view = history.view('2026-03-01');
      expect(view.status).toBe('completed');
      expect(view.version).toBe(5);
      expect(view.eventCount).toBe(5);
    });

    it('asOf keeps events that occurred by then; a bare date includes that whole UTC day', () => {
      expect(history.view('2025-10-26', { asOf: '2025-10-26' }).status).toBe('completed');
      expect(history.view('2025-10-26', { asOf: '2025-10-26T14:59:59Z' }).status).toBe('adopted');
      const early = history.view('2020-09-01', { asOf: '2020-09-01' });
      expect(early.status).toBe('proposed');
      expect(early).toMatchObject({ version: 1, eventCount: 1 });
    });

    it('asOf honours a retraction recorded later, because the retracted entry never happened', () => {
      expect(history.view('2021-06-01', { asOf: '2021-06-01' }).status).toBe('adopted');
    });

    it('knownAt keeps what had been recorded by then, retractions included', () => {
      const before = history.view('2026-01-12', { knownAt: '2026-01-12T00:00:00Z' });
      expect(before.status).toBe('under_negotiation');
      expect(before).toMatchObject({ version: 2, eventCount: 2 });
      expect(history.view('2026-01-31', { knownAt: '2026-01-31T00:00:00Z' }).status).toBe('completed');
    });

    it('asOf and knownAt together are bitemporal', () => {
      const view = history.view('2021-06-01', { asOf: '2021-06-01', knownAt: '2026-01-16T00:00:00Z' });
      expect(view.status).toBe('in_progress');
      expect(view).toMatchObject({ version: 4, eventCount: 3 });
    });

    it('returns null when the commitment was not known, or did not exist yet', () => {
      expect(history.snapshot({ knownAt: '2026-01-01T00:00:00Z' })).toBeNull();
      expect(history.snapshot({ asOf: '2019-12-31' })).toBeNull();
    });

    it('evaluates participation on the reference date of the read', () => {
      const snapshot = given(
        at('2020-08-05', proposed),
        at('2026-03-01', withdrew('US', '2027-01-22')),
      ).snapshot() as CommitmentSnapshot;
      expect(participationOn(snapshot, 'US', '2026-12-31')?.participation).toBe('withdrawing');
      expect(participationOn(snapshot, 'US', '2027-01-22')?.participation).toBe('withdrawn');
      expect(participationOn(snapshot, 'CN', '2027-01-22')).toBeNull();
    });
  });
});
