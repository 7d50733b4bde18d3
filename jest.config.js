import path from 'node:path';
import { TIERS, testMatchOf } from './test/support/test-tiers.js';

/**
 * One Jest project per tier (test/support/test-tiers.js says which file is in which): `npm run test:unit`
 * and its siblings select one with `--selectProjects`, `npm test` runs them all. Every suite picks its
 * engines itself. The project is native ES modules (as NestJS 12 is), so Jest runs in its ESM mode
 * (`--experimental-vm-modules`, see package.json) and ts-jest emits ES modules.
 */
/** ESM-only packages that CommonJS dependencies `require()` (see test/support/require-esm.transform.cjs). */
const REQUIRED_ESM_PACKAGES = ['content-disposition'];
const ROOT = path.dirname(new URL(import.meta.url).pathname);

const project = {
  rootDir: ROOT,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  extensionsToTreatAsEsm: ['.ts'],
  // Sources import each other as `./x.js` (Node's ESM resolution); Jest resolves the `.ts` file.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json', useESM: true }],
    [`/node_modules/(?:${REQUIRED_ESM_PACKAGES.join('|')})/.+\\.js$`]:
      '<rootDir>/test/support/require-esm.transform.cjs',
  },
  transformIgnorePatterns: [`/node_modules/(?!(?:${REQUIRED_ESM_PACKAGES.join('|')})/)`],
};

export default {
  projects: TIERS.map((tier) => ({ ...project, displayName: tier, testMatch: testMatchOf(ROOT, tier) })),
  // Made once per run on first use, dropped at the end: the migrated databases suites start from.
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  reporters: ['default', '<rootDir>/test/support/skipped-suites.reporter.js'],
  collectCoverage: true,
  collectCoverageFrom: ['src/**/*.ts', '!src/**/*.spec.ts', '!src/web/**'],
  coverageProvider: 'v8',
  coverageReporters: ['text-summary', 'lcov'],
  testTimeout: 60000,
  maxWorkers: 2,
  // Each suite file loads the app into fresh ES module records that a worker never frees (Jest's ESM
  // mode): left alone a worker grew past 8 GiB over the suite and was killed for memory when two runs
  // shared this 24 GiB machine. A worker above this once idle is replaced before its next file.
  workerIdleMemoryLimit: '1536MB',
};
