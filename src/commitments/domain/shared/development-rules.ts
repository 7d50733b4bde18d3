import type { AnyCommand } from './command.js';
import type { AnyEvent, RecordedEvent } from './domain-event.js';
import type { Refusal } from './refusal.js';
import type { CommitmentSnapshot } from './snapshot.js';
import type { IsoDate } from './vocabulary.js';

/**
 * What a family says about each of its developments, one table per concern, keyed by type. Each table
 * is a mapped type over the family's union, so a development without its case does not compile; the
 * root files (commitment.events.ts, commitment.commands.ts, transitions.ts, commitment.snapshot.ts)
 * compose the families' tables and look a case up by the event's or the command's type.
 */

type Member<Union extends { type: string }, Type> = Extract<Union, { type: Type }>;

/** A composed table, as the root looks its cases up: by type, and never a type no family knows. */
export type CaseTable = ReadonlyMap<string, unknown>;

export function caseTable(table: object): CaseTable {
  return new Map(Object.entries(table));
}

/**
 * The case `table` holds for `subject`'s type, as the caller's wider `Case` (TypeScript cannot tie a
 * union's member to its key's case, so the root looks cases up here and nowhere else). A type no family
 * knows, which only a corrupted stream could hold, is the error `unknown` makes of the subject.
 */
export function caseFor<Case>(
  table: CaseTable,
  subject: { readonly type: string },
  unknown: (subject: unknown) => Error,
): Case {
  const found = table.get(subject.type);
  if (found === undefined) throw unknown(subject);
  return found as Case;
}

/** How a refusal or the corrections log names a recorded development: "the signature by FR". */
export type Descriptions<Events extends AnyEvent> = {
  readonly [Type in Events['type']]: (event: Member<Events, Type>) => string;
};

/**
 * Whether the development may follow `snapshot`, the fold of everything before it in world order
 * (`date` is its own UTC date): null when legal.
 */
export type TransitionRules<Events extends AnyEvent> = {
  readonly [Type in Events['type']]: (
    snapshot: CommitmentSnapshot,
    recorded: RecordedEvent<Member<Events, Type>>,
    date: IsoDate,
  ) => Refusal | null;
};

/** The snapshot fields a live event changes, given the snapshot before it (world-order bookkeeping aside). */
export type SnapshotChanges<Events extends AnyEvent> = {
  readonly [Type in Events['type']]: (
    snapshot: CommitmentSnapshot,
    recorded: RecordedEvent<Member<Events, Type>>,
  ) => Partial<CommitmentSnapshot>;
};

/**
 * What the decider lends a family's own decision: the commitment's fold and the decider's checks, so that
 * a family decides without importing the decider.
 */
export interface Decision {
  /** The fold of the commitment's live events. */
  readonly current: CommitmentSnapshot | null;
  /** The stream's events in version order; only for a command whose rule says it `needsHistory`. */
  history(): readonly RecordedEvent<AnyEvent>[];
  describe(event: AnyEvent): string;
  /** Throws `IllegalTransitionError` unless `event`, at the command's date in world order, leaves the history legal. */
  refuseIfIllegalInWorldOrder(event: AnyEvent): void;
  /**
   * Throws `IllegalTransitionError` for `attempt` when appending `event` makes an event of the history
   * illegal that is legal without it; `remedy` says what to do instead.
   */
  refuseIfHistoryTurnsIllegal(event: AnyEvent, attempt: string, remedy: string): void;
}

export interface CommandRule<Command extends AnyCommand, Events extends AnyEvent> {
  /** The event the command asks to record, before any rule is checked. */
  readonly eventFor: (command: Command) => Events;
  /** Deciding it always (true) or never (false) reads the stream; absent: only when it is backdated. */
  readonly needsHistory?: boolean;
  /**
   * The command's own decision, returning `event` or throwing a `DomainError`; absent, `event` is
   * judged where it lands in world order ({@link Decision.refuseIfIllegalInWorldOrder}). A method, so
   * that a family's rule, typed with its own events, takes its place in the root's table of all of them.
   */
  decide?(command: Command, event: Events, decision: Decision): Events;
}

export type CommandRules<Commands extends AnyCommand, Events extends AnyEvent> = {
  readonly [Type in Commands['type']]: CommandRule<Member<Commands, Type>, Events>;
};
