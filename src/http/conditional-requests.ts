import { validationProblem } from './validation.js';

const IF_MATCH = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/;

/** The ETag of a resource at `version`: its version in quotes. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/** The version an `If-Match` header names (`"3"`, `3` or `W/"3"`); undefined when absent. */
export function parseIfMatch(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = IF_MATCH.exec(value);
  if (!match)
    throw validationProblem([
      { field: 'If-Match', message: 'If-Match must be a version in quotes, e.g. "3"' },
    ]);
  return Number(match[1]);
}
