import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DEVELOPMENTS } from '../../src/commitments/write/developments.js';
import type { Role } from '../../src/config/app-config.js';
import { openApiDocumentOf } from '../../src/openapi-document.js';
import { bearer, createTestApp, type TestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-database.js';

interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly required?: boolean;
}

interface Operation {
  readonly operationId?: string;
  readonly parameters?: Parameter[];
  readonly security?: Record<string, string[]>[];
  readonly requestBody?: { content: Record<string, { schema?: unknown }> };
  readonly responses: Record<string, { description: string; content?: Record<string, { schema?: unknown }> }>;
  readonly 'x-required-role'?: string;
}

interface OpenApiDocument {
  readonly security?: unknown;
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components: { securitySchemes: Record<string, Record<string, string>> };
}

const PUBLIC_OPERATIONS = ['get /health', 'get /docs', 'get /docs-json'];
const LOWER_ROLE: Record<Role, Role | null> = { reader: null, analyst: 'reader', admin: 'analyst' };
const PROBLEM_SCHEMA = { $ref: '#/components/schemas/ProblemDetailsDto' };

/** The document describes the access rules, and the guard enforces what it describes (embedded engine only). */
describe('the OpenAPI document (/docs-json)', () => {
  let t: TestApp;
  let document: OpenApiDocument;
  let operations: [string, Operation][];

  beforeAll(async () => {
    t = await createTestApp('embedded');
    const res = await t.http.get('/docs-json');
    expect(res.status).toBe(200);
    document = JSON.parse(res.text) as OpenApiDocument;
    operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]): [string, Operation] => [
        `${method} ${path}`,
        operation,
      ]),
    );
  });
  afterAll(() => t?.close());

  it('describes the keys as an opaque bearer API key, required by no document-wide rule', () => {
    const schemes = Object.values(document.components.securitySchemes);
    expect(schemes).toHaveLength(1);
    expect(schemes[0]).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    expect(schemes[0].bearerFormat ?? '').not.toMatch(/jwt/i);
    expect(document.security ?? []).toEqual([]);
  });

  it('marks exactly /health, /docs and /docs-json as public, with an empty security requirement', () => {
    const publicOnes = operations
      .filter(([, op]) => op['x-required-role'] === 'public')
      .map(([name]) => name);
    expect(publicOnes.sort()).toEqual([...PUBLIC_OPERATIONS].sort());
    for (const [, operation] of operations.filter(([name]) => PUBLIC_OPERATIONS.includes(name))) {
      expect(operation.security).toEqual([]);
    }
  });

  it('gives every other operation a role, the bearer requirement, and its 400/401/403/503 problems', () => {
    const checked = operations.filter(([name]) => !PUBLIC_OPERATIONS.includes(name));
    expect(checked.length).toBeGreaterThan(20);
    for (const [name, operation] of checked) {
      const role = operation['x-required-role'];
      expect({ name, role }).toEqual({ name, role: expect.stringMatching(/^(reader|analyst|admin)$/) });
      expect({ name, security: operation.security }).toEqual({ name, security: [{ bearer: [] }] });
      const required = ['400', '401', '403', '503', ...(operation.requestBody ? ['413', '415'] : [])];
      for (const status of required) {
        expect({ name, status, documented: status in operation.responses }).toEqual({
          name,
          status,
          documented: true,
        });
      }
      expect(operation.responses['403'].description).toContain(role);
    }
  });

  it('documents every error answer as application/problem+json', () => {
    for (const [name, operation] of operations) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400) continue;
        expect({ name, status, content: response.content }).toEqual({
          name,
          status,
          content: { 'application/problem+json': { schema: PROBLEM_SCHEMA } },
        });
      }
    }
  });

  it('states the roles the guard enforces: 401 without a key, 403 with the role just below', async () => {
    for (const [name, operation] of operations) {
      const [method, template] = name.split(' ');
      const path = template.replace(/\{[^}]+\}/g, 'probe-value');
      const call = () => (method === 'get' ? t.http.get(path) : t.http[method as 'post' | 'delete'](path));
      const role = operation['x-required-role'] as Role | 'public';
      if (role === 'public') {
        expect({ name, status: (await call()).status }).not.toEqual({ name, status: 401 });
        continue;
      }
      expect({ name, status: (await call()).status }).toEqual({ name, status: 401 });
      const lower = LOWER_ROLE[role];
      if (lower) {
        const res = await call().set('Authorization', bearer(t.keys[lower]));
        expect({ name, status: res.status }).toEqual({ name, status: 403 });
      }
    }
  });

  it('names every operation, each name its own', () => {
    const ids = operations.map(([, operation]) => operation.operationId);
    for (const [name, operation] of operations) {
      expect({ name, id: operation.operationId }).toEqual({
        name,
        id: expect.stringMatching(/^[A-Za-z][\w]*$/),
      });
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('declares every parameter of every path, required, and documents 404 for a commitment or event', () => {
    for (const [name, operation] of operations) {
      const inPath = [...name.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      const declared = (operation.parameters ?? []).filter((parameter) => parameter.in === 'path');
      expect({ name, declared: declared.map((p) => [p.name, p.required]) }).toEqual({
        name,
        declared: inPath.map((parameter) => [parameter, true]),
      });
      if (/\{(id|eventId)\}/.test(name) && name.includes('/commitments/')) {
        expect({ name, documents404: '404' in operation.responses }).toEqual({ name, documents404: true });
      }
    }
  });

  it('has one write operation per described development, with its body schema: the forms of the web app', () => {
    const writes = operations
      .filter(([, op]) => JSON.stringify(op.responses['201'] ?? {}).includes('DevelopmentRecordedDto'))
      .map(([name, op]) => ({
        name,
        operationId: op.operationId,
        body: op.requestBody?.content['application/json'],
      }));
    // The web app offers exactly DEVELOPMENTS: a route without a description, or one the server lacks, fails here.
    expect(writes.map(({ name, operationId }) => ({ name, operationId })).sort(byName)).toEqual(
      DEVELOPMENTS.map(({ path, operationId }) => ({ name: `post ${path}`, operationId })).sort(byName),
    );
    for (const { name, body } of writes) {
      expect({ name, body }).toEqual({ name, body: { schema: { $ref: expect.stringMatching(/Dto$/) } } });
    }
  });

  it('is the document the lint and client tools build without a database', async () => {
    const offline = await openApiDocumentOf(testConfig(t.database));
    expect(JSON.parse(JSON.stringify(offline))).toEqual(document);
  });

  it("passes Redocly's recommended rules with no error", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openapi-lint-'));
    try {
      const file = path.join(dir, 'openapi.json');
      fs.writeFileSync(file, JSON.stringify(document));
      const lint = await promisify(execFile)(
        path.resolve('node_modules/.bin/redocly'),
        ['lint', file, '--config', path.resolve('redocly.yaml'), '--format', 'json'],
        { env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
      ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
      const report = JSON.parse(lint.stdout) as { totals: { errors: number; warnings: number } };
      expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: 0 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
