import type { CommitmentSnapshot } from '../commitments/domain/commitment.snapshot.js';
import { instantMs } from '../commitments/domain/shared/world-time.js';
import { MAX_WRITE_ATTEMPTS } from '../commitments/write/record-development.handler.js';
import type { CommitmentSnapshotStore } from '../commitments/read-models/commitment-status/commitment-snapshot-store.js';
import { commitmentStatusWrite } from '../commitments/read-models/commitment-status/commitment-status.projection.js';
import { commitmentStreamId } from '../commitments/stream/commitment.stream.js';
import type { Source } from '../commitments/domain/commitment.events.js';
import type { EventStore } from '../event-store/event-store.js';
import type { StreamLocks } from '../event-store/stream-locks.js';
import type { SourcesService } from '../sources/sources.service.js';
import {
  ConcurrencyError,
  IdempotentEventsPresentError,
  type StoredIdempotency,
} from '../event-store/event-store.errors.js';
import {
  decideGroup,
  type GroupContext,
  type GroupDecision,
  type GroupEntry,
  HistoryNeeded,
  type LineOutcome,
} from './import-decisions.js';
import { type ImportedDevelopment, isRefusal, type LineRefusal } from './import-development.js';

/** Commitments appended at once: each is one statement, so this many keep the server busy without a queue. */
const CONCURRENT_APPENDS = 8;
const MAX_GENERATED_ID_SUFFIX = 50;
const MAX_BACKOFF_MS = 50;

export interface BatchLineOutcome {
  readonly line: number;
  readonly commitmentId: string | null;
  readonly outcome: LineOutcome;
}

/**
 * Writes an import file's lines batch by batch, for one job: each batch's lines are grouped by
 * commitment, each commitment's lines decided in file order against its state (its stored snapshot, or
 * its stream when a line is backdated or a retraction), and appended as ONE multi-event append per
 * commitment, with every line's idempotency record and the commitment's `commitment_status` row in the
 * same statement. A commitment that lost a race with another writer, or whose lines another writer has
 * just stored, is decided again on its fresh state (bounded, as the API's write path is).
 */
export class ImportBatchWriter {
  /** Each commitment's first refused line so far: its later lines in the file are refused. */
  private readonly refusedAt = new Map<string, number>();

  constructor(
    private readonly store: EventStore,
    private readonly states: CommitmentSnapshotStore,
    private readonly services: {
      readonly sources: Pick<SourcesService, 'citationChecker'>;
      /** The API's writers on the same streams in this process: a commitment is appended in turn with them. */
      readonly locks: StreamLocks;
    },
    private readonly recordedBy: string,
    private readonly jobId: string,
  ) {}

  async write(lines: readonly (ImportedDevelopment | LineRefusal)[]): Promise<BatchLineOutcome[]> {
    const developments = lines.filter((line): line is ImportedDevelopment => !isRefusal(line));
    const checkCitation = await this.services.sources.citationChecker(
      developments.flatMap(({ command }) => (command.data as { source?: Source }).source?.sourceId ?? []),
    );
    const stored = await this.storedIdempotency(developments);
    const ids = await this.generatedIds(developments, stored);
    const groups = new Map<string, GroupEntry[]>();
    const outcomes: BatchLineOutcome[] = [];
    for (const line of lines) {
      if (isRefusal(line) && line.commitmentId === null) {
        outcomes.push({
          line: line.line,
          commitmentId: null,
          outcome: { status: 'refused', problem: line.problem },
        });
        continue;
      }
      const commitmentId = isRefusal(line)
        ? (line.commitmentId as string)
        : (ids.get(line.line) ?? line.commitmentId);
      const entry = isRefusal(line) ? line : withCommitmentId(line, commitmentId);
      const group = groups.get(commitmentId);
      if (group) group.push(entry);
      else groups.set(commitmentId, [entry]);
    }
    const successors = await this.successors(developments);
    const states = await this.states.decisionStates([...groups.keys()], (id, snapshot) =>
      groupNeedsHistory(groups.get(id) ?? [], snapshot),
    );
    const queue = [...groups.entries()];
    const workers = Array.from({ length: Math.min(CONCURRENT_APPENDS, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [commitmentId, entries] = next;
        const context: GroupContext = {
          recordedBy: this.recordedBy,
          jobId: this.jobId,
          stored,
          successorExists: (id, line) =>
            successors.has(id) || (ids.proposedBefore.get(id) ?? Infinity) < line,
          refusedAt: this.refusedAt.get(commitmentId),
          checkCitation,
          now: () => new Date(),
        };
        const decision = await this.appendGroup(commitmentId, entries, states.get(commitmentId), context);
        if (decision.firstRefusedLine !== undefined)
          this.refusedAt.set(commitmentId, decision.firstRefusedLine);
        for (const entry of entries) {
          const outcome = decision.outcomes.get(entry.line);
          if (outcome) outcomes.push({ line: entry.line, commitmentId, outcome });
        }
      }
    });
    await Promise.all(workers);
    return outcomes.sort((a, b) => a.line - b.line);
  }

