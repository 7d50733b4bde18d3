import { validationProblem } from './validation.js';

/** An opaque page cursor: the key of the last item of the page, which the next page starts after. */
export function encodeCursor(after: string): string {
  return Buffer.from(JSON.stringify({ after })).toString('base64url');
}

/** The key a cursor names; a 400 on `field` when it is not one this API gave out (`isKey` says which are). */
export function decodeCursor(cursor: string, isKey: (key: string) => boolean, field = 'cursor'): string {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const after = (decoded as { after?: unknown } | null)?.after;
    if (typeof after === 'string' && isKey(after)) return after;
  } catch {
    // falls through to the validation problem
  }
  throw validationProblem([{ field, message: `${field} must be the nextCursor of a previous page` }]);
}
