import {
  type CommitmentCommand,
  type CorrectProposal,
  describeEntry,
  eventFor,
  type RetractEntry,
  type SupersedeCommitment,
  type WithdrawReservation,
} from './commitment.commands.js';
import {
  CommitmentAlreadyExistsError,
  CommitmentNotFoundError,
  EventNotFoundError,
  IllegalTransitionError,
  ReservationNotFoundError,
} from './commitment.errors.js';
import type { CommitmentEvent, RecordedCommitmentEvent } from './commitment.events.js';
import { findIllegalSteps, foldCommitment } from './commitment.fold.js';
import { apply, type CommitmentSnapshot } from './commitment.snapshot.js';
import { checkTransition } from './transitions.js';
import { reservationOf } from './treaty.snapshot.js';
import { instantMs, toIsoInstant, utcDateOf } from './world-time.js';

/** A stream's events, newest first. Each state shares the list of the state it came from. */
interface HistoryNode {
  readonly recorded: RecordedCommitmentEvent;
  readonly previous: HistoryNode | null;
}

/**
 * What the decider knows of a commitment: its stream version and the fold of its live events in world
 * order (`current`). An entry that lands at the end of world order and is not a retraction is decided
 * from `current` alone. A backdated entry or a retraction needs the stream itself (`history`): a state
 * built from a stored snapshot has none, and `needsHistory` tells the caller to read the stream first.
 */
export interface DecisionState {
  /** 0: the commitment does not exist. */
  readonly version: number;
  readonly current: CommitmentSnapshot | null;
  /** Null for an empty stream; `'unread'` when the state was built from a stored snapshot. */
  readonly history: HistoryNode | null | 'unread';
}

export const initialState: DecisionState = { version: 0, current: null, history: null };

/** The state of a stream read whole (events in version order): one fold, no copy per event. */
export function decisionStateFromStream(events: readonly RecordedCommitmentEvent[]): DecisionState {
  let history: HistoryNode | null = null;
  for (const recorded of events) history = { recorded, previous: history };
  return {
    version: events.length === 0 ? 0 : events[events.length - 1].version,
    current: foldCommitment(events),
    history,
  };
}

/** The state behind a stored snapshot: enough for any entry that lands at the end of world order. */
export function decisionStateFromSnapshot(snapshot: CommitmentSnapshot): DecisionState {
  return { version: snapshot.version, current: snapshot, history: 'unread' };
}

/** The stream's events in version order. */
export function historyOf(state: DecisionState): RecordedCommitmentEvent[] {
  return eventsIn(state.history);
}

function eventsIn(history: DecisionState['history']): RecordedCommitmentEvent[] {
  if (history === 'unread') throw new Error('the state was built from a snapshot: read the stream first');
  const events: RecordedCommitmentEvent[] = [];
  for (let node = history; node !== null; node = node.previous) events.push(node.recorded);
  return events.reverse();
}

/**
 * Whether applying `recorded` to the fold of everything before it gives the fold with it: true at the end
 * of world order, and for a correction of the proposal (which the fold applies last, see the fold).
 */
function landsAtEndOfWorldOrder(current: CommitmentSnapshot | null, recorded: RecordedCommitmentEvent) {
  if (recorded.event.type === 'EntryRetracted') return false;
  if (recorded.event.type === 'ProposalCorrected') return current !== null;
  if (current === null) return recorded.event.type === 'CommitmentProposed';
  return instantMs(recorded.occurredAt) >= instantMs(current.lastOccurredAt);
}

/**
 * The state after `recorded`. At the end of world order that is one `apply`; otherwise (a backdated
 * entry, a retraction) the stream is folded again, which needs its history.
 */
export function evolve(state: DecisionState, recorded: RecordedCommitmentEvent): DecisionState {
  const history = state.history === 'unread' ? 'unread' : { recorded, previous: state.history };
  return {
    version: Math.max(state.version, recorded.version),
    current: landsAtEndOfWorldOrder(state.current, recorded)
      ? apply(state.current, recorded)
      : foldCommitment(eventsIn(history)),
    history,
  };
}

