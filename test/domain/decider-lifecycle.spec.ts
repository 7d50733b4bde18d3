import {
  CommitmentAlreadyExistsError,
  CommitmentNotFoundError,
  IllegalTransitionError,
} from '../../src/commitments/domain/shared/commitment.errors.js';
import { COMMITMENT_EVENT_TYPES, upcast } from '../../src/commitments/domain/commitment.events.js';
import {
  adopted,
  at,
  command,
  completed,
  event,
  given,
  ID,
  NOW,
  progress,
  proposeBody,
  proposed,
  proposedData,
  source,
  statement,
  withdrew,
} from './decider-fixtures.js';

/** The commitment decider, given/when/then: proposal, progress, adoption and completion. */
describe('commitment decider', () => {
  describe('events', () => {
    it('lists every event type once', () => {
      expect(new Set(COMMITMENT_EVENT_TYPES).size).toBe(18);
      expect(COMMITMENT_EVENT_TYPES).toContain('EntryRetracted');
    });

    it('reads a retraction recorded with a free-text reason as reason other, with the text as the note', () => {
      expect(upcast('EntryRetracted', { eventId: 'e1', reason: 'Wrong commitment' })).toEqual({
        eventId: 'e1',
        reason: 'other',
        note: 'Wrong commitment',
      });
      const coded = { eventId: 'e1', reason: 'duplicate' };
      expect(upcast('EntryRetracted', coded)).toBe(coded);
      expect(upcast('StatementRecorded', { reason: 'anything' })).toEqual({ reason: 'anything' });
    });
  });

  describe('proposal', () => {
    it('records a proposal on an empty stream, naming the commitment in the event', () => {
      given()
        .when(command('ProposeCommitment', '2020-08-05T00:00:00.000Z', proposeBody))
        .then([proposed]);
    });

    it('refuses a second proposal of the same id', () => {
      given(at('2020-08-05', proposed))
        .when(command('ProposeCommitment', '2021-01-01', proposeBody))
        .thenThrows(CommitmentAlreadyExistsError);
    });

    it('refuses any other development on a commitment that does not exist', () => {
      given()
        .when(command('ReportProgress', '2021-01-01', { summary: 'x', source }))
        .thenThrows(CommitmentNotFoundError);
      given()
        .when(command('ScheduleFollowUp', NOW.toISOString(), { reviewOn: '2026-04-01', note: 'x' }))
        .thenThrows(CommitmentNotFoundError);
    });

    it('shows a fresh proposal with nulls for everything not yet known', () => {
      expect(given(at('2020-08-05', proposed)).view('2026-03-01')).toEqual({
        id: ID,
        title: proposedData.title,
        kind: 'plan_of_action',
        status: 'proposed',
        parties: [
          { party: 'ASEAN', participation: 'active' },
          { party: 'US', participation: 'active' },
        ],
        proposedBy: 'ASEAN',
        topics: ['strategic-partnership'],
        summary: null,
        meeting: null,
        proposedAt: '2020-08-05T00:00:00.000Z',
        adoptedAt: null,
        completedAt: null,
        supersededBy: null,
        dueDate: null,
        missedDeadlines: 0,
        overdue: false,
        compliance: null,
        nextReviewOn: null,
        lastDevelopmentAt: '2020-08-05T00:00:00.000Z',
        version: 1,
        eventCount: 1,
      });
    });

    it('refuses a development dated before the proposal', () => {
      given(at('2020-08-05', proposed))
        .when(
          command('RecordStatement', '2020-01-01', {
            speaker: { name: 'X', party: 'US' },
            stance: 'supports',
            summary: 's',
            source,
          }),
        )
        .thenThrows(IllegalTransitionError, /had not been proposed yet/);
    });
  });

  describe('progress and adoption', () => {
    it('reports progress before adoption as under negotiation, after adoption as in progress', () => {
      const negotiating = given(at('2020-08-05', proposed), at('2020-08-20', progress));
      expect(negotiating.view('2026-03-01').status).toBe('under_negotiation');
      const implementing = given(
        at('2020-08-05', proposed),
        at('2020-09-10', adopted),
        at('2021-03-17', progress),
      );
      expect(implementing.view('2026-03-01').status).toBe('in_progress');
    });

    it('folds a backdated progress report in world order, before the adoption recorded earlier', () => {
      const history = given(
        at('2020-08-05', proposed),
        at('2020-09-10', adopted),
        at('2020-08-20', progress, { recordedAt: '2026-02-01' }),
      );
      const view = history.view('2026-03-01');
      expect(view.status).toBe('adopted');
      expect(view.adoptedAt).toBe('2020-09-10T00:00:00.000Z');
      expect(view.lastDevelopmentAt).toBe('2020-09-10T00:00:00.000Z');
    });

    it('adopts a proposal, and makes parties of adopters that were not yet parties', () => {
      given(at('2020-08-05', proposed))
        .when(command('AdoptCommitment', '2020-09-10', { adoptedBy: ['ASEAN', 'US', 'VN'], source }))
        .then([event('CommitmentAdopted', { adoptedBy: ['ASEAN', 'US', 'VN'], source })]);
      const view = given(
        at('2020-08-05', proposed),
        at('2020-09-10', event('CommitmentAdopted', { adoptedBy: ['ASEAN', 'US', 'VN'], source })),
      ).view('2026-03-01');
      expect(view.status).toBe('adopted');
      expect(view.parties).toContainEqual({ party: 'VN', participation: 'active', joinedAt: '2020-09-10' });
    });

    it('refuses an adoption once completed, superseded or withdrawn, and a second adoption', () => {
      const adopt = command('AdoptCommitment', '2026-01-10', { adoptedBy: ['ASEAN'], source });
      given(at('2020-08-05', proposed), at('2020-09-10', adopted))
        .when(adopt)
        .thenThrows(IllegalTransitionError, /already been adopted/);
      given(at('2020-08-05', proposed), at('2020-09-10', adopted), at('2025-10-26', completed))
        .when(adopt)
        .thenThrows(IllegalTransitionError, /completed on 2025-10-26/);
      given(
        at('2020-08-05', proposed),
        at('2025-01-01', event('CommitmentSuperseded', { supersededBy: 'asean-us-poa-2026-2030', source })),
      )
        .when(adopt)
        .thenThrows(IllegalTransitionError, /superseded by 'asean-us-poa-2026-2030'/);
      given(at('2020-08-05', proposed), at('2025-01-01', withdrew('ASEAN')), at('2025-01-02', withdrew('US')))
        .when(adopt)
        .thenThrows(IllegalTransitionError, /every party had withdrawn/);
    });
  });

  describe('completion', () => {
    it('completes an adopted commitment', () => {
      given(at('2020-08-05', proposed), at('2020-09-10', adopted))
        .when(command('CompleteCommitment', '2025-10-26', { source }))
        .then([completed]);
    });

    it('refuses a completion before adoption, telling the analyst what to record first', () => {
      given(at('2020-08-05', proposed))
        .when(command('CompleteCommitment', '2025-10-26', { source }))
        .thenThrows(
          IllegalTransitionError,
          "Cannot record the completion of 'asean-us-poa-2021-2025' on 2025-10-26: it has not been adopted by then. Record the adoption first (backdated if needed).",
        );
    });

    it('accepts a backdated adoption that makes the fold legal, and a completion logged after it', () => {
      given(at('2020-08-05', proposed), at('2025-01-01', statement('US', 'supports')))
        .when(command('AdoptCommitment', '2020-09-10', { adoptedBy: ['ASEAN', 'US'], source }))
        .then([adopted]);
      given(at('2020-08-05', proposed), at('2020-09-10', adopted, { recordedAt: '2026-02-01' }))
        .when(command('CompleteCommitment', '2025-10-26', { source }))
        .then([completed]);
    });

    it('refuses a completion backdated to before the adoption', () => {
      given(at('2020-08-05', proposed), at('2020-09-10', adopted))
        .when(command('CompleteCommitment', '2020-09-01', { source }))
        .thenThrows(IllegalTransitionError, /has not been adopted by then/);
    });

    it('refuses a backdated entry that would make a later one illegal, naming that entry', () => {
      given(
        at('2020-08-05', proposed),
        at('2020-09-10', adopted),
        at('2025-10-26', completed, { eventId: 'completion-id' }),
      )
        .when(command('SuspendCommitment', '2024-01-01', { reason: 'Coup', source }))
        .thenThrows(
          IllegalTransitionError,
          /the completion on 2025-10-26 \(event completion-id\) would no longer be legal: it was suspended on 2024-01-01/,
        );
    });

    it('refuses completing a withdrawn commitment', () => {
      given(
        at('2020-08-05', proposed),
        at('2020-09-10', adopted),
        at('2024-01-01', withdrew('ASEAN')),
        at('2024-01-01', withdrew('US')),
      )
        .when(command('CompleteCommitment', '2025-10-26', { source }))
        .thenThrows(IllegalTransitionError, /every party had withdrawn/);
    });
  });
});
