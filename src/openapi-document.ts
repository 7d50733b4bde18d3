import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, getSchemaPath, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { BEARER_SCHEME, REQUIRED_ROLE_EXTENSION } from './auth/access.decorators.js';
import { ProblemDetailsDto } from './http/api-problems.decorator.js';
import { PROBLEM_CONTENT_TYPE } from './http/problem-details.js';

type Operation = Record<string, unknown> & {
  security?: unknown[];
  requestBody?: unknown;
  responses: Record<string, object>;
};

/**
 * Answers any route can give, whatever it declares: a malformed query string (refused before any route
 * runs) or a failed validation, and an unreachable database. A body adds its size and media type.
 */
const EVERY_ROUTE: Readonly<Record<string, string>> = {
  '400':
    'A malformed query string (percent-encoding that is not UTF-8, a repeated parameter) or failed validation',
  '503': 'Database unreachable',
};
const WITH_A_BODY: Readonly<Record<string, string>> = {
  '413': 'Body over 1 MiB (1,048,576 bytes)',
  '415': 'Body is not JSON: send Content-Type: application/json',
};

/**
 * Serves the OpenAPI document at `/docs-json` and Swagger UI at `/docs`. Routes declare their access with
 * `RequireRole` / `Public`, which put the bearer requirement, the `x-required-role` extension and the 401/403
 * answers on each operation; there is no document-wide requirement, so the public routes (`/health` and
 * the two documentation routes, added here as they are served outside Nest's router) carry none.
 */
export function serveOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Diplomatic commitments tracker')
      .setDescription(
        'An event-sourced tracker of commitments between states and organisations: every development is an ' +
          'immutable event with its source. Errors are application/problem+json (RFC 9457). Every operation ' +
          `names the least role it needs in \`${REQUIRED_ROLE_EXTENSION}\` (reader < analyst < admin, or public).`,
      )
      .setVersion('1')
      .addBearerAuth(
        {
          type: 'http',
          scheme: 'bearer',
          // Opaque random keys, not tokens a client could decode.
          bearerFormat: 'API key',
          description: 'An API key (from API_KEYS, the one printed on first start, or POST /admin/keys)',
        },
        BEARER_SCHEME,
      )
      .build(),
  );
  document.paths['/docs'] = {
    get: documentationOperation('Swagger UI: this document, browsable', 'text/html'),
  };
  document.paths['/docs-json'] = {
    get: documentationOperation('This OpenAPI 3 document', 'application/json'),
  };
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as Operation[]) {
      // An explicit empty list: "no key needed", whatever a document-wide requirement may say.
      if (operation[REQUIRED_ROLE_EXTENSION] === 'public') operation.security = [];
      else completeErrorResponses(operation);
    }
  }
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: 'Commitments API',
    swaggerOptions: { showExtensions: true },
  });
  return document;
}

/**
 * Adds the answers every route can give to an operation that does not document them itself, and gives every
 * error answer its media type: the one exception filter sends each as problem+json, whatever a route's
 * decorator said of it.
 */
function completeErrorResponses(operation: Operation): void {
  const problem = { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } };
  const generic = { ...EVERY_ROUTE, ...(operation.requestBody ? WITH_A_BODY : {}) };
  for (const [status, description] of Object.entries(generic)) {
    operation.responses[status] ??= { description, content: problem };
  }
  for (const [status, response] of Object.entries(operation.responses)) {
    const documented = response as { content?: unknown };
    if (Number(status) >= 400 && documented.content === undefined) documented.content = problem;
  }
}

function documentationOperation(summary: string, mediaType: string) {
  return {
    tags: ['operations'],
    summary: `${summary} (no key needed)`,
    security: [],
    [REQUIRED_ROLE_EXTENSION]: 'public',
    responses: { '200': { description: summary, content: { [mediaType]: { schema: { type: 'string' } } } } },
  };
}
