import { IllegalTransitionError } from '../../src/commitments/domain/shared/commitment.errors.js';
import {
  adopted,
  at,
  command,
  completed,
  deadline,
  event,
  given,
  ID,
  proposed,
  proposedData,
  source,
  statement,
  suspended,
  withdrew,
} from './decider-fixtures.js';

/** The commitment decider, given/when/then: supersession, statements, deadlines and follow-ups. */
describe('commitment decider', () => {
  describe('supersession', () => {
    const supersede = (supersededBy: string, successorExists: boolean) =>
      command('SupersedeCommitment', '2025-10-26', { supersededBy, successorExists, source });

    it('supersedes by an existing successor', () => {
      given(at('2020-08-05', proposed), at('2020-09-10', adopted))
        .when(supersede('asean-us-poa-2026-2030', true))
        .then([event('CommitmentSuperseded', { supersededBy: 'asean-us-poa-2026-2030', source })]);
    });

    it('refuses a successor that does not exist, and the commitment itself', () => {
      given(at('2020-08-05', proposed))
        .when(supersede('no-such-commitment', false))
        .thenThrows(IllegalTransitionError, /no commitment 'no-such-commitment' is tracked/);
      given(at('2020-08-05', proposed))
        .when(supersede(ID, true))
        .thenThrows(IllegalTransitionError, /cannot supersede itself/);
    });

    it('is terminal: no further progress, but statements are still recorded', () => {
      const history = given(
        at('2020-08-05', proposed),
        at('2020-09-10', adopted),
        at('2025-10-26', event('CommitmentSuperseded', { supersededBy: 'next', source })),
      );
      history
        .when(command('ReportProgress', '2026-01-01', { summary: 'x', source }))
        .thenThrows(IllegalTransitionError, /superseded/);
      history
        .when(
          command('RecordStatement', '2026-01-01', {
            speaker: { name: 'Spokesperson', party: 'US' },
            stance: 'supports',
            summary: 'Said something',
            source,
          }),
        )
        .then([
          event('StatementRecorded', {
            speaker: { name: 'Spokesperson', party: 'US' },
            stance: 'supports',
            summary: 'Said something',
            source,
          }),
        ]);
      const view = history.view('2026-03-01');
      expect(view.status).toBe('superseded');
      expect(view.supersededBy).toBe('next');
    });
  });

  describe('statements', () => {
    it('sets the speaker party’s latest stance, and keeps non-party speakers out of the parties', () => {
      const history = given(
        at('2020-08-05', proposed),
        at('2021-01-01', statement('US', 'supports')),
        at('2022-01-01', statement('US', 'urges')),
        at('2022-01-01', statement('CN', 'opposes')),
      );
      const view = history.view('2026-03-01');
      expect(view.status).toBe('proposed');
      expect(view.parties).toEqual([
        { party: 'ASEAN', participation: 'active' },
        { party: 'US', participation: 'active', stance: 'urges' },
      ]);
    });
  });

  describe('deadlines', () => {
    it('counts a missed deadline when a passed due date is replaced without completion', () => {
      const history = given(
        at('2020-08-05', event('CommitmentProposed', { ...proposedData, dueDate: '2023-12-31' })),
        at('2024-03-01', deadline('2024-12-31')),
        at('2024-06-01', deadline('2025-06-30')),
        at('2025-09-01', deadline('2025-12-31')),
      );
      const view = history.view('2025-10-01');
      expect(view.missedDeadlines).toBe(2);
      expect(view.dueDate).toBe('2025-12-31');
    });

    it('evaluates overdue on the reference date, not on the date of writing', () => {
      const history = given(
        at('2020-08-05', event('CommitmentProposed', { ...proposedData, dueDate: '2025-12-31' })),
        at('2020-09-10', adopted),
      );
      expect(history.view('2025-12-31').overdue).toBe(false);
      expect(history.view('2026-01-01').overdue).toBe(true);
      expect(history.view('2025-06-01', { asOf: '2025-06-01' }).overdue).toBe(false);
    });

    it('is not overdue once completed, superseded or withdrawn', () => {
      const due = at('2020-08-05', event('CommitmentProposed', { ...proposedData, dueDate: '2025-12-31' }));
      expect(
        given(due, at('2020-09-10', adopted), at('2026-01-10', completed)).view('2026-03-01').overdue,
      ).toBe(false);
      expect(
        given(due, at('2025-06-01', withdrew('ASEAN')), at('2025-06-01', withdrew('US'))).view('2026-03-01')
          .overdue,
      ).toBe(false);
      expect(given(due, at('2026-02-01', suspended())).view('2026-03-01').overdue).toBe(true);
    });
  });

  describe('follow-ups', () => {
    it('shows the earliest review on or after the reference date', () => {
      const history = given(
        at('2020-08-05', proposed),
        at(
          '2026-01-01T09:00:00Z',
          event('FollowUpScheduled', { reviewOn: '2026-06-01', note: 'Check the annual report' }),
        ),
        at(
          '2026-01-02T09:00:00Z',
          event('FollowUpScheduled', { reviewOn: '2026-02-15', note: 'Ask the desk' }),
        ),
      );
      expect(history.view('2026-01-05').nextReviewOn).toBe('2026-02-15');
      expect(history.view('2026-03-01').nextReviewOn).toBe('2026-06-01');
      expect(history.view('2026-07-01').nextReviewOn).toBeNull();
      expect(history.view('2026-03-01').lastDevelopmentAt).toBe('2020-08-05T00:00:00.000Z');
    });
  });
});
