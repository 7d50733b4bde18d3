import { validationProblem } from './validation.js';

/** The ETag of a resource at `version`: its version in quotes. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/** Stream versions are a PostgreSQL `integer`: no stream can reach a larger one. */
const MAX_STREAM_VERSION = 2_147_483_647;

/** A version with or without its quotes, as an ETag of this API or a careless client writes it. */
const IF_MATCH = /^\s*(?:W\/)?"?(\d+)"?\s*$/;

/**
 * The expected stream version an `If-Match` header states (`"3"`), `undefined` without the header. A number
 * no version can reach is refused as such rather than as a malformed header, so that a client that
 * overflowed its counter is told what went wrong.
 */
export function parseIfMatch(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = IF_MATCH.exec(value);
  if (!match) {
    throw validationProblem([
      {
        field: 'If-Match',
        message:
          'If-Match must be a version in quotes, as the ETag of GET /commitments/{id} gives it, e.g. "3"',
      },
    ]);
  }
  const digits = match[1].replace(/^0+(?=\d)/, '');
  if (digits.length > String(MAX_STREAM_VERSION).length || Number(digits) > MAX_STREAM_VERSION) {
    const shown = digits.length > 20 ? `${digits.slice(0, 20)}…` : digits;
    throw validationProblem([
      {
        field: 'If-Match',
        message: `If-Match "${shown}" is out of range: a version is a whole number from 0 to ${MAX_STREAM_VERSION}`,
      },
    ]);
  }
  return Number(digits);
}
