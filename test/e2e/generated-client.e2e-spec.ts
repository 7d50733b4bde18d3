import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import { TEST_ENGINES, type EngineName } from '../support/test-database.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const run = promisify(execFile);
const BIN = path.resolve('node_modules/.bin');

/**
 * A client as a consumer of the API would make it: types generated from the served document with
 * openapi-typescript, a program written against them with openapi-fetch, compiled by tsc in strict mode.
 * A route without its path parameters or request body, or two operations sharing a name, fails the
 * compilation; the compiled program then records developments through the running app.
 */
const CLIENT = `import createClient from 'openapi-fetch';
import type { paths } from './schema.js';

const [baseUrl = '', key = '', id = ''] = process.argv.slice(2);
const client = createClient<paths>({ baseUrl, headers: { Authorization: \`Bearer \${key}\` } });
const source = { title: 'Joint Statement of the 13th ASEAN-US Summit', publisher: 'ASEAN Secretariat' };

const proposed = await client.POST('/commitments', {
  body: {
    id,
    title: 'A commitment recorded by a generated client',
    kind: 'declaration',
    parties: ['ASEAN', 'US'],
    proposedBy: 'US',
    occurredAt: '2025-10-26',
    source,
  },
});
if (proposed.data === undefined) throw new Error(\`propose: \${JSON.stringify(proposed.error)}\`);

const stated = await client.POST('/commitments/{id}/statements', {
  params: { path: { id }, header: { 'If-Match': \`"\${proposed.data.version}"\` } },
  body: {
    speaker: { name: 'A spokesperson', party: 'US' },
    stance: 'supports',
    summary: 'Welcomed the declaration',
    occurredAt: '2025-10-27',
    source,
  },
});
if (stated.data === undefined) throw new Error(\`statement: \${JSON.stringify(stated.error)}\`);

const missing = await client.POST('/commitments/{id}/completions', {
  params: { path: { id: 'no-such-commitment' } },
  body: { occurredAt: '2025-10-28', source },
});
const history = await client.GET('/commitments/{id}/history', { params: { path: { id } } });

console.log(
  JSON.stringify({
    proposed: proposed.data,
    stated: stated.data,
    missing: { status: missing.response.status, problem: missing.error?.status },
    types: history.data?.events.map((event) => event.type),
  }),
);
`;

const TSCONFIG = {
  compilerOptions: {
    strict: true,
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2023', 'DOM'],
    types: ['node'],
    outDir: 'out',
    noUncheckedIndexedAccess: true,
  },
  files: ['schema.ts', 'client.ts'],
};

describe.each(TEST_ENGINES)(
  'a client generated from the OpenAPI document, on %s',
  (engineName: EngineName) => {
    let t: TestApp;
    let dir: string;

    beforeAll(async () => {
      t = await createTestApp(engineName);
      // Inside node_modules, so that the compiled client resolves openapi-fetch as an installed package.
      fs.mkdirSync(path.resolve('node_modules/.cache'), { recursive: true });
      dir = fs.mkdtempSync(path.resolve('node_modules/.cache/generated-client-'));
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    });
    afterAll(async () => {
      await t?.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('compiles, and records developments through the API', async () => {
      const res = await t.http.get('/docs-json');
      expect(res.status).toBe(200);
      fs.writeFileSync(path.join(dir, 'openapi.json'), res.text);
      await run(path.join(BIN, 'openapi-typescript'), ['openapi.json', '-o', 'schema.ts'], { cwd: dir });
      fs.writeFileSync(path.join(dir, 'client.ts'), CLIENT);
      fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG));
      await run(path.join(BIN, 'tsc'), ['-p', 'tsconfig.json'], { cwd: dir }).catch(
        (error: { stdout?: string }) => {
          throw new Error(`the generated client does not compile:\n${error.stdout ?? String(error)}`);
        },
      );

      const { port } = t.app.getHttpServer().address() as AddressInfo;
      const id = `generated-client-${engineName}`;
      const { stdout } = await run(
        process.execPath,
        [path.join(dir, 'out/client.js'), `http://127.0.0.1:${port}`, t.keys.analyst, id],
        { cwd: dir },
      );
      const result = JSON.parse(stdout) as Record<string, unknown>;
      expect(result).toEqual({
        proposed: { commitmentId: id, eventId: expect.any(String), version: 1 },
        stated: { commitmentId: id, eventId: expect.any(String), version: 2 },
        missing: { status: 404, problem: 404 },
        types: ['CommitmentProposed', 'StatementRecorded'],
      });
    });
  },
);
