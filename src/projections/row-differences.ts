/** One value of a row that differs: its path in the row ("statuses", "snapshot.parties[1].party"). */
export interface FieldDifference {
  readonly field: string;
  readonly stored: unknown;
  readonly expected: unknown;
}

export type RowDifferenceKind = 'missing_row' | 'unexpected_row' | 'different_values';

/** How one row of a stream differs from what its events give. */
export interface RowDifference {
  readonly kind: RowDifferenceKind;
  /** The row's key columns as `column=value`, comma-separated; empty when the model names none. */
  readonly row: string;
  /** For `different_values`: the values that differ, at most {@link MAX_FIELDS_PER_ROW}. */
  readonly fields: readonly FieldDifference[];
}

export const MAX_FIELDS_PER_ROW = 20;
const MAX_VALUE_TEXT = 120;

/**
 * The form rows are compared in: dates as ISO text, objects with their keys sorted and without
 * undefined members (as JSON and jsonb store them), arrays in their order, bigints as decimal text.
 */
export function canonical(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : canonical(item)));
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) sorted[key] = canonical(member);
    }
    return sorted;
  }
  return value === undefined ? null : value;
}

export function canonicalText(value: unknown): string {
  return JSON.stringify(canonical(value));
}

/**
 * How a stream's stored rows differ from the rows its events give; empty when they are equal as
 * multisets. Rows equal in every value match first; the rest are paired on `key` (in their order when
 * several share a key) and compared value by value; what is left is missing or unexpected.
 */
export function streamRowDifferences(
  stored: readonly unknown[],
  expected: readonly unknown[],
  key: readonly string[],
): RowDifference[] {
  const unmatchedExpected = new Map<string, unknown[]>();
  for (const row of expected) {
    const text = canonicalText(row);
    unmatchedExpected.set(text, [...(unmatchedExpected.get(text) ?? []), row]);
  }
  const unmatchedStored: unknown[] = [];
  for (const row of stored) {
    const same = unmatchedExpected.get(canonicalText(row));
    if (same && same.length > 0) same.pop();
    else unmatchedStored.push(row);
  }
  const expectedByKey = new Map<string, unknown[]>();
  for (const row of [...unmatchedExpected.values()].flat()) {
    const label = rowLabel(row, key);
    expectedByKey.set(label, [...(expectedByKey.get(label) ?? []), row]);
  }

  const differences: RowDifference[] = [];
  for (const row of unmatchedStored) {
    const label = rowLabel(row, key);
    const counterpart = expectedByKey.get(label)?.shift();
    if (counterpart === undefined) differences.push({ kind: 'unexpected_row', row: label, fields: [] });
    else
      differences.push({ kind: 'different_values', row: label, fields: fieldDifferences(row, counterpart) });
  }
  for (const [label, rows] of expectedByKey) {
    for (let n = 0; n < rows.length; n++) differences.push({ kind: 'missing_row', row: label, fields: [] });
  }
  return differences;
}

/** The values that differ between two rows, down to the members of objects and of arrays of objects. */
export function fieldDifferences(stored: unknown, expected: unknown): FieldDifference[] {
  const differences: FieldDifference[] = [];
  collect(canonical(stored), canonical(expected), '', differences);
  return differences;
}

function collect(stored: unknown, expected: unknown, path: string, out: FieldDifference[]): void {
  if (out.length >= MAX_FIELDS_PER_ROW || JSON.stringify(stored) === JSON.stringify(expected)) return;
  if (isPlainObject(stored) && isPlainObject(expected)) {
    for (const key of [...new Set([...Object.keys(stored), ...Object.keys(expected)])].sort()) {
      collect(stored[key] ?? null, expected[key] ?? null, path ? `${path}.${key}` : key, out);
    }
    return;
  }
  // Arrays of objects (a snapshot's parties) are followed item by item; arrays of plain values (a
  // timeline) are shown whole, which reads better than one index at a time.
  if (
    Array.isArray(stored) &&
    Array.isArray(expected) &&
    stored.length === expected.length &&
    stored.some(isPlainObject)
  ) {
    stored.forEach((item, index) => collect(item, expected[index], `${path}[${index}]`, out));
    return;
  }
  out.push({ field: path || '(row)', stored, expected });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `column=value` for each key column: strings as they are, anything else as JSON. */
export function rowLabel(row: unknown, key: readonly string[]): string {
  const record = (row ?? {}) as Record<string, unknown>;
  return key
    .map((column) => {
      const value = canonical(record[column]);
      return `${column}=${typeof value === 'string' ? value : JSON.stringify(value)}`;
    })
    .join(', ');
}

/** One line saying what differs, for a person: values are cut short past {@link MAX_VALUE_TEXT} characters. */
export function describeRowDifference(table: string, difference: RowDifference): string {
  const row = difference.row ? `row ${difference.row}` : 'row';
  switch (difference.kind) {
    case 'missing_row':
      return `${table} lacks the ${row} that the events give`;
    case 'unexpected_row':
      return `${table} has a ${row} that the events do not give`;
    case 'different_values':
      return `${table} ${row}: ${difference.fields
        .map((f) => `${f.field} is ${shortText(f.stored)}, the events give ${shortText(f.expected)}`)
        .join('; ')}`;
    default: {
      const unreachable: never = difference.kind;
      throw new Error(`unknown difference ${String(unreachable)}`);
    }
  }
}

function shortText(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length <= MAX_VALUE_TEXT ? text : `${text.slice(0, MAX_VALUE_TEXT - 1)}…`;
}
