import { type CommitmentSnapshot, type CommitmentStatus, statusOn } from '../commitment.decider.js';
import type { IsoDate } from '../commitment.events.js';

/** Sorts before every `YYYY-MM-DD`: the state before any dated membership change takes effect. */
const BEFORE_EVERY_DATE = '0000-01-01';

/** How a read model stores the first day of the first span: PostgreSQL's `-infinity` date. */
export const SINCE_THE_START = '-infinity';

/**
 * A value that changes on known dates: `values[i]` holds from `since[i]` until the next entry. Stored
 * as two arrays so a query can pick the value for the day it runs on, rather than the day it was written.
 */
export interface Timeline<Value> {
  readonly since: readonly string[];
  readonly values: readonly Value[];
}

/**
 * The value of `valueOn` on every day, given that it can only change on `turningPoints`. Consecutive
 * equal values are merged.
 */
export function timelineOf<Value>(
  turningPoints: Iterable<IsoDate>,
  valueOn: (date: IsoDate) => Value,
): Timeline<Value> {
  const since = [SINCE_THE_START];
  const values = [valueOn(BEFORE_EVERY_DATE)];
  for (const date of [...new Set(turningPoints)].sort()) {
    const value = valueOn(date);
    if (value === values[values.length - 1]) continue;
    since.push(date);
    values.push(value);
  }
  return { since, values };
}

/**
 * The commitment's status on every day. It depends on the date only through the parties' membership
 * changes (all parties withdrawn → `withdrawn`), so it can only change on their effective dates.
 */
export function statusTimeline(snapshot: CommitmentSnapshot): Timeline<CommitmentStatus> {
  const effectiveDates = snapshot.parties.flatMap((record) =>
    record.changes.flatMap((change) => (change.effectiveOn === null ? [] : [change.effectiveOn])),
  );
  return timelineOf(effectiveDates, (date) => statusOn(snapshot, date));
}
