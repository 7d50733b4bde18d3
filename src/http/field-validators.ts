import { applyDecorators, ParseUUIDPipe } from '@nestjs/common';
import { Transform } from 'class-transformer';
import {
  IsInt,
  IsNotEmpty,
  IsString,
  IsUrl,
  Max,
  Min,
  registerDecorator,
  type ValidationOptions,
} from 'class-validator';
import { characterCount } from './unicode-text.js';
import { validationProblem } from './validation.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const DAY_MS = 86_400_000;

/** A real calendar date (no 2025-02-30), written YYYY-MM-DD. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DATE.exec(value);
  return match !== null && validDate(+match[1], +match[2], +match[3]);
}

/** A date, or a date-time with an explicit offset (`Z`, `+07:00`): a wall-clock time without zone is ambiguous. */
export function isDateOrDateTime(value: unknown): value is string {
  if (isCalendarDate(value)) return true;
  if (typeof value !== 'string') return false;
  const match = DATE_TIME.exec(value);
  return (
    match !== null &&
    validDate(+match[1], +match[2], +match[3]) &&
    +match[4] < 24 &&
    +match[5] < 60 &&
    (match[6] === undefined || +match[6] < 60) &&
    !Number.isNaN(Date.parse(value))
  );
}

function validDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function rule(name: string, validate: (value: unknown) => boolean, message: string) {
  return (options?: ValidationOptions): PropertyDecorator =>
    (target: object, propertyName: string | symbol) =>
      registerDecorator({
        name,
        target: target.constructor,
        propertyName: propertyName as string,
        options: { message, ...options },
        validator: { validate },
      });
}

export const IsCalendarDate = rule(
  'isCalendarDate',
  isCalendarDate,
  '$property must be a date written YYYY-MM-DD',
);

export const IsDateOrDateTime = rule(
  'isDateOrDateTime',
  isDateOrDateTime,
  '$property must be a date (YYYY-MM-DD) or a date-time with an offset (e.g. 2024-10-11T09:00:00+07:00)',
);

/** World facts cannot lie in the future; a day of slack covers time zones ahead of UTC. */
export const IsNotMoreThanADayAhead = rule(
  'isNotMoreThanADayAhead',
  (value) =>
    !isDateOrDateTime(value) ||
    Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value) <= Date.now() + DAY_MS,
  '$property must not be more than 1 day in the future',
);

/**
 * At most `max` characters, counted as Unicode code points: an emoji is one character, as a reader counts
 * it (class-validator's MaxLength counts UTF-16 units, except that it also forgives one variation selector
 * per character, so a limit stated in characters meant neither).
 */
export function MaxChars(max: number, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'maxChars',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [max],
      options: { message: `$property must be at most ${max} characters`, ...options },
      validator: { validate: (value: unknown) => typeof value !== 'string' || characterCount(value) <= max },
    });
}

/** Free text: a non-empty string of at most `max` characters (its Unicode is checked for every field alike). */
export function Text(max: number): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    IsString({ message: '$property must be a string' })(target, propertyName);
    IsNotEmpty({ message: '$property must not be empty' })(target, propertyName);
    MaxChars(max)(target, propertyName);
  };
}

/** An integer as a query string writes it: decimal digits, no sign, no leading zero, no blanks. */
const DECIMAL_INTEGER = /^(?:0|[1-9]\d{0,15})$/;

/**
 * An integer from `min` to `max` in a query string, one message for every way it can be wrong. Only
 * {@link DECIMAL_INTEGER} is read as a number: `Number()` would also take `1e2`, `0x10`, ` 5` and `007`.
 */
export function QueryInteger(
  min: number,
  max: number,
  message = `$property must be an integer from ${min} to ${max}`,
): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && DECIMAL_INTEGER.test(value) ? Number(value) : value,
    ),
    IsInt({ message }),
    Min(min, { message }),
    Max(max, { message }),
  );
}

/** A page size in a query string: an integer from 1 to `max`. */
export function PageLimit(max = 200): PropertyDecorator {
  return QueryInteger(1, max);
}

/** A link to a source: an absolute http(s) URL of at most 2,000 characters. */
export function HttpUrl(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    IsUrl(
      { protocols: ['http', 'https'], require_protocol: true },
      { message: '$property must be an http(s) URL' },
    )(target, propertyName);
    MaxChars(2000)(target, propertyName);
  };
}

/** The property may not be given together with any of `others` (one way of saying a thing at a time). */
export function NotWith(others: readonly string[], message: string): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'notWith',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [others],
      options: { message },
      validator: {
        validate: (value: unknown, args) =>
          value === undefined ||
          others.every((other) => (args?.object as Record<string, unknown>)[other] === undefined),
      },
    });
}

/** The property may be given only when `field` holds one of `values` (a field that belongs to one kind). */
export function OnlyWhen(field: string, values: readonly unknown[], message: string): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'onlyWhen',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [field, values],
      options: { message },
      validator: {
        validate: (value: unknown, args) =>
          value === undefined || values.includes((args?.object as Record<string, unknown>)[field]),
      },
    });
}

/**
 * `@Param(name, UuidParameter(name))`: a path parameter that must be a UUID, refused as any invalid field
 * is (a 400 whose `errors` name it), not in Nest's own words.
 */
export function UuidParameter(name: string): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () =>
      validationProblem([{ field: name, message: `${name} must be a UUID` }], `${name} is not a UUID.`),
  });
}
