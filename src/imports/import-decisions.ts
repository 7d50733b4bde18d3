import { uuidV7 } from '../event-store/uuid-v7.js';
import type { CommitmentCommand } from '../commitments/domain/commitment.commands.js';
import {
  type DecisionState,
  decide,
  evolve,
  needsHistory,
} from '../commitments/domain/commitment.decider.js';
import type { RecordedCommitmentEvent, Source } from '../commitments/domain/commitment.events.js';
import { toIsoInstant } from '../commitments/domain/shared/world-time.js';
import { IdempotencyKeyReusedError, type StoredIdempotency } from '../event-store/event-store.errors.js';
import type { NewEvent } from '../event-store/event-store.types.js';
import { ProblemError, type ProblemDetails, toProblem } from '../http/problem-details.js';
import type { CitationChecker } from '../sources/sources.service.js';
import type { ImportedDevelopment, LineRefusal } from './import-development.js';

/** What became of a line. */
export type LineOutcome =
  | { readonly status: 'appended'; readonly eventId: string }
  | { readonly status: 'present'; readonly eventId: string | null }
  | { readonly status: 'refused'; readonly problem: ProblemDetails };

/** A line of one commitment, in file order: a development to decide, or a line refused before. */
export type GroupEntry = ImportedDevelopment | LineRefusal;

export interface GroupContext {
  readonly recordedBy: string;
  readonly jobId: string;
  /** Idempotency records already stored, by key (the lines' keys and the keys retractions name). */
  readonly stored: ReadonlyMap<string, StoredIdempotency>;
  /** Whether the commitment a supersession on `line` names exists by then. */
  successorExists(commitmentId: string, line: number): boolean;
  /** The first line of this commitment refused in an earlier batch of the file. */
  readonly refusedAt: number | undefined;
  /** Checks a citation of a registered source, as the API does (the batch's sources read once). */
  readonly checkCitation: CitationChecker;
  readonly now: () => Date;
}

export interface GroupDecision {
  readonly outcomes: ReadonlyMap<number, LineOutcome>;
  /** The events to append, each with its line's idempotency key, in file order. */
  readonly events: readonly NewEvent[];
  /** The commitment after them. */
  readonly state: DecisionState;
  /** The first line refused, which refuses every later line of the commitment in the file. */
  readonly firstRefusedLine: number | undefined;
}

/** Thrown when a state built from the stored snapshot meets a line that needs the stream: load it and decide again. */
export class HistoryNeeded extends Error {}

/**
 * Decides a commitment's lines of one batch in file order, each against the state the earlier ones
 * leave (`decide`, then `evolve`): exactly what posting them one by one does, without a round trip per
 * line. A refused line refuses every later line of the commitment (they were written against a state
 * that includes it). A line whose idempotency key is stored already is present: it is in the state.
 */
export function decideGroup(
  commitmentId: string,
  entries: readonly GroupEntry[],
  loaded: DecisionState,
  context: GroupContext,
): GroupDecision {
  const outcomes = new Map<number, LineOutcome>();
  const events: NewEvent[] = [];
  const pendingKeys = new Map<string, string>();
  let state = loaded;
  let firstRefusedLine = context.refusedAt;
  const refuse = (line: number, problem: ProblemDetails) => {
    outcomes.set(line, { status: 'refused', problem });
    firstRefusedLine ??= line;
  };
  for (const entry of entries) {
    if ('problem' in entry) {
      refuse(entry.line, entry.problem);
      continue;
    }
    const { key, requestHash } = entry.idempotency;
    const stored = context.stored.get(key);
    if (stored || pendingKeys.has(key)) {
      if (stored && stored.requestHash !== requestHash) {
        refuse(entry.line, toProblem(new IdempotencyKeyReusedError(key)).problem);
      } else {
        outcomes.set(entry.line, {
          status: 'present',
          eventId: stored?.result.events[0]?.eventId ?? pendingKeys.get(key) ?? null,
        });
      }
      continue;
    }
    if (firstRefusedLine !== undefined) {
      refuse(entry.line, earlierLineRefused(commitmentId, firstRefusedLine));
      continue;
    }
    const command = resolved(entry, pendingKeys, context);
    if ('problem' in command) {
      refuse(entry.line, command.problem);
      continue;
    }
    if (state.history === 'unread' && needsHistory(command, state)) throw new HistoryNeeded();
    const now = context.now();
    let recorded: RecordedCommitmentEvent;
    try {
      const [event] = decide(withCitationChecked(command, state, context.checkCitation), state, { now });
      recorded = {
        eventId: uuidV7(),
        version: state.version + 1,
        occurredAt: toIsoInstant(command.data.occurredAt),
        recordedAt: now.toISOString(),
        recordedBy: context.recordedBy,
        event,
      };
    } catch (error) {
      refuse(entry.line, toProblem(error).problem);
      continue;
    }
    state = evolve(state, recorded);
    pendingKeys.set(key, recorded.eventId);
    outcomes.set(entry.line, { status: 'appended', eventId: recorded.eventId });
    events.push({
      eventId: recorded.eventId,
      type: recorded.event.type,
      data: recorded.event.data,
      occurredAt: recorded.occurredAt,
      idempotency: entry.idempotency,
      metadata: { causationId: `${context.jobId}#${entry.line}` },
    });
  }
  return { outcomes, events, state, firstRefusedLine };
}

/** The line's command with what `decide` needs from outside the stream: a successor's existence, a retracted entry's id. */
function resolved(
  entry: ImportedDevelopment,
  pendingKeys: ReadonlyMap<string, string>,
  context: GroupContext,
): CommitmentCommand | { problem: ProblemDetails } {
  const { command } = entry;
  if (command.type === 'SupersedeCommitment') {
    return {
      ...command,
      data: {
        ...command.data,
        successorExists: context.successorExists(command.data.supersededBy, entry.line),
      },
    };
  }
  if (command.type !== 'RetractEntry' || entry.retractsKey === undefined) return command;
  const eventId =
    pendingKeys.get(entry.retractsKey) ?? context.stored.get(entry.retractsKey)?.result.events[0]?.eventId;
  if (eventId === undefined) {
    const key = entry.retractsKey.slice(entry.retractsKey.indexOf(':') + 1);
    return {
      problem: toProblem(
        new ProblemError(
          404,
          'event-not-found',
          'Event not found',
          `No development was imported with the idempotencyKey ${JSON.stringify(key)} (by this key) before line ${entry.line}: ` +
            'retractsKey names an earlier line of this commitment, of this file or an earlier import.',
        ),
      ).problem,
    };
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

function earlierLineRefused(commitmentId: string, line: number): ProblemDetails {
  return toProblem(
    new ProblemError(
      409,
      'earlier-line-refused',
      'An earlier line of this commitment was refused',
      `Not decided: line ${line}, an earlier development of '${commitmentId}' in this file, was refused, and ` +
        'every later line of a commitment is decided against the state the earlier ones leave. Correct line ' +
        `${line} and import the file again: the lines already imported are recognised and skipped.`,
    ),
  ).problem;
}
