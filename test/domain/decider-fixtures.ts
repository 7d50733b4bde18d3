/**
 * The decider's given/when/then vocabulary, shared by the decider's specs in this folder: a commitment's
 * history as recorded events (versions in the order given; eventId and recordedAt default to e<version>
 * and occurredAt), the command under test, and the events and refusals it must give.
 */
import type { CommitmentCommand } from '../../src/commitments/domain/commitment.commands.js';
import {
  type DecisionState,
  decide,
  evolve,
  initialDecisionState,
} from '../../src/commitments/domain/commitment.decider.js';
import { DomainError } from '../../src/commitments/domain/shared/commitment.errors.js';
import type {
  CommitmentEvent,
  CommitmentEventType,
  RecordedCommitmentEvent,
  Source,
} from '../../src/commitments/domain/commitment.events.js';
import { foldCommitment, type TimeTravel } from '../../src/commitments/domain/commitment.fold.js';
import type { CommitmentSnapshot } from '../../src/commitments/domain/commitment.snapshot.js';
import { type CommitmentView, toCommitmentView } from '../../src/commitments/domain/commitment.view.js';

export const ID = 'asean-us-poa-2021-2025';
export const NOW = new Date('2026-03-01T12:00:00.000Z');
export const source: Source = { title: 'Chairman’s Statement', publisher: 'ASEAN Secretariat' };

export type EventOf<T extends CommitmentEventType> = Extract<CommitmentEvent, { type: T }>;
export type CommandOf<T extends CommitmentCommand['type']> = Extract<CommitmentCommand, { type: T }>;

export function event<T extends CommitmentEventType>(type: T, data: EventOf<T>['data']): CommitmentEvent {
  return { type, data } as EventOf<T>;
}

export function command<T extends CommitmentCommand['type']>(
  type: T,
  occurredAt: string,
  data: Omit<CommandOf<T>['data'], 'commitmentId' | 'occurredAt'>,
): CommitmentCommand {
  return { type, data: { commitmentId: ID, occurredAt, ...data } } as unknown as CommandOf<T>;
}

// Versions follow the order of `given`; eventId and recordedAt default to e<version> and occurredAt.
export interface Entry {
  occurredAt: string;
  event: CommitmentEvent;
  eventId?: string;
  recordedAt?: string;
}

export function at(
  occurredAt: string,
  recordedEvent: CommitmentEvent,
  meta: { eventId?: string; recordedAt?: string } = {},
): Entry {
  return { occurredAt, event: recordedEvent, ...meta };
}

export function iso(value: string): string {
  return value.length === 10 ? `${value}T00:00:00.000Z` : value;
}

export function stream(entries: Entry[]): RecordedCommitmentEvent[] {
  return entries.map((entry, index) => ({
    eventId: entry.eventId ?? `e${index + 1}`,
    version: index + 1,
    occurredAt: iso(entry.occurredAt),
    recordedAt: iso(entry.recordedAt ?? entry.occurredAt),
    event: entry.event,
  }));
}

export function given(...entries: Entry[]) {
  const events = stream(entries);
  const state: DecisionState = events.reduce(evolve, initialDecisionState);
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

export const proposedData = {
  id: ID,
  title: 'Plan of Action to Implement the ASEAN–U.S. Strategic Partnership (2021–2025)',
  kind: 'plan_of_action' as const,
  parties: ['ASEAN', 'US'],
  proposedBy: 'ASEAN',
  topics: ['strategic-partnership'],
  source,
};
export const { id: _proposedId, ...proposeBody } = proposedData;
export const proposed = event('CommitmentProposed', proposedData);
export const adopted = event('CommitmentAdopted', { adoptedBy: ['ASEAN', 'US'], source });
export const progress = event('ProgressReported', { summary: 'Joint initiatives under way', source });
export const completed = event('CommitmentCompleted', { source });
export const withdrew = (party: string, effectiveOn?: string) =>
  event('PartyWithdrew', effectiveOn === undefined ? { party, source } : { party, effectiveOn, source });
export const joined = (party: string, effectiveOn?: string) =>
  event('PartyJoined', effectiveOn === undefined ? { party, source } : { party, effectiveOn, source });
export const suspended = (party?: string) =>
  event(
    'CommitmentSuspended',
    party === undefined ? { reason: 'Coup', source } : { party, reason: 'Coup', source },
  );
export const resumed = (party?: string) =>
  event('CommitmentResumed', party === undefined ? { source } : { party, source });
export const assessed = (party: string, score: -1 | 0 | 1) =>
  event('ComplianceAssessed', { party, score, rationale: 'Interim report' });
export const deadline = (dueDate: string) => event('DeadlineSet', { dueDate });
export const statement = (party: string, stance: 'supports' | 'opposes' | 'urges') =>
  event('StatementRecorded', {
    speaker: { name: 'Spokesperson', party },
    stance,
    summary: 'Said something',
    source,
  });
export const retracted = (eventId: string) => event('EntryRetracted', { eventId, reason: 'misattributed' });
