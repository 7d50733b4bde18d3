import type { StoredIdempotency } from '../../event-store/event-store.errors.js';
import type { Idempotency } from '../../event-store/event-store.types.js';
import { type ProblemDetails, toProblem } from '../../http/problem-details.js';
import type { SourcesService } from '../../sources/sources.service.js';
import type { CommitmentCommand } from '../domain/commitment.commands.js';
import type { Source } from '../domain/commitment.events.js';
import type { CommitmentSnapshot } from '../domain/commitment.snapshot.js';
import { instantMs } from '../domain/shared/world-time.js';
import { commitmentStreamId } from '../stream/commitment.stream.js';
import { type CommitmentStreams, handleCommitment } from './command-handling.js';
import {
  type CommandOutcome,
  type CommandToDecide,
  decideInOrder,
  type DecisionLookups,
  type RefusedBefore,
} from './decide-in-order.js';
import { generatedIdWithSuffix, MAX_GENERATED_ID_SUFFIX } from './generated-ids.js';

/** Commitments appended at once: each is one statement, so this many keep the server busy without a queue. */
const CONCURRENT_APPENDS = 8;

/** A command of a sequence, validated already. */
export interface SequencedCommand {
  /** Its place in the sequence (an import file's line). */
  readonly line: number;
  readonly command: CommitmentCommand;
  /** A proposal without id: its id comes from its title, with `-2`, `-3`, … when that one is taken. */
  readonly generatedId: boolean;
  readonly idempotency: Idempotency;
  /** A retraction of the development recorded with this (scoped) idempotency key. */
  readonly retractsKey?: string;
}

/** A line refused before it reached the writer: its commitment, if it names one, and the problem detail. */
export interface SequenceRefusal {
  readonly line: number;
  readonly commitmentId: string | null;
  readonly problem: ProblemDetails;
}

/** What became of a line, as the sequence's writer reports it. */
export type LineOutcome =
  | { readonly status: 'appended'; readonly eventId: string }
  | { readonly status: 'present'; readonly eventId: string | null }
  | { readonly status: 'refused'; readonly problem: ProblemDetails };

export interface SequencedOutcome {
  readonly line: number;
  readonly commitmentId: string | null;
  readonly outcome: LineOutcome;
}

/**
 * Many commands, of many commitments, recorded in their order batch by batch (an import file): each
 * batch's commands are grouped by commitment, each commitment's decided in order against its state (its
 * stored snapshot, or its stream when a command is backdated or a retraction) and appended as ONE
 * multi-event append, with every command's idempotency record, through the one write loop
 * ({@link handleCommitment}). A refused line refuses every later line of its commitment, across batches.
 */
export class CommandSequence {
  /** Each commitment's first refused line so far. */
  private readonly refusedAt = new Map<string, number>();

  constructor(
    private readonly streams: CommitmentStreams,
    private readonly sources: Pick<SourcesService, 'citationChecker'>,
    /** Who records every event; the correlation id of the whole sequence (an import job). */
    private readonly metadata: { readonly recordedBy: string; readonly correlationId: string },
  ) {}

  async record(lines: readonly (SequencedCommand | SequenceRefusal)[]): Promise<SequencedOutcome[]> {
    const commands = lines.filter((line): line is SequencedCommand => !isRefusal(line));
    const checkCitation = await this.sources.citationChecker(
      commands.flatMap(({ command }) => (command.data as { source?: Source }).source?.sourceId ?? []),
    );
    const stored = await this.storedIdempotency(commands);
    const ids = await this.generatedIds(commands, stored);
    const groups = new Map<string, (CommandToDecide | RefusedBefore)[]>();
    const group = (commitmentId: string, entry: CommandToDecide | RefusedBefore) => {
      const entries = groups.get(commitmentId);
      if (entries) entries.push(entry);
      else groups.set(commitmentId, [entry]);
    };
    const outcomes: SequencedOutcome[] = [];
    for (const line of lines) {
      if (!isRefusal(line)) {
        const entry = this.toDecide(line, ids);
        group(entry.command.data.commitmentId, entry);
      } else if (line.commitmentId !== null) {
        group(line.commitmentId, { line: line.line, problem: line.problem });
      } else {
        outcomes.push({ line: line.line, commitmentId: null, outcome: refused(line.problem) });
      }
    }
    const successors = await this.successors(commands);
    const decisionStates = await this.streams.snapshots.decisionStates([...groups.keys()], (id, snapshot) =>
      groupNeedsHistory(groups.get(id) ?? [], snapshot),
    );
    const queue = [...groups.entries()];
    const workers = Array.from({ length: Math.min(CONCURRENT_APPENDS, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [commitmentId, entries] = next;
        let lookups: DecisionLookups = {
          recordedBy: this.metadata.recordedBy,
          stored,
          successorExists: (id, line) =>
            successors.has(id) || (ids.proposedBefore.get(id) ?? Infinity) < line,
          refusedAt: this.refusedAt.get(commitmentId),
          checkCitation,
          now: () => new Date(),
        };
        const { decision } = await handleCommitment(
          this.streams,
          commitmentId,
          (state) => decideInOrder(commitmentId, entries, state, lookups),
          {
            loaded: decisionStates.get(commitmentId),
            metadata: this.metadata,
            onPresent: (records) => {
              lookups = { ...lookups, stored: withRecords(lookups.stored, records) };
            },
          },
        );
        if (decision.firstRefusedLine !== undefined)
          this.refusedAt.set(commitmentId, decision.firstRefusedLine);
        for (const entry of entries) {
          const outcome =
            'problem' in entry ? refused(entry.problem) : reported(decision.outcomes.get(entry.line));
          if (outcome) outcomes.push({ line: entry.line, commitmentId, outcome });
        }
      }
    });
    await Promise.all(workers);
    return outcomes.sort((a, b) => a.line - b.line);
  }

