import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

/** The formats a read route may answer in besides JSON. */
export type ResponseFormat = 'json' | 'csv' | 'atom';

const MEDIA_TYPES: Readonly<Record<ResponseFormat, RegExp>> = {
  json: /\bapplication\/json\b/i,
  csv: /\btext\/csv\b/i,
  atom: /\bapplication\/atom\+xml\b/i,
};

/**
 * The `format` query parameter of a route that answers in several formats: a link a feed reader or a
 * spreadsheet opens cannot set `Accept`.
 */
export function FormatQuery(formats: readonly ResponseFormat[]): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      enum: formats,
      description: 'The answer’s format, instead of Accept (which it overrides)',
    }),
    IsOptional(),
    IsIn(formats, { message: `$property must be one of ${formats.join(', ')}` }),
  );
}

/**
 * The format a request asks for: `?format=` when given (validated against `offered` by its DTO), otherwise
 * the first offered format `Accept` names — unless it also names JSON, which stays the default.
 */
export function responseFormat(
  format: ResponseFormat | undefined,
  accept: string | undefined,
  offered: readonly ResponseFormat[],
): ResponseFormat {
  if (format !== undefined) return format;
  if (accept === undefined || MEDIA_TYPES.json.test(accept)) return 'json';
  return offered.find((candidate) => MEDIA_TYPES[candidate].test(accept)) ?? 'json';
}
