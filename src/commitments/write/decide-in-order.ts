import { IdempotencyKeyReusedError, type StoredIdempotency } from '../../event-store/event-store.errors.js';
import type { Idempotency, NewEvent } from '../../event-store/event-store.types.js';
import { uuidV7 } from '../../event-store/uuid-v7.js';
import { ProblemError, type ProblemDetails } from '../../http/problem-details.js';
import type { CitationChecker } from '../../sources/sources.service.js';
import type { CommitmentCommand } from '../domain/commitment.commands.js';
import { type DecisionState, decide, evolve, needsHistory } from '../domain/commitment.decider.js';
import type { CommitmentEvent, RecordedCommitmentEvent, Source } from '../domain/commitment.events.js';
import { toIsoInstant } from '../domain/shared/world-time.js';

/** A command of one commitment, in the order it is to be decided. */
export interface CommandToDecide {
  /** Its place in the sequence (an import file's line): outcomes are keyed by it. */
  readonly line: number;
  readonly command: CommitmentCommand;
  /** Its own idempotency record: stored already, the command is present and is not decided again. */
  readonly idempotency?: Idempotency;
  /** A retraction of the development recorded with this idempotency key, by an earlier command or before. */
  readonly retractsKey?: string;
  readonly causationId: string;
}

/** A line refused before it could be decided (its outcome is its own), which still refuses the later ones. */
export interface RefusedBefore {
  readonly line: number;
  readonly problem: ProblemDetails;
}

/** What became of a command: its event appended, present already (by its idempotency key), or refused. */
export type CommandOutcome =
  | { readonly status: 'appended'; readonly eventId: string }
  | { readonly status: 'present'; readonly eventId: string | null }
  | { readonly status: 'refused'; readonly error: unknown };

/** What deciding needs from outside the stream, read before (once for a whole batch). */
export interface DecisionLookups {
  readonly recordedBy: string;
  /** Idempotency records already stored, by key (the commands' keys and the keys retractions name). */
  readonly stored: ReadonlyMap<string, StoredIdempotency>;
  /** Whether the commitment a supersession at `line` names exists by then. */
  successorExists(commitmentId: string, line: number): boolean;
  /** The first line of this commitment refused earlier in the sequence. */
  readonly refusedAt: number | undefined;
  /** Checks a citation of a registered source (throws its refusal). */
  readonly checkCitation: CitationChecker;
  readonly now: () => Date;
}

export interface Decision {
  /** Every decided line's (not the lines refused before). */
  readonly outcomes: ReadonlyMap<number, CommandOutcome>;
  /** The events to append, in order. */
  readonly events: readonly NewEvent[];
  /** The commitment after them. */
  readonly state: DecisionState;
  /** The first line refused, which refuses every later line of the commitment. */
  readonly firstRefusedLine: number | undefined;
}

/** Thrown when a state built from the stored snapshot meets a command that needs the stream: load it and decide again. */
export class HistoryNeeded extends Error {}

/**
 * Decides a commitment's commands in order, each against the state the earlier ones leave (`decide`,
 * then `evolve`): exactly what recording them one by one does, without a round trip per command. A
 * refused command refuses every later one of the commitment (they were written against a state that
 * includes it). A command whose idempotency key is stored already is present: it is in the state.
 */
