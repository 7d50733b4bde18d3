import type { PipeTransform } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import type { FieldError } from './problem-details.js';
import { validationProblem } from './validation.js';

const FLAWS = Symbol('query string flaws');

/** A parsed query string: names to values (an array when a name repeats), without a prototype. */
export type ParsedQuery = Record<string, string | string[]> & { [FLAWS]?: FieldError[] };

/**
 * Parses a query string like Fastify's default (`+` is a space, a repeated name gives an array, no
 * prototype), except that a value whose percent-encoding is not UTF-8 (`%FF`, an encoded surrogate
 * `%ED%A0%80`, a stray `%`) is recorded as a flaw instead of being kept as its raw text: the default parser
 * would search for the literal "%FF" and answer as if nothing were wrong.
 */
export function parseQueryStrictly(raw: string): ParsedQuery {
  const query = Object.create(null) as ParsedQuery;
  const flaws: FieldError[] = [];
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const rawName = equals === -1 ? pair : pair.slice(0, equals);
    const name = decode(rawName);
    if (name === null) {
      flaws.push({
        field: rawName.slice(0, 100),
        message: 'the name of this query parameter is not percent-encoded UTF-8',
      });
      continue;
    }
    const value = equals === -1 ? '' : decode(pair.slice(equals + 1));
    if (value === null) {
      flaws.push({
        field: name,
        message: `${name} must be percent-encoded UTF-8 (e.g. %C3%A9 for é; a literal % is %25)`,
      });
      continue;
    }
    const earlier = query[name];
    query[name] =
      earlier === undefined ? value : Array.isArray(earlier) ? [...earlier, value] : [earlier, value];
  }
  if (flaws.length > 0) query[FLAWS] = flaws;
  return query;
}

function decode(component: string): string | null {
  const spaced = component.replace(/\+/g, ' ');
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return null;
  }
}

/**
 * Every request's query string is parsed strictly, and one with a flaw is a 400 naming the parameter before
 * any route runs, whether or not the route reads its query.
 */
export function refuseMalformedQueryStrings(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request) => {
    const flaws = (request.query as ParsedQuery | undefined)?.[FLAWS];
    if (flaws) {
      throw validationProblem(
        flaws,
        `The query string is not valid: ${flaws.map((flaw) => flaw.field).join(', ')}.`,
      );
    }
  });
}

/**
 * For `@Query(NoQueryParameters)` on a route that takes no query parameter: any one given is refused as a
 * DTO's whitelist refuses an unknown field, so that such a route is as strict as the others.
 */
export const NoQueryParameters: PipeTransform<unknown, Record<string, never>> = {
  transform(query: unknown) {
    const names = query !== null && typeof query === 'object' ? Object.keys(query) : [];
    if (names.length > 0) {
      throw validationProblem(
        names.map((name) => ({ field: name, message: `${name} is not a field this request accepts` })),
        `${names.length} field(s) failed validation: ${names.join(', ')}.`,
      );
    }
    return {};
  },
};
