import { appendGroupSql } from './append-statements.js';
import type { AppendResult } from './event-store.types.js';
import {
  type AppendContext,
  type AppendRow,
  executeAppend,
  isUniqueViolation,
  outcomeOf,
  type PreparedAppend,
} from './stream-append.js';

interface Waiting {
  readonly append: PreparedAppend;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

const GROUP_STATEMENT = { name: 'es_append_group', text: appendGroupSql() };

/**
 * Group commit: single-event appends without inline projections that arrive within one turn of the event
 * loop go to the database together, in one statement and one commit (see `appendGroupSql`). Each is still
 * checked against its own expected version and answered on its own: a version conflict, a missing stream
 * or an idempotent replay is its caller's alone. Should the group's statement fail with a unique violation
 * (a writer elsewhere took a version or a key first), every append of the group is run again on its own, so
 * each caller gets the answer the one-by-one path gives; any other database error fails the whole group
 * with that error. A group holds one append per stream: a second append to a stream goes in a next group,
 * sent when the one before is answered, so a stream's appends keep their order of arrival.
 */
export class GroupCommit {
  private waiting: Waiting[] = [];
  private scheduled = false;

  constructor(private readonly context: AppendContext) {}

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
    // A stream's k-th append of the turn goes in the k-th group: each stream's appends keep their order.
    const groups: Waiting[][] = [];
    const appendsTo = new Map<string, number>();
    for (const waiting of this.waiting) {
      const index = appendsTo.get(waiting.append.streamId) ?? 0;
      appendsTo.set(waiting.append.streamId, index + 1);
      (groups[index] ??= []).push(waiting);
    }
    this.waiting = [];
    void (async () => {
      for (const group of groups) await this.run(group);
    })();
  }

  /** Settles every append of the group; never rejects. */
  private async run(group: readonly Waiting[]): Promise<void> {
    if (group.length === 1) return this.alone(group[0]);
    let rows: AppendRow[];
    try {
      ({ rows } = await this.context.query<AppendRow>({ ...GROUP_STATEMENT, values: groupValues(group) }));
    } catch (error) {
      if (!isUniqueViolation(error)) for (const waiting of group) waiting.reject(error);
      // One by one, in order of arrival: each gets the answer the one-by-one path gives.
      else for (const waiting of group) await this.alone(waiting);
      return;
    }
    await Promise.all(
      group.map((waiting, index) =>
        outcomeOf(this.context, waiting.append, rows[index]).then(waiting.resolve, waiting.reject),
      ),
    );
  }

  private alone(waiting: Waiting): Promise<void> {
    return executeAppend(this.context, waiting.append).then(waiting.resolve, waiting.reject);
  }
}

/** The single-event statement's first nine parameters, one array per parameter across the group. */
function groupValues(group: readonly Waiting[]): unknown[][] {
  const columns: unknown[][] = Array.from({ length: 9 }, () => new Array<unknown>(group.length));
  for (let row = 0; row < group.length; row++) {
    const values = group[row].append.values;
    for (let column = 0; column < 9; column++) columns[column][row] = values[column];
  }
  return columns;
}

/** Appends the group path takes: one event without a key of its own, and no inline projection rows. */
export function groupable(append: PreparedAppend): boolean {
  return append.single && append.projectionNames.length === 0;
}
