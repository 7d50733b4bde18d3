import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { type FieldError, ProblemError } from './problem-details.js';

/** Every failed constraint with the path of its field, nested objects and array items included. */
export function fieldErrors(errors: readonly ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent
        ? `${parent}.${error.property}`
        : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: withoutPath(message),
    }));
    return [...own, ...fieldErrors(error.children ?? [], field)];
  });
}

/** class-validator prefixes nested messages with the parent path; the `field` already says it. */
function withoutPath(message: string): string {
  return message.replace(/^[\w.[\]]+\.(\w+ )/, '$1');
}

export function validationProblem(
  errors: readonly FieldError[],
  detail = 'The request is not valid.',
): ProblemError {
  return new ProblemError(400, 'validation', 'Validation failed', detail, errors);
}

/** Deeper than any document of this API; deeper input would only exhaust the validators' recursion. */
export const MAX_JSON_DEPTH = 32;

/**
 * Refuses, before class-validator and class-transformer walk the input: a body that is not a JSON object
 * (array indexes would read as fields), nesting deeper than {@link MAX_JSON_DEPTH}, and NUL characters,
 * which PostgreSQL text cannot hold.
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw validationProblem([], 'The body must be a JSON object.');
    }
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      const flaw = findStructuralFlaw(value);
      if (flaw) throw validationProblem([{ field: flaw.field || metadata.type, message: flaw.message }]);
    }
    return super.transform(value, metadata);
  }
}

/** An iterative walk, so that hostile nesting cannot overflow the stack here either. */
function findStructuralFlaw(root: unknown): FieldError | null {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: root, path: '', depth: 0 }];
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000'))
        return { field: path, message: 'text must not contain NUL (\\u0000) characters' };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH)
      return { field: path, message: `nesting deeper than ${MAX_JSON_DEPTH} levels` };
    for (const [key, child] of Object.entries(value)) {
      const childPath = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (key.includes('\u0000'))
        return { field: childPath, message: 'names must not contain NUL characters' };
      pending.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return null;
}

export function createValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fields = fieldErrors(errors);
      return validationProblem(
        fields,
        `${fields.length} field(s) failed validation: ${fields.map((f) => f.field).join(', ')}.`,
      );
    },
  });
}
