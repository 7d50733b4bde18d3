import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Role } from '../config/app-config.js';

export class FieldErrorDto {
  @ApiProperty({ example: 'source.title' }) readonly field!: string;
  @ApiProperty() readonly message!: string;
}

export class ProblemDetailsDto {
  @ApiProperty({ example: '/problems/illegal-development' }) readonly type!: string;
  @ApiProperty() readonly title!: string;
  @ApiProperty() readonly status!: number;
  @ApiProperty() readonly detail!: string;
  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'Validation errors only' })
  readonly errors?: FieldErrorDto[];
}

const DESCRIPTIONS: Record<number, string> = {
  400:
    'Malformed JSON or UTF-8, failed validation (see errors[].field), unknown fields, text that is not ' +
    'well-formed Unicode, or bad query parameters',
  401: 'Missing or unknown API key',
  404: 'Unknown commitment or event',
  409: 'The development is illegal in the commitment’s state (detail says why), or the id exists',
  412: 'If-Match is not the current version',
  413: 'Body over 1 MiB (1,048,576 bytes)',
  414: 'A path segment longer than 100 characters',
  415: 'Body is not JSON: send Content-Type: application/json',
  422: 'Idempotency-Key reused with a different body',
  503: 'Database unreachable',
};

/**
 * Documents the problem+json answers of a route (RFC 9457). 401 and 403 are left to `RequireRole`, which
 * documents them with the role the route needs; listing them here too would only repeat it.
 */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses
      .filter((status) => status !== 401 && status !== 403)
      .map((status) => ApiProblem(status, DESCRIPTIONS[status])),
  );
}

const ROLES_FROM: Record<Role, string> = {
  reader: 'reader, analyst or admin',
  analyst: 'analyst or admin',
  admin: 'admin',
};

/** The 401 and 403 of a route that needs `role`, the 403 saying which roles pass. */
export function ApiAccessProblems(role: Role): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiProblem(401, DESCRIPTIONS[401]),
    ApiProblem(403, `The key’s role is too low: this needs ${ROLES_FROM[role]}`),
  );
}

/** One problem+json answer with a description of the route's own. */
export function ApiProblem(status: number, description: string): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsDto),
    ApiResponse({
      status,
      description,
      content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } },
    }),
  );
}
