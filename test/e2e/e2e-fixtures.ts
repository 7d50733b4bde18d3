import { randomBytes } from 'node:crypto';
import type { Response } from 'supertest';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Lower-case, kebab-safe and unique within the run: ids, topics and party codes that no other test shares. */
export function unique(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** A party code (`^[A-Z][A-Z0-9-]{1,15}$`) that no other test uses. */
export function uniqueParty(): string {
  return `P-${randomBytes(3).toString('hex').toUpperCase()}`;
}

export function source(title = 'Joint communiqué of the Northern Rivers Commission'): Record<string, string> {
  return {
    title,
    publisher: 'Northern Rivers Commission Secretariat',
    url: 'https://example.org/northern-rivers/communique',
    publishedAt: '2024-03-02',
  };
}

/** A valid `POST /commitments` body; override any field. */
export function proposal(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: unique('c'),
    title: 'Upper Basin Sediment Monitoring Pledge',
    kind: 'pledge',
    parties: ['NP', 'BT'],
    proposedBy: 'NP',
    topics: ['water'],
    occurredAt: '2024-03-01',
    source: source(),
    ...overrides,
  };
}

/** The calendar date `days` from today (UTC), `YYYY-MM-DD`. */
export function daysFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

const STACK_TRACE = /\n\s+at .+:\d+:\d+|\bat (?:async )?[\w.<>]+ \(.+:\d+:\d+\)/;
const SQL_TEXT =
  /\b(?:SELECT|INSERT INTO|UPDATE|DELETE FROM)\b[\s\S]*\b(?:FROM|VALUES|SET|WHERE)\b|\bpg_\w+\(|relation "/;

/** An RFC 9457 problem document with `status`, as API.md "Errors" describes, without internals. */
export function expectProblem(res: Response, status: number): Record<string, unknown> {
  if (res.status !== status) {
    throw new Error(`expected ${status}, got ${res.status}: ${res.text.slice(0, 600)}`);
  }
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json\b/);
  const body = JSON.parse(res.text) as Record<string, unknown>;
  expect(body).toEqual(
    expect.objectContaining({
      type: expect.any(String),
      title: expect.any(String),
      status,
      detail: expect.any(String),
    }),
  );
  expect(body).not.toHaveProperty('stack');
  expect(res.text).not.toMatch(STACK_TRACE);
  expect(res.text).not.toMatch(SQL_TEXT);
  return body;
}

/** A 400 whose `errors` name `field` (exactly, or a field path starting with it when `prefix` is set). */
export function expectFieldError(res: Response, field: string, prefix = false): void {
  const body = expectProblem(res, 400);
  const errors = body.errors as { field: string; message: string }[] | undefined;
  expect(Array.isArray(errors)).toBe(true);
  for (const error of errors ?? []) {
    expect(error).toEqual({ field: expect.any(String), message: expect.any(String) });
  }
  const fields = (errors ?? []).map((e) => e.field);
  if (prefix) expect(fields.some((f) => f === field || f.startsWith(field))).toBe(true);
  else expect(fields).toContain(field);
}

/** RFC 4180: quoted fields with doubled quotes, commas and line breaks inside quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      // CRLF ends the row on the next character.
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
