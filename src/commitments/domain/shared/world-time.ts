import type { IsoDate, IsoInstant } from './vocabulary.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const HAS_ZONE = /(?:Z|[+-]\d{2}:?\d{2})$/i;
const DAY_MS = 86_400_000;

/** Milliseconds since the epoch; a bare date is 00:00 UTC that day, a date-time without zone is UTC. */
export function instantMs(value: string): number {
  return memoized(instants, value, () =>
    DATE_ONLY.test(value)
      ? Date.parse(`${value}T00:00:00Z`)
      : Date.parse(HAS_ZONE.test(value) ? value : `${value}Z`),
  );
}

/** A date or date-time as a canonical ISO UTC instant (`…T…Z`); a bare date becomes 00:00 UTC. */
export function toIsoInstant(value: string): IsoInstant {
  return new Date(instantMs(value)).toISOString();
}

/** The UTC calendar date of an instant (a bare date is returned as is). */
export function utcDateOf(value: string): IsoDate {
  if (DATE_ONLY.test(value)) return value;
  return memoized(utcDates, value, () => new Date(instantMs(value)).toISOString().slice(0, 10));
}

/** The calendar date `days` after `date` (UTC). */
export function addDays(date: IsoDate, days: number): IsoDate {
  return new Date(instantMs(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The calendar date `months` calendar months after `date` (UTC), clamped to the end of a shorter month:
 * 31 January + 1 month is the last day of February, 29 February 2024 + 12 months is 28 February 2025.
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const [year, month, day] = date.split('-').map(Number);
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}

/**
 * The last millisecond a time-travel bound includes: a bare date means the end of that UTC day
 * (`asOf=2025-10-26` includes everything that happened on the 26th), a date-time means itself.
 */
export function inclusiveUpperBoundMs(bound: string): number {
  if (DATE_ONLY.test(bound)) return instantMs(bound) + DAY_MS - 1;
  return instantMs(bound);
}

/** The date participation and `overdue` are evaluated on: the `asOf` date if given, otherwise today (UTC). */
export function referenceDateFor(asOf: string | undefined, now: Date): IsoDate {
  return asOf === undefined ? now.toISOString().slice(0, 10) : utcDateOf(asOf);
}

/**
 * Folds parse the same few timestamps again and again, so the two pure parsers remember their
 * answers; the memory is bounded and starts over when full.
 */
const MEMO_LIMIT = 50_000;
const instants = new Map<string, number>();
const utcDates = new Map<string, IsoDate>();

function memoized<T>(memo: Map<string, T>, key: string, compute: () => T): T {
  const known = memo.get(key);
  if (known !== undefined) return known;
  const value = compute();
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, value);
  return value;
}
