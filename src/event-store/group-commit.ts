import type { AppendResult } from './event-store.types.js';
import { type Appender, isGroupConflict, type PreparedAppend } from './stream-append.js';

interface Waiting {
  readonly append: PreparedAppend;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

/**
 * Group commit: single-event appends that arrive within one turn of the event loop go to the database
 * together, one statement and one commit for the appends writing the same inline projections (the append
 * statement takes several appends, see append-statements.ts). Each is still checked against its own
 * expected version and answered on its own: a version conflict, a missing stream or an idempotent replay is
 * its caller's alone. Should the group's statement fail for what the appends would not all meet alone — a
 * unique violation (a writer elsewhere took a version or a key first) or two appends upserting one
 * read-model row — every append of the group is run again on its own, in arrival order, so each caller gets
 * the answer the one-by-one path gives; any other database error fails the whole group with that error. A
 * group holds one append per stream: a stream's second append of the turn goes in the next round of
 * groups, sent when the round before is answered, so a stream's appends keep their order of arrival.
 */
export class GroupCommit {
  private waiting: Waiting[] = [];
  private scheduled = false;

  constructor(private readonly appender: Appender) {}

  append(append: PreparedAppend): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ append, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // After the I/O callbacks of this turn: every append they issued is in the group.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    // A stream's k-th append of the turn goes in round k, in the group of its projections.
    const rounds: Map<string, Waiting[]>[] = [];
    const appendsTo = new Map<string, number>();
    for (const waiting of this.waiting) {
      const round = appendsTo.get(waiting.append.streamId) ?? 0;
      appendsTo.set(waiting.append.streamId, round + 1);
      const groups = (rounds[round] ??= new Map());
      const shape = waiting.append.projectionNames.join(',');
      const group = groups.get(shape);
      if (group) group.push(waiting);
      else groups.set(shape, [waiting]);
    }
    this.waiting = [];
    void (async () => {
      for (const groups of rounds) await Promise.all([...groups.values()].map((group) => this.run(group)));
    })();
  }

  /** Settles every append of the group; never rejects. */
  private async run(group: readonly Waiting[]): Promise<void> {
    if (group.length === 1) return this.alone(group[0]);
    let outcomes: PromiseSettledResult<AppendResult>[];
    try {
      outcomes = await this.appender.appendTogether(group.map((waiting) => waiting.append));
    } catch (error) {
      if (!isGroupConflict(error)) for (const waiting of group) waiting.reject(error);
      // One by one, in order of arrival: each gets the answer the one-by-one path gives.
      else for (const waiting of group) await this.alone(waiting);
      return;
    }
    outcomes.forEach((outcome, index) => {
      if (outcome.status === 'fulfilled') group[index].resolve(outcome.value);
      else group[index].reject(outcome.reason);
    });
  }

  private alone(waiting: Waiting): Promise<void> {
    return this.appender.append(waiting.append).then(waiting.resolve, waiting.reject);
  }
}
