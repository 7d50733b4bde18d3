import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';

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
  400: 'Malformed JSON, failed validation (see errors[].field), unknown fields or bad query parameters',
  401: 'Missing or unknown API key',
  403: 'The key’s role is too low',
  404: 'Unknown commitment or event',
  409: 'The development is illegal in the commitment’s state (detail says why), or the id exists',
  412: 'If-Match is not the current version',
  413: 'Body over 1 MiB',
  415: 'Body is not JSON',
  422: 'Idempotency-Key reused with a different body',
  503: 'Database unreachable',
};

/** Documents the problem+json answers of a route (RFC 9457). */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status],
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } },
      }),
    ),
  );
}
