import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { type FieldError, ProblemError } from './problem-details';

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

/** Refuses a body that is not a JSON object before class-validator reads array indexes as fields. */
class ObjectBodyValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw validationProblem([], 'The body must be a JSON object.');
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new ObjectBodyValidationPipe({
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