  /** Decides and appends one commitment's lines, in turn with the API's writers on it in this process. */
  private appendGroup(
    commitmentId: string,
    entries: readonly GroupEntry[],
    loaded: Awaited<ReturnType<CommitmentSnapshotStore['decisionState']>> | undefined,
    context: GroupContext,
  ): Promise<GroupDecision> {
    return this.services.locks.withLock(commitmentStreamId(commitmentId), () =>
      this.decideAndAppendGroup(commitmentId, entries, loaded, context),
    );
  }

  /** Decides and appends one commitment's lines, deciding again on its fresh state after a lost race. */
  private async decideAndAppendGroup(
    commitmentId: string,
    entries: readonly GroupEntry[],
    loaded: Awaited<ReturnType<CommitmentSnapshotStore['decisionState']>> | undefined,
    context: GroupContext,
  ): Promise<GroupDecision> {
    let state = loaded ?? (await this.states.decisionStateWithHistory(commitmentId));
    let stored = context.stored;
    for (let attempt = 1; ; attempt++) {
      let decision: GroupDecision;
      try {
        decision = decideGroup(commitmentId, entries, state, { ...context, stored });
      } catch (error) {
        if (!(error instanceof HistoryNeeded)) throw error;
        state = await this.states.decisionStateWithHistory(commitmentId);
        continue;
      }
      if (decision.events.length === 0 || !decision.state.current) return decision;
      try {
        await this.store.appendToStream(commitmentStreamId(commitmentId), decision.events, {
          expectedVersion: state.version,
          metadata: { recordedBy: this.recordedBy, correlationId: this.jobId },
          projections: [commitmentStatusWrite(decision.state.current)],
        });
        return decision;
      } catch (error) {
        if (error instanceof IdempotentEventsPresentError) {
          stored = new Map([...stored, ...error.present.map((record) => [record.key, record] as const)]);
        } else if (!(error instanceof ConcurrencyError) || attempt >= MAX_WRITE_ATTEMPTS) throw error;
        await backOff(attempt);
        state = await this.states.decisionState(commitmentId);
      }
    }
  }

  private async storedIdempotency(
    developments: readonly ImportedDevelopment[],
  ): Promise<Map<string, StoredIdempotency>> {
    const keys = new Set<string>();
    for (const development of developments) {
      keys.add(development.idempotency.key);
      if (development.retractsKey) keys.add(development.retractsKey);
    }
    const records = await this.store.storedIdempotency([...keys]);
    return new Map(records.map((record) => [record.key, record]));
  }

  /**
   * The id of each proposal without one, made from its title as the API makes it (`-2`, `-3`, … when
   * taken, in the log or by an earlier line of the batch), skipping lines already present; and, for the
   * supersessions, the first line of the batch proposing each commitment.
   */
  private async generatedIds(
    developments: readonly ImportedDevelopment[],
    stored: ReadonlyMap<string, StoredIdempotency>,
  ): Promise<Map<number, string> & { proposedBefore: Map<string, number> }> {
    const ids = Object.assign(new Map<number, string>(), { proposedBefore: new Map<string, number>() });
    for (const development of developments) {
      if (development.action !== 'propose') continue;
      let id = development.commitmentId;
      if (development.generatedId && !stored.has(development.idempotency.key)) {
        for (let suffix = 2; ids.proposedBefore.has(id) || (await this.exists(id)); suffix++) {
          if (suffix > MAX_GENERATED_ID_SUFFIX) break;
          const base = development.commitmentId;
          id = `${base.slice(0, 80 - String(suffix).length - 1)}-${suffix}`;
        }
        ids.set(development.line, id);
      }
      if (!ids.proposedBefore.has(id)) ids.proposedBefore.set(id, development.line);
    }
    return ids;
  }

  /** The successors named by the batch's supersessions that exist in the log now. */
  private async successors(developments: readonly ImportedDevelopment[]): Promise<Set<string>> {
    const named = new Set<string>();
    for (const { command } of developments) {
      if (command.type === 'SupersedeCommitment') named.add(command.data.supersededBy);
    }
    const existing = new Set<string>();
    for (const id of named) if (await this.exists(id)) existing.add(id);
    return existing;
  }

  private async exists(commitmentId: string): Promise<boolean> {
    return (await this.store.streamVersion(commitmentStreamId(commitmentId))) > 0;
  }
}

function withCommitmentId(development: ImportedDevelopment, commitmentId: string): ImportedDevelopment {
  if (development.commitmentId === commitmentId) return development;
  return {
    ...development,
    commitmentId,
    command: { ...development.command, data: { ...development.command.data, commitmentId } },
  } as ImportedDevelopment;
}

/** A retraction, or a line dated before the latest so far, needs the stream to be decided. */
function groupNeedsHistory(entries: readonly GroupEntry[], snapshot: CommitmentSnapshot): boolean {
  let latest = instantMs(snapshot.lastOccurredAt);
  for (const entry of entries) {
    if (isRefusal(entry)) continue;
    if (entry.command.type === 'RetractEntry') return true;
    const at = instantMs(entry.command.data.occurredAt);
    if (at < latest) return true;
    latest = at;
  }
  return false;
}

function backOff(attempt: number): Promise<void> {
  const ceiling = Math.min(MAX_BACKOFF_MS, 2 ** Math.min(attempt, 6));
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}