/** Whether deciding `command` needs the stream's events, beyond the fold a stored snapshot holds. */
export function needsHistory(command: CommitmentCommand, state: DecisionState): boolean {
  if (command.type === 'RetractEntry') return true;
  if (command.type === 'CorrectProposal') return false;
  const current = state.current;
  if (current === null) return false;
  // An unreadable date is refused before anything is folded.
  return instantMs(command.data.occurredAt) < instantMs(current.lastOccurredAt);
}

export interface DecisionContext {
  readonly now: Date;
}

function sentence(text: string | undefined): string {
  return text === undefined ? '' : ` ${text}`;
}

/**
 * Refuses `attempt` when the fold with `candidate` has an illegal step that the current history does
 * not already have (an old, already-recorded illegality must not block every later write).
 */
function refuseIfFoldTurnsIllegal(
  current: readonly RecordedCommitmentEvent[],
  candidate: RecordedCommitmentEvent,
  attempt: string,
  remedyForLaterEntry: string,
): void {
  const illegalAfter = findIllegalSteps([...current, candidate]);
  // The usual case, a legal history, costs one fold; the history before is folded only to tell old faults from new.
  if (illegalAfter.length === 0) return;
  const alreadyIllegal = new Set(findIllegalSteps(current).map((illegal) => illegal.recorded.eventId));
  const step = illegalAfter.find((illegal) => !alreadyIllegal.has(illegal.recorded.eventId));
  if (!step) return;
  if (step.recorded === candidate) {
    throw new IllegalTransitionError(`Cannot ${attempt}: ${step.reason}.${sentence(step.hint)}`);
  }
  throw new IllegalTransitionError(
    `Cannot ${attempt}: ${describeEntry(step.recorded.event)} on ${utcDateOf(step.recorded.occurredAt)} ` +
      `(event ${step.recorded.eventId}) would no longer be legal: ${step.reason}. ${remedyForLaterEntry}`,
  );
}

function candidateFor(
  state: DecisionState,
  command: CommitmentCommand,
  event: CommitmentEvent,
  ctx: DecisionContext,
): RecordedCommitmentEvent {
  if (Number.isNaN(instantMs(command.data.occurredAt))) {
    throw new IllegalTransitionError(
      `Cannot record a development dated '${command.data.occurredAt}': it is not a date.`,
    );
  }
  return {
    eventId: 'candidate',
    version: state.version + 1,
    occurredAt: toIsoInstant(command.data.occurredAt),
    recordedAt: ctx.now.toISOString(),
    event,
  };
}

function recordDevelopment(
  state: DecisionState,
  command: CommitmentCommand,
  ctx: DecisionContext,
): CommitmentEvent {
  const event = eventFor(command);
  const candidate = candidateFor(state, command, event, ctx);
  const attempt = `record ${describeEntry(event)} of '${command.data.commitmentId}' on ${utcDateOf(candidate.occurredAt)}`;
  if (landsAtEndOfWorldOrder(state.current, candidate)) {
    // Nothing after it to re-judge, and nothing before it changes: one transition check decides.
    const refusal = checkTransition(state.current, candidate);
    if (refusal)
      throw new IllegalTransitionError(`Cannot ${attempt}: ${refusal.reason}.${sentence(refusal.hint)}`);
    return event;
  }
  refuseIfFoldTurnsIllegal(
    historyOf(state),
    candidate,
    attempt,
    'Date this entry differently, or retract that later entry first.',
  );
  return event;
}

function supersede(
  command: SupersedeCommitment,
  state: DecisionState,
  ctx: DecisionContext,
): CommitmentEvent {
  const { commitmentId, supersededBy } = command.data;
  if (supersededBy === commitmentId) {
    throw new IllegalTransitionError(
      `Cannot record the supersession of '${commitmentId}' by itself: a commitment cannot supersede itself. Name the successor commitment's id.`,
    );
  }
  if (!command.data.successorExists) {
    throw new IllegalTransitionError(
      `Cannot record the supersession of '${commitmentId}' by '${supersededBy}': no commitment '${supersededBy}' is tracked. Record the successor's proposal first.`,
    );
  }
  return recordDevelopment(state, command, ctx);
}

