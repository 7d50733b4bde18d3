import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { SLOW_FILES, TIERS, testFiles, testMatchOf, tierOf, type Tier } from '../support/test-tiers.js';

/**
 * The tiers of jest.config.js partition the suite, and each tier keeps its promise: a unit test reaches
 * no database, no app and no build; an integration test no build.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const files = testFiles(ROOT);

/** Modules a tier may not reach, directly or through the files it imports. */
const OFF_LIMITS: Record<Tier, readonly string[]> = {
  unit: [
    'test/support/test-database.ts',
    'test/support/test-app.ts',
    'test/support/server-process.ts',
    'src/database/database-engine.ts',
    'src/app.ts',
  ],
  int: ['test/support/server-process.ts'],
  e2e: [],
  slow: [],
};

/** Every project file `file` imports, transitively (relative specifiers only). */
function reachable(file: string, seen = new Set<string>()): Set<string> {
  const { importedFiles } = ts.preProcessFile(fs.readFileSync(path.join(ROOT, file), 'utf8'), true, true);
  for (const { fileName } of importedFiles) {
    if (!fileName.startsWith('.')) continue;
    const target = path
      .relative(ROOT, path.resolve(path.dirname(path.join(ROOT, file)), fileName.replace(/\.js$/, '.ts')))
      .split(path.sep)
      .join('/');
    if (seen.has(target) || !fs.existsSync(path.join(ROOT, target))) continue;
    seen.add(target);
    reachable(target, seen);
  }
  return seen;
}

describe('test tiers', () => {
  it('put every test file in exactly one tier', () => {
    const matched = TIERS.flatMap((tier) =>
      testMatchOf(ROOT, tier).map((entry) => entry.replace('<rootDir>/', '')),
    );
    expect([...matched].sort()).toEqual(files);
    expect(new Set(matched).size).toBe(matched.length);
  });

  it('name only slow files that exist', () => {
    for (const file of SLOW_FILES) expect(files).toContain(file);
  });

  it.each(files.filter((file) => OFF_LIMITS[tierOf(file)].length > 0))('keep %s within its tier', (file) => {
    const tier = tierOf(file);
    const reached = [...reachable(file)].filter((target) => OFF_LIMITS[tier].includes(target));
    expect({ file, tier, reached }).toEqual({ file, tier, reached: [] });
  });
});
