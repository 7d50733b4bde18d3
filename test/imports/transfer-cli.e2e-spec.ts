import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pause } from '../support/test-app.js';
import { generatedLines, toNdjson } from './import-fixtures.js';

const DIST = path.resolve(import.meta.dirname, '../../dist/src/cli');

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run <script> -- …` as the compiled script, on an embedded database in `dataDir`. */
function cli(script: string, dataDir: string, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(DIST, `${script}.cli.js`), ...args],
      { env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', DATA_DIR: dataDir }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

beforeAll(async () => {
  // `npm test` builds first; a build running at the same moment (nest build empties dist/) is waited for.
  for (let waited = 0; !fs.existsSync(path.join(DIST, 'restore.cli.js')) && waited < 30_000; waited += 500)
    await pause(500);
});

describe('npm run import, export and restore (embedded engine, one process each)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'transfer-cli-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('imports with a report and an exit status, exports, and restores into an empty database only', async () => {
    const good = path.join(dir, 'good.ndjson');
    fs.writeFileSync(good, toNdjson(generatedLines(3, 6, 3)));
    const bad = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(bad, '{"action":"statements","commitmentId":"imp-3-0"}\n');
    const source = path.join(dir, 'source');

    const first = await cli('import', source, good, '--recorded-by', 'desk');
    const summary = /(\d+) lines read, (\d+) appended, 0 already present, (\d+) refused/.exec(first.stderr);
    expect(summary).not.toBeNull();
    expect(first.code).toBe(summary![3] === '0' ? 0 : 1);
    const again = await cli('import', source, good, '--recorded-by', 'desk');
    expect(again.stderr).toMatch(
      new RegExp(`${summary![1]} lines read, 0 appended, ${summary![2]} already present`),
    );
    const refused = await cli('import', source, bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/1 refused/);
    expect(refused.stderr).toMatch(/line 1 \(imp-3-0 · speaker\): 400 5 field\(s\) failed validation/);
    expect(refused.stderr).toMatch(/ {4}summary: summary is required/);
    expect((await cli('import', source, path.join(dir, 'missing.csv'))).code).toBe(2);
    expect((await cli('import', source, path.join(dir, 'good.txt'))).code).toBe(2);

    const file = path.join(dir, 'log.ndjson');
    const exported = await cli('export', source, file);
    expect(exported.code).toBe(0);
    const text = fs.readFileSync(file, 'utf8');
    expect(JSON.parse(text.trimEnd().split('\n').pop()!)).toMatchObject({ events: Number(summary![2]) });

    const target = path.join(dir, 'target');
    const restored = await cli('restore', target, file);
    expect(restored.stdout).toMatch(new RegExp(`restored ${summary![2]} events of 3 streams`));
    expect(restored.code).toBe(0);
    const copy = path.join(dir, 'copy.ndjson');
    expect((await cli('export', target, copy)).code).toBe(0);
    expect(fs.readFileSync(copy, 'utf8')).toBe(text);
    const twice = await cli('restore', target, file);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/restore refused: the database is not empty \(events: \d+ rows/);
    expect((await cli('restore', target)).code).toBe(2);
  }, 240_000);
});
