import fs from 'node:fs';
import path from 'node:path';

/**
 * Which tier each test file belongs to, for jest.config.js (one Jest project per tier) and for the test
 * that proves the tiers partition the suite. Plain JavaScript: Jest loads its configuration without ts-jest.
 *
 * - unit: pure code; no database, no build, no app (`npm run test:unit` runs on a fresh clone).
 * - int:  the store, the projectors and the database plumbing on a database, without the HTTP app.
 * - e2e:  a real app instance (supertest) or the built server as a process.
 * - slow: files that run much longer than the rest, listed by name.
 */
export const TIERS = /** @type {const} */ (['unit', 'int', 'e2e', 'slow']);

/** Test files that start a database, an app or the built server, or run long. */
export const TEST_FILE = /\.(spec|e2e-spec)\.ts$/;

/** Slow by design (a transaction burn, cut connections, a browser, racing imports) or measured slow. */
export const SLOW_FILES = [
  'test/projections/log-order.e2e-spec.ts',
  'test/faults/database-faults.e2e-spec.ts',
  'test/web/web-app.e2e-spec.ts',
  'test/imports/import-races.e2e-spec.ts',
  'test/projections/projector.spec.ts',
  'test/imports/imports.e2e-spec.ts',
  'test/projections/verify.e2e-spec.ts',
];

/** Folders whose `.spec.ts` files run on a database without the app. */
const INT_FOLDERS = ['test/event-store/', 'test/projections/'];

/** The tier of a test file, given its path relative to the project root (forward slashes). */
export function tierOf(file) {
  if (SLOW_FILES.includes(file)) return 'slow';
  if (file.endsWith('.e2e-spec.ts')) return 'e2e';
  if (INT_FOLDERS.some((folder) => file.startsWith(folder))) return 'int';
  return 'unit';
}

/** Every test file under src/ and test/, relative to `root`, sorted. */
export function testFiles(root) {
  const walk = (dir) =>
    fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
      const file = `${dir}/${entry.name}`;
      if (entry.isDirectory()) return walk(file);
      return TEST_FILE.test(entry.name) ? [file] : [];
    });
  return ['src', 'test'].flatMap(walk).sort();
}

/** The files of one tier, as Jest `testMatch` entries. */
export function testMatchOf(root, tier) {
  return testFiles(root)
    .filter((file) => tierOf(file) === tier)
    .map((file) => `<rootDir>/${file}`);
}