export function decideInOrder(
  commitmentId: string,
  entries: readonly (CommandToDecide | RefusedBefore)[],
  loaded: DecisionState,
  lookups: DecisionLookups,
): Decision {
  const outcomes = new Map<number, CommandOutcome>();
  const events: NewEvent[] = [];
  const pendingKeys = new Map<string, string>();
  let state = loaded;
  let firstRefusedLine = lookups.refusedAt;
  const refuse = (line: number, error: unknown) => {
    outcomes.set(line, { status: 'refused', error });
    firstRefusedLine ??= line;
  };
  for (const entry of entries) {
    if ('problem' in entry) {
      firstRefusedLine ??= entry.line;
      continue;
    }
    if (entry.idempotency) {
      const { key, requestHash } = entry.idempotency;
      const stored = lookups.stored.get(key);
      if (stored && stored.requestHash !== requestHash) {
        refuse(entry.line, new IdempotencyKeyReusedError(key));
        continue;
      }
      if (stored || pendingKeys.has(key)) {
        const eventId = stored?.result.events[0]?.eventId ?? pendingKeys.get(key) ?? null;
        outcomes.set(entry.line, { status: 'present', eventId });
        continue;
      }
    }
    if (firstRefusedLine !== undefined) {
      refuse(entry.line, earlierLineRefused(commitmentId, firstRefusedLine));
      continue;
    }
    let command: CommitmentCommand;
    try {
      command = resolved(entry, pendingKeys, lookups);
    } catch (error) {
      refuse(entry.line, error);
      continue;
    }
    if (state.history === 'unread' && needsHistory(command, state)) throw new HistoryNeeded();
    let recorded: RecordedCommitmentEvent;
    try {
      const now = lookups.now();
      const [event] = decide(withCitationChecked(command, state, lookups.checkCitation), state, { now });
      recorded = envelope(event, state, command, now, lookups.recordedBy);
    } catch (error) {
      refuse(entry.line, error);
      continue;
    }
    state = evolve(state, recorded);
    if (entry.idempotency) pendingKeys.set(entry.idempotency.key, recorded.eventId);
    outcomes.set(entry.line, { status: 'appended', eventId: recorded.eventId });
    events.push({
      eventId: recorded.eventId,
      type: recorded.event.type,
      data: recorded.event.data,
      occurredAt: recorded.occurredAt,
      ...(entry.idempotency ? { idempotency: entry.idempotency } : {}),
      metadata: { causationId: entry.causationId },
    });
  }
  return { outcomes, events, state, firstRefusedLine };
}

/** The recorded event `evolve` folds: the decided event with its id, version and times. */
function envelope(
  event: CommitmentEvent,
  state: DecisionState,
  command: CommitmentCommand,
  now: Date,
  recordedBy: string,
): RecordedCommitmentEvent {
  return {
    eventId: uuidV7(now.getTime()),
    version: state.version + 1,
    occurredAt: toIsoInstant(command.data.occurredAt),
    recordedAt: now.toISOString(),
    recordedBy,
    event,
  };
}

/** The command with what `decide` needs from outside the stream: a successor's existence, a retracted entry's id. */
function resolved(
  entry: CommandToDecide,
  pendingKeys: ReadonlyMap<string, string>,
  lookups: DecisionLookups,
): CommitmentCommand {
  const { command } = entry;
  if (command.type === 'SupersedeCommitment') {
    const successorExists = lookups.successorExists(command.data.supersededBy, entry.line);
    return { ...command, data: { ...command.data, successorExists } };
  }
  if (command.type !== 'RetractEntry' || entry.retractsKey === undefined) return command;
  const eventId =
    pendingKeys.get(entry.retractsKey) ?? lookups.stored.get(entry.retractsKey)?.result.events[0]?.eventId;
  if (eventId === undefined) {
    const key = entry.retractsKey.slice(entry.retractsKey.indexOf(':') + 1);
    throw new ProblemError(
      404,
      'event-not-found',
      'Event not found',
      `No development was imported with the idempotencyKey ${JSON.stringify(key)} (by this key) before line ${entry.line}: ` +
        'retractsKey names an earlier line of this commitment, of this file or an earlier import.',
    );
  }
  return { ...command, data: { ...command.data, eventId } };
}

/**
 * The command with its citation of a registered source checked (`quoteVerified`), in the API's order:
 * a development of a commitment that does not exist is refused for that first.
 */
function withCitationChecked(
  command: CommitmentCommand,
  state: DecisionState,
  checkCitation: CitationChecker,
): CommitmentCommand {
  const source = (command.data as { source?: Source }).source;
  if (source?.sourceId === undefined) return command;
  if (state.version === 0 && command.type !== 'ProposeCommitment') return command;
  const checked = { ...source, ...checkCitation(source.sourceId, source.quote) };
  return { ...command, data: { ...command.data, source: checked } } as CommitmentCommand;
}

function earlierLineRefused(commitmentId: string, line: number): ProblemError {
  return new ProblemError(
    409,
    'earlier-line-refused',
    'An earlier line of this commitment was refused',
    `Not decided: line ${line}, an earlier development of '${commitmentId}' in this file, was refused, and ` +
      'every later line of a commitment is decided against the state the earlier ones leave. Correct line ' +
      `${line} and import the file again: the lines already imported are recognised and skipped.`,
  );
}
