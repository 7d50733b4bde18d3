import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { type FieldError, ProblemError } from './problem-details.js';
import { textFlaw } from './unicode-text.js';
import { cacheValidationMetadata } from './validation-metadata-cache.js';

/**
 * One error per failed field, with its path (nested objects and array items included): the most helpful of
 * the field's failed constraints, so a missing `summary` is "summary is required", not also "must be a
 * string", "must not be empty" and "must be at most 5000 characters".
 */
export function fieldErrors(errors: readonly ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const property = shortened(error.property);
    const field = /^\d+$/.test(property)
      ? `${parent}[${property}]`
      : parent
        ? `${parent}.${property}`
        : property;
    const own = error.constraints ? [{ field, message: mostHelpful(error, property) }] : [];
    return [...own, ...fieldErrors(error.children ?? [], field)];
  });
}

/**
 * Which failed constraint explains the problem best: an unknown field first, then the kind of value
 * (object, list, string, number), then emptiness and the list's size; patterns, lengths and custom rules,
 * which only matter once the kind is right, after that.
 */
const CONSTRAINT_PRIORITY = [
  'whitelistValidation',
  'isObject',
  'isArray',
  'isString',
  'isNumber',
  'isInt',
  'isIn',
  'nestedValidation',
  'isNotEmpty',
  'arrayMinSize',
  'arrayMaxSize',
];

function mostHelpful(error: ValidationError, property: string): string {
  const constraints = error.constraints ?? {};
  if ('whitelistValidation' in constraints) return `${property} is not a field this request accepts`;
  const ranked = Object.keys(constraints).sort((a, b) => rank(a) - rank(b));
  const message = withoutPath(constraints[ranked[0]]);
  if (error.value !== undefined && error.value !== null) return message;
  // A value that is absent (or null) failed a constraint, so the field is not optional: say that first.
  if (/\bis required\b/.test(message)) return message;
  return message.startsWith(`${property} `)
    ? `${property} is required; it ${message.slice(property.length + 1)}`
    : `${property} is required`;
}

function rank(constraint: string): number {
  const index = CONSTRAINT_PRIORITY.indexOf(constraint);
  return index === -1 ? CONSTRAINT_PRIORITY.length : index;
}

/** class-validator prefixes nested messages with the parent path; the `field` already says it. */
function withoutPath(message: string): string {
  return message.replace(/^[\w.[\]]+\.(\w+ )/, '$1');
}

/** An unknown field's name is the client's text, possibly 10,000 characters of it: echo only its start. */
function shortened(name: string): string {
  const characters = [...name];
  return characters.length > 100 ? `${characters.slice(0, 100).join('')}…` : name;
}

export function validationProblem(
  errors: readonly FieldError[],
  detail = 'The request is not valid.',
): ProblemError {
  return new ProblemError(400, 'validation', 'Validation failed', detail, errors);
}

/** Deeper than any document of this API; deeper input would only exhaust the validators' recursion. */
export const MAX_JSON_DEPTH = 32;

/** How many text flaws one answer lists: enough to fix a request, bounded whatever the body holds. */
const MAX_REPORTED_FLAWS = 20;

/**
 * Refuses, before class-validator and class-transformer walk the input: a body that is not a JSON object
 * (array indexes would read as fields), nesting deeper than {@link MAX_JSON_DEPTH}, text PostgreSQL cannot
 * store (a lone UTF-16 surrogate, NUL) in any value or name, and a query parameter given more than once.
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw validationProblem([], 'The body must be a JSON object.');
    }
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      const flaws = findStructuralFlaws(value, metadata.data ?? metadata.type);
      if (metadata.type === 'query') flaws.push(...repeatedParameters(value));
      if (flaws.length > 0) {
        throw validationProblem(
          flaws,
          `${flaws.length} field(s) failed validation: ${flaws.map((f) => f.field).join(', ')}.`,
        );
      }
    }
    return super.transform(value, metadata);
  }
}

/** Every query DTO of the API takes single values: `?q=a&q=b` is a mistake, not a list. */
function repeatedParameters(query: unknown): FieldError[] {
  if (query === null || typeof query !== 'object') return [];
  return Object.entries(query)
    .filter(([, value]) => Array.isArray(value))
    .map(([name]) => ({ field: name, message: `${name} must be given once` }));
}

/** An iterative walk, so that hostile nesting cannot overflow the stack here either. */
function findStructuralFlaws(root: unknown, rootName: string): FieldError[] {
  const flaws: FieldError[] = [];
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: root, path: '', depth: 0 }];
  while (pending.length > 0 && flaws.length < MAX_REPORTED_FLAWS) {
    const { value, path, depth } = pending.pop()!;
    if (typeof value === 'string') {
      const flaw = textFlaw(value);
      if (flaw) flaws.push({ field: path || rootName, message: `${subject(path || rootName)} ${flaw}` });
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) {
      return [{ field: path, message: `${subject(path)} is nested deeper than ${MAX_JSON_DEPTH} levels` }];
    }
    for (const [key, child] of Object.entries(value)) {
      const name = shortened(key.toWellFormed());
      const childPath = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${name}` : name;
      const flaw = textFlaw(key);
      if (flaw) flaws.push({ field: childPath, message: `the name of this field ${flaw}` });
      else pending.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return flaws.sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
}

/** What a message about a field calls it: `title` for `source.title`, `parties[2]` for an item. */
function subject(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}

export function createValidationPipe(): ValidationPipe {
  cacheValidationMetadata();
  return new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // Values are needed to tell a missing field from a wrong one; they never reach the answer.
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => {
      const fields = fieldErrors(errors);
      return validationProblem(
        fields,
        `${fields.length} field(s) failed validation: ${fields.map((f) => f.field).join(', ')}.`,
      );
    },
  });
}