function retract(command: RetractEntry, state: DecisionState, ctx: DecisionContext): CommitmentEvent {
  const { commitmentId, eventId } = command.data;
  const events = historyOf(state);
  const target = events.find((recorded) => recorded.eventId === eventId);
  if (!target) throw new EventNotFoundError(commitmentId, eventId);
  const entry = `${describeEntry(target.event)} of '${commitmentId}' dated ${utcDateOf(target.occurredAt)} (event ${eventId})`;
  if (target.event.type === 'EntryRetracted') {
    throw new IllegalTransitionError(
      `Cannot retract ${entry}: a retraction cannot itself be retracted. If the original entry was right after all, record it again.`,
    );
  }
  const earlier = events.find(
    (recorded) => recorded.event.type === 'EntryRetracted' && recorded.event.data.eventId === eventId,
  );
  if (earlier) {
    throw new IllegalTransitionError(
      `Cannot retract ${entry}: it was already retracted by event ${earlier.eventId}.`,
    );
  }
  if (target.event.type === 'CommitmentProposed') {
    throw new IllegalTransitionError(
      `Cannot retract ${entry}: every other entry in its history depends on the proposal, so a commitment cannot be un-proposed. ` +
        'Retract the mistaken developments instead, or record what replaced it as a supersession.',
    );
  }
  const event = eventFor(command);
  refuseIfFoldTurnsIllegal(
    events,
    candidateFor(state, command, event, ctx),
    `retract ${entry}`,
    'It depends on the entry you are retracting: retract that later entry first.',
  );
  return event;
}

/** The reservation must be in the commitment's fold: an unknown (or retracted) one is not found. */
function withdrawReservation(
  command: WithdrawReservation,
  state: DecisionState,
  ctx: DecisionContext,
): CommitmentEvent {
  const { commitmentId, eventId } = command.data;
  if (!reservationOf(state.current?.reservations ?? [], eventId)) {
    throw new ReservationNotFoundError(commitmentId, eventId);
  }
  return recordDevelopment(state, command, ctx);
}

function correctProposal(command: CorrectProposal, state: DecisionState): CommitmentEvent {
  const { commitmentId, corrections } = command.data;
  const current = state.current as CommitmentSnapshot;
  const changed = (Object.keys(corrections) as (keyof typeof corrections)[]).filter(
    (field) => JSON.stringify(corrections[field]) !== JSON.stringify(current[field]),
  );
  if (changed.length === 0) {
    throw new IllegalTransitionError(
      `Cannot correct the proposal of '${commitmentId}': it already says what the correction says. ` +
        'Name at least one detail whose recorded value is wrong, with its right value.',
    );
  }
  return eventFor(command);
}

/**
 * Decides which event a command records, given the commitment's state. Pure: the clock arrives in `ctx`
 * (only to stamp the candidate's `recordedAt` while checking). Returns exactly one event, or throws
 * `CommitmentAlreadyExistsError`, `CommitmentNotFoundError`, `EventNotFoundError`,
 * `ReservationNotFoundError` or
 * `IllegalTransitionError` when the new event, inserted at its place in world order, would make the
 * fold illegal. A state without history decides only what `needsHistory` says it can.
 */
export function decide(
  command: CommitmentCommand,
  state: DecisionState,
  ctx: DecisionContext,
): CommitmentEvent[] {
  if (command.type === 'ProposeCommitment') {
    if (state.version > 0) throw new CommitmentAlreadyExistsError(command.data.commitmentId);
    return [eventFor(command)];
  }
  if (state.version === 0) throw new CommitmentNotFoundError(command.data.commitmentId);
  switch (command.type) {
    case 'SupersedeCommitment':
      return [supersede(command, state, ctx)];
    case 'RetractEntry':
      return [retract(command, state, ctx)];
    case 'CorrectProposal':
      return [correctProposal(command, state)];
    case 'RecordStatement':
    case 'AdoptCommitment':
    case 'ReportProgress':
    case 'CompleteCommitment':
    case 'RecordWithdrawal':
    case 'RecordAccession':
    case 'SuspendCommitment':
    case 'ResumeCommitment':
    case 'AssessCompliance':
    case 'SetDeadline':
    case 'ScheduleFollowUp':
    case 'SignAgreement':
    case 'MakeReservation':
      return [recordDevelopment(state, command, ctx)];
    case 'WithdrawReservation':
      return [withdrawReservation(command, state, ctx)];
    default: {
      const unreachable: never = command;
      throw new Error(`Unknown commitment command ${JSON.stringify(unreachable)}`);
    }
  }
}
