import type { CommitmentCommand } from './commitment.commands.js';
import { type CommitmentState, decide, evolve, initialState } from './commitment.decider.js';
import { foldCommitment, type TimeTravel } from './commitment.fold.js';
import type { CommitmentSnapshot } from './commitment.state.js';
import { type CommitmentView, toCommitmentView } from './commitment.view.js';
import { participationOn, statusOn, statusTimeline } from './status-rules.js';
import {
  CommitmentAlreadyExistsError,
  CommitmentNotFoundError,
  DomainError,
  EventNotFoundError,
  IllegalTransitionError,
  ReservationNotFoundError,
} from './commitment.errors.js';
import { addMonths } from './world-time.js';
import {
  COMMITMENT_EVENT_TYPES,
  type CommitmentEvent,
  type CommitmentEventType,
  type RecordedCommitmentEvent,
  type Source,
  upcast,
} from './commitment.events.js';

const ID = 'asean-us-poa-2021-2025';
const NOW = new Date('2026-03-01T12:00:00.000Z');
const source: Source = { title: 'Chairman’s Statement', publisher: 'ASEAN Secretariat' };

type EventOf<T extends CommitmentEventType> = Extract<CommitmentEvent, { type: T }>;
type CommandOf<T extends CommitmentCommand['type']> = Extract<CommitmentCommand, { type: T }>;

function event<T extends CommitmentEventType>(type: T, data: EventOf<T>['data']): CommitmentEvent {
  return { type, data } as EventOf<T>;
}

function command<T extends CommitmentCommand['type']>(
  type: T,
  occurredAt: string,
  data: Omit<CommandOf<T>['data'], 'commitmentId' | 'occurredAt'>,
): CommitmentCommand {
  return { type, data: { commitmentId: ID, occurredAt, ...data } } as unknown as CommandOf<T>;
}

// Versions follow the order of `given`; eventId and recordedAt default to e<version> and occurredAt.
interface Entry {
  occurredAt: string;
  event: CommitmentEvent;
  eventId?: string;
  recordedAt?: string;
}

function at(
  occurredAt: string,
  recordedEvent: CommitmentEvent,
  meta: { eventId?: string; recordedAt?: string } = {},
): Entry {
  return { occurredAt, event: recordedEvent, ...meta };
}

function iso(value: string): string {
  return value.length === 10 ? `${value}T00:00:00.000Z` : value;
}

function stream(entries: Entry[]): RecordedCommitmentEvent[] {
  return entries.map((entry, index) => ({
    eventId: entry.eventId ?? `e${index + 1}`,
    version: index + 1,
    occurredAt: iso(entry.occurredAt),
    recordedAt: iso(entry.recordedAt ?? entry.occurredAt),
    event: entry.event,
  }));
}

function given(...entries: Entry[]) {
  const events = stream(entries);
  const state: CommitmentState = events.reduce(evolve, initialState);
  return {
    events,
    state,
    when(cmd: CommitmentCommand) {
      const run = () => decide(cmd, state, { now: NOW });
      return {
        then(expected: CommitmentEvent[]) {
          expect(run()).toEqual(expected);
        },
        thenThrows(errorClass: new (...args: never[]) => DomainError, message?: string | RegExp) {
          expect(run).toThrow(errorClass);
          if (message !== undefined) expect(run).toThrow(message);
        },
      };
    },
    view(referenceDate: string, timeTravel: TimeTravel = {}): CommitmentView {
      const snapshot = foldCommitment(events, timeTravel);
      if (snapshot === null) throw new Error('nothing to view');
      return toCommitmentView(snapshot, referenceDate);
    },
    snapshot(timeTravel: TimeTravel = {}): CommitmentSnapshot | null {
      return foldCommitment(events, timeTravel);
    },
  };
}

const proposedData = {
  id: ID,
  title: 'Plan of Action to Implement the ASEAN–U.S. Strategic Partnership (2021–2025)',
  kind: 'plan_of_action' as const,
  parties: ['ASEAN', 'US'],
  proposedBy: 'ASEAN',
  topics: ['strategic-partnership'],
  source,
};
const { id: _proposedId, ...proposeBody } = proposedData;
const proposed = event('CommitmentProposed', proposedData);
const adopted = event('CommitmentAdopted', { adoptedBy: ['ASEAN', 'US'], source });
const progress = event('ProgressReported', { summary: 'Joint initiatives under way', source });
const completed = event('CommitmentCompleted', { source });
const withdrew = (party: string, effectiveOn?: string) =>
  event('PartyWithdrew', effectiveOn === undefined ? { party, source } : { party, effectiveOn, source });
const joined = (party: string, effectiveOn?: string) =>
  event('PartyJoined', effectiveOn === undefined ? { party, source } : { party, effectiveOn, source });
const suspended = (party?: string) =>
  event(
    'CommitmentSuspended',
    party === undefined ? { reason: 'Coup', source } : { party, reason: 'Coup', source },
  );
const resumed = (party?: string) =>
  event('CommitmentResumed', party === undefined ? { source } : { party, source });
const assessed = (party: string, score: -1 | 0 | 1) =>
  event('ComplianceAssessed', { party, score, rationale: 'Interim report' });
const deadline = (dueDate: string) => event('DeadlineSet', { dueDate });
const statement = (party: string, stance: 'supports' | 'opposes' | 'urges') =>
  event('StatementRecorded', {
    speaker: { name: 'Spokesperson', party },
    stance,
    summary: 'Said something',
    source,
  });
const retracted = (eventId: string) => event('EntryRetracted', { eventId, reason: 'misattributed' });

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
        .when(
          command('MakeReservation', '2020-06-01', {
            party: 'DE',
            kind: 'objection',
            text: 'Article 12 does not apply',
            objectsTo: 'FR',
            source,
          }),
        )
        .thenThrows(IllegalTransitionError, /FR had no reservation in force to object to/);
      history
        .when(
          command('MakeReservation', '2020-06-01', { party: 'GB', kind: 'declaration', text: 'x', source }),
        )
        .thenThrows(IllegalTransitionError, /GB had neither signed it nor consented/);
      const withReservation = given(...threeInstruments, at('2020-03-01', reserved('FR', 'reservation')));
      withReservation
        .when(
          command('MakeReservation', '2020-06-01', {
            party: 'DE',
            kind: 'objection',
            text: 'Article 12 does not apply',
            objectsTo: 'FR',
            source,
          }),
        )
        .then([reserved('DE', 'objection', 'FR')]);
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
