import type { FieldError } from '../lib/api.js';
import { type FieldSpec, METRIC_PARTS } from '../../commitments/write/development-description.js';

export type FormValues = Readonly<Record<string, string>>;

/**
 * The request body a form's values make: empty fields left out (so the server's defaults and its
 * "required" messages apply), lists split on commas and spaces, nested paths (`source.title`) as objects.
 */
export function bodyOf(
  fields: readonly FieldSpec[],
  values: FormValues,
  metricRows: number,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    const raw = (values[field.name] ?? '').trim();
    if (raw === '') continue;
    const value =
      field.kind === 'list' ? raw.split(/[\s,]+/).filter(Boolean) : field.numeric ? Number(raw) : raw;
    setPath(body, field.name, value);
  }
  const metrics = [];
  for (let row = 0; row < metricRows; row++) {
    const parts = METRIC_PARTS.map((part) => (values[`metrics[${row}].${part}`] ?? '').trim());
    if (parts.every((part) => part === '')) continue;
    const [name, value, unit, period] = parts;
    metrics.push({
      ...(name ? { name } : {}),
      // A value that is not a number goes as typed: the server says what is wrong with it, beside it.
      ...(value ? { value: Number.isFinite(Number(value)) ? Number(value) : value } : {}),
      ...(unit ? { unit } : {}),
      ...(period ? { period } : {}),
    });
  }
  if (metrics.length > 0) body.metrics = metrics;
  return body;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const [head, ...rest] = path.split('.');
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  const child = (target[head] ??= {}) as Record<string, unknown>;
  setPath(child, rest.join('.'), value);
}

export interface PlacedErrors {
  /** Messages by the name of the field they are shown beside. */
  readonly byField: ReadonlyMap<string, readonly string[]>;
  /** Errors no field of the form stands for (a header, say): shown above the form. */
  readonly unplaced: readonly FieldError[];
}

/**
 * Puts each of the server's field errors beside the field its path names: the field itself, else the
 * first field inside it (`source` → `source.title`), else the field it is part of (`parties[1]` → `parties`).
 */
export function placeErrors(errors: readonly FieldError[], fieldNames: readonly string[]): PlacedErrors {
  const byField = new Map<string, string[]>();
  const unplaced: FieldError[] = [];
  for (const error of errors) {
    const path = error.field;
    const target =
      fieldNames.find((name) => name === path) ??
      fieldNames.find((name) => name.startsWith(`${path}.`) || name.startsWith(`${path}[`)) ??
      fieldNames
        .filter((name) => path.startsWith(`${name}.`) || path.startsWith(`${name}[`))
        .sort((a, b) => b.length - a.length)[0];
    if (target === undefined) unplaced.push(error);
    else byField.set(target, [...(byField.get(target) ?? []), error.message]);
  }
  return { byField, unplaced };
}

/** A fresh Idempotency-Key; random UUIDs need a secure context, random bytes do not. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
