import type { Role } from '../../src/config/app-config.js';
import { bearer, createTestApp, type TestApp } from '../support/test-app.js';

interface Operation {
  readonly security?: Record<string, string[]>[];
  readonly requestBody?: unknown;
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
});
