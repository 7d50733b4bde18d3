import { commandRuleOf, type CommitmentCommand, eventFor } from './commitment.commands.js';
import {
  type CommitmentEvent,
  describeDevelopment,
  type RecordedCommitmentEvent,
} from './commitment.events.js';
import { findIllegalSteps, foldCommitment } from './commitment.fold.js';
import { apply } from './commitment.snapshot.js';
import {
  CommitmentAlreadyExistsError,
  CommitmentNotFoundError,
  IllegalTransitionError,
} from './shared/commitment.errors.js';
import type { Decision } from './shared/development-rules.js';
import type { CommitmentSnapshot } from './shared/snapshot.js';
import { instantMs, toIsoInstant, utcDateOf } from './shared/world-time.js';
import { checkTransition } from './transitions.js';

/** A stream's events, newest first. Each decision state shares the list of the one it came from. */
interface HistoryNode {
  readonly recorded: RecordedCommitmentEvent;
  readonly previous: HistoryNode | null;
}

/**
 * What the decider knows of a commitment: its stream version and the fold of its live events in world
 * order (`current`). A development that lands at the end of world order and is not a retraction is
 * decided from `current` alone. A backdated development or a retraction needs the stream itself
 * (`history`): a decision state built from a stored snapshot has none, and `needsHistory` tells the
 * caller to read the stream first.
 */
export interface DecisionState {
  /** 0: the commitment does not exist. */
  readonly version: number;
  readonly current: CommitmentSnapshot | null;
  /** Null for an empty stream; `'unread'` when the decision state was built from a stored snapshot. */
  readonly history: HistoryNode | null | 'unread';
}

export const initialDecisionState: DecisionState = { version: 0, current: null, history: null };

/** The decision state of a stream read whole (events in version order): one fold, no copy per event. */
export function decisionStateFromStream(events: readonly RecordedCommitmentEvent[]): DecisionState {
  let history: HistoryNode | null = null;
  for (const recorded of events) history = { recorded, previous: history };
  return {
    version: events.length === 0 ? 0 : events[events.length - 1].version,
    current: foldCommitment(events),
    history,
  };
}

/** The decision state behind a stored snapshot: enough for any development at the end of world order. */
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
 * The decision state after `recorded`. At the end of world order that is one `apply`; otherwise (a
 * backdated development, a retraction) the stream is folded again, which needs its history.
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
  const declared = commandRuleOf(command).needsHistory;
  if (declared !== undefined) return declared;
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
  remedyForLaterDevelopment: string,
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
    `Cannot ${attempt}: ${describeDevelopment(step.recorded.event)} on ${utcDateOf(step.recorded.occurredAt)} ` +
      `(event ${step.recorded.eventId}) would no longer be legal: ${step.reason}. ${remedyForLaterDevelopment}`,
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

/** `event` judged at the command's date in world order: at the end, one transition check decides. */
function refuseIfIllegalInWorldOrder(
  state: DecisionState,
  command: CommitmentCommand,
  event: CommitmentEvent,
  ctx: DecisionContext,
): void {
  const candidate = candidateFor(state, command, event, ctx);
  const attempt = `record ${describeDevelopment(event)} of '${command.data.commitmentId}' on ${utcDateOf(candidate.occurredAt)}`;
  if (landsAtEndOfWorldOrder(state.current, candidate)) {
    // Nothing after it to re-judge, and nothing before it changes: one transition check decides.
    const refusal = checkTransition(state.current, candidate);
    if (refusal)
      throw new IllegalTransitionError(`Cannot ${attempt}: ${refusal.reason}.${sentence(refusal.hint)}`);
    return;
  }
  refuseIfFoldTurnsIllegal(
    historyOf(state),
    candidate,
    attempt,
    'Date this entry differently, or retract that later entry first.',
  );
}

function decisionOn(state: DecisionState, command: CommitmentCommand, ctx: DecisionContext): Decision {
  return {
    current: state.current,
    history: () => historyOf(state),
    describe: describeDevelopment,
    refuseIfIllegalInWorldOrder: (event: CommitmentEvent) =>
      refuseIfIllegalInWorldOrder(state, command, event, ctx),
    refuseIfHistoryTurnsIllegal: (event: CommitmentEvent, attempt, remedy) =>
      refuseIfFoldTurnsIllegal(historyOf(state), candidateFor(state, command, event, ctx), attempt, remedy),
  };
}

/**
 * Decides which event a command records, given the commitment's decision state. Pure: the clock arrives
 * in `ctx` (only to stamp the candidate's `recordedAt` while checking). Returns exactly one event, or
 * throws `CommitmentAlreadyExistsError`, `CommitmentNotFoundError`, `EventNotFoundError`,
 * `ReservationNotFoundError` or `IllegalTransitionError` when the new event, inserted at its place in
 * world order, would make the fold illegal. The command's family decides what its own rule says (see
 * `CommandRule`); a decision state without history decides only what `needsHistory` says it can.
 */
export function decide(
  command: CommitmentCommand,
  state: DecisionState,
  ctx: DecisionContext,
): CommitmentEvent[] {
  // The proposal opens the stream; every other development needs it.
  if (command.type === 'ProposeCommitment') {
    if (state.version > 0) throw new CommitmentAlreadyExistsError(command.data.commitmentId);
    return [eventFor(command)];
  }
  if (state.version === 0) throw new CommitmentNotFoundError(command.data.commitmentId);
  const rule = commandRuleOf(command);
  const event = rule.eventFor(command);
  const decision = decisionOn(state, command, ctx);
  if (rule.decide) return [rule.decide(command, event, decision)];
  decision.refuseIfIllegalInWorldOrder(event);
  return [event];
}