  private toDecide(line: SequencedCommand, ids: ReadonlyMap<number, string>): CommandToDecide {
    const commitmentId = ids.get(line.line) ?? line.command.data.commitmentId;
    const command =
      commitmentId === line.command.data.commitmentId
        ? line.command
        : ({ ...line.command, data: { ...line.command.data, commitmentId } } as CommitmentCommand);
    return {
      line: line.line,
      command,
      idempotency: line.idempotency,
      ...(line.retractsKey === undefined ? {} : { retractsKey: line.retractsKey }),
      causationId: `${this.metadata.correlationId}#${line.line}`,
    };
  }

  private async storedIdempotency(
    commands: readonly SequencedCommand[],
  ): Promise<Map<string, StoredIdempotency>> {
    const keys = new Set<string>();
    for (const command of commands) {
      keys.add(command.idempotency.key);
      if (command.retractsKey) keys.add(command.retractsKey);
    }
    const records = await this.streams.store.storedIdempotency([...keys]);
    return new Map(records.map((record) => [record.key, record]));
  }

  /**
   * The id of each proposal without one, made from its title as the API makes it (`-2`, `-3`, … when
   * taken, in the log or by an earlier line of the batch), skipping lines already present; and, for the
   * supersessions, the first line of the batch proposing each commitment.
   */
  private async generatedIds(
    commands: readonly SequencedCommand[],
    stored: ReadonlyMap<string, StoredIdempotency>,
  ): Promise<Map<number, string> & { proposedBefore: Map<string, number> }> {
    const ids = Object.assign(new Map<number, string>(), { proposedBefore: new Map<string, number>() });
    for (const { line, command, generatedId, idempotency } of commands) {
      if (command.type !== 'ProposeCommitment') continue;
      const base = command.data.commitmentId;
      let id = base;
      if (generatedId && !stored.has(idempotency.key)) {
        for (let suffix = 2; ids.proposedBefore.has(id) || (await this.exists(id)); suffix++) {
          if (suffix > MAX_GENERATED_ID_SUFFIX) break;
          id = generatedIdWithSuffix(base, suffix);
        }
        ids.set(line, id);
      }
      if (!ids.proposedBefore.has(id)) ids.proposedBefore.set(id, line);
    }
    return ids;
  }

  /** The successors named by the batch's supersessions that exist in the log now. */
  private async successors(commands: readonly SequencedCommand[]): Promise<Set<string>> {
    const named = new Set<string>();
    for (const { command } of commands) {
      if (command.type === 'SupersedeCommitment') named.add(command.data.supersededBy);
    }
    const existing = new Set<string>();
    for (const id of named) if (await this.exists(id)) existing.add(id);
    return existing;
  }

  private async exists(commitmentId: string): Promise<boolean> {
    return (await this.streams.store.streamVersion(commitmentStreamId(commitmentId))) > 0;
  }
}

function isRefusal(line: SequencedCommand | SequenceRefusal): line is SequenceRefusal {
  return 'problem' in line;
}

function refused(problem: ProblemDetails): LineOutcome {
  return { status: 'refused', problem };
}

/** An outcome as a line's report gives it: a refusal as the API's problem detail. */
function reported(outcome: CommandOutcome | undefined): LineOutcome | undefined {
  if (outcome?.status !== 'refused') return outcome;
  return refused(toProblem(outcome.error).problem);
}

function withRecords(
  stored: ReadonlyMap<string, StoredIdempotency>,
  records: readonly StoredIdempotency[],
): Map<string, StoredIdempotency> {
  return new Map([...stored, ...records.map((record) => [record.key, record] as const)]);
}

/** A retraction, or a line dated before the latest so far, needs the stream to be decided. */
function groupNeedsHistory(
  entries: readonly (CommandToDecide | RefusedBefore)[],
  snapshot: CommitmentSnapshot,
): boolean {
  let latest = instantMs(snapshot.lastOccurredAt);
  for (const entry of entries) {
    if ('problem' in entry) continue;
    if (entry.command.type === 'RetractEntry') return true;
    const at = instantMs(entry.command.data.occurredAt);
    if (at < latest) return true;
    latest = at;
  }
  return false;
}
