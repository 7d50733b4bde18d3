import { validationProblem } from './validation.js';

/** The ETag of a resource at `version`: its version in quotes. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/** Stream versions are a PostgreSQL `integer`: no stream can reach a larger one. */
const MAX_STREAM_VERSION = 2_147_483_647;

/**
 * A version as the ETag of this API writes it: decimal digits without a leading zero, in quotes. A weak
 * `W/` prefix is read too, since a proxy that compresses an answer may weaken the ETag it passes on.
 */
const IF_MATCH = /^(?:W\/)?"(0|[1-9]\d*)"$/;

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
  const digits = match[1];
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
