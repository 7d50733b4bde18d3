import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, getSchemaPath, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/app-config.js';
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
 * The OpenAPI document of the app's routes. Routes declare their access with `RequireRole` / `Public`,
 * which put the bearer requirement, the `x-required-role` extension and the 401/403 answers on each
 * operation; there is no document-wide requirement, so the public routes (`/health` and the two
 * documentation routes, added here as they are served outside Nest's router) carry none. It needs the
 * app's modules only, not their providers: an app created in preview mode (no database) builds it too.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
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
      .setLicense('MIT', 'https://opensource.org/license/mit')
      // Relative: the document is served by the API it describes, wherever that is.
      .addServer('/', 'The server that serves this document')
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
    get: documentationOperation('swaggerUi', 'Swagger UI: this document, browsable', 'text/html'),
  };
  document.paths['/docs-json'] = {
    get: documentationOperation('openApiDocument', 'This OpenAPI 3 document', 'application/json'),
  };
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as Operation[]) {
      // An explicit empty list: "no key needed", whatever a document-wide requirement may say.
      const isPublic = operation[REQUIRED_ROLE_EXTENSION] === 'public';
      if (isPublic) operation.security = [];
      // A public route touches no database (health documents its own 503); the query string is checked for all.
      completeErrorResponses(operation, isPublic ? { '400': EVERY_ROUTE['400'] } : EVERY_ROUTE);
    }
  }
  return document;
}

/** The document the app would serve, without starting it: its modules in preview mode, no database. */
export async function openApiDocumentOf(config: AppConfig): Promise<OpenAPIObject> {
  const app = await NestFactory.create(AppModule.forRoot(config), new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

/** Serves the OpenAPI document at `/docs-json` and Swagger UI at `/docs`. */
export function serveOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = buildOpenApiDocument(app);
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
function completeErrorResponses(operation: Operation, always: Readonly<Record<string, string>>): void {
  const problem = { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } };
  const generic = { ...always, ...(operation.requestBody ? WITH_A_BODY : {}) };
  for (const [status, description] of Object.entries(generic)) {
    operation.responses[status] ??= { description, content: problem };
  }
  for (const [status, response] of Object.entries(operation.responses)) {
    const documented = response as { content?: unknown };
    if (Number(status) >= 400 && documented.content === undefined) documented.content = problem;
  }
}

function documentationOperation(operationId: string, summary: string, mediaType: string) {
  return {
    operationId,
    tags: ['operations'],
    summary: `${summary} (no key needed)`,
    security: [],
    [REQUIRED_ROLE_EXTENSION]: 'public',
    responses: { '200': { description: summary, content: { [mediaType]: { schema: { type: 'string' } } } } },
  };
}
