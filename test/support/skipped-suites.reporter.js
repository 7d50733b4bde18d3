import fs from 'node:fs';
import path from 'node:path';

/**
 * Ends a run with what it did not test and why, so that a green local run is not mistaken for a full one
 * (CI has every prerequisite: .ci/run). Each reason names the files its skipped tests are in.
 */
const REASONS = [
  {
    applies: (file) => file.startsWith('test/web/'),
    missing: () => !fs.existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'),
    why: 'no Chromium (apt-get install -y chromium, or set CHROMIUM_PATH)',
  },
  {
    applies: (file) => file === 'src/seed/seed-corpus.spec.ts',
    missing: (root) => !fs.existsSync(path.resolve(root, '../shared/seeds')),
    why: 'no ../shared/seeds: the seed corpus provenance checks',
  },
  {
    applies: () => true,
    missing: () => !process.env.TEST_DATABASE_URL,
    why: 'no TEST_DATABASE_URL: the PostgreSQL halves',
  },
];

export default class SkippedSuitesReporter {
  constructor(globalConfig) {
    this.root = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const skipped = new Map();
    let embeddedOnly = 0;
    for (const suite of results.testResults) {
      const file = path.relative(this.root, suite.testFilePath).split(path.sep).join('/');
      if (suite.testResults.some((test) => / on embedded\b/.test(test.fullName))) embeddedOnly += 1;
      const pending = suite.testResults.filter((test) => test.status === 'pending').length;
      if (pending === 0) continue;
      const reason =
        REASONS.find((r) => r.applies(file) && r.missing(this.root))?.why ?? 'skipped in the file';
      const entry = skipped.get(reason) ?? { tests: 0, files: [] };
      entry.tests += pending;
      entry.files.push(file);
      skipped.set(reason, entry);
    }
    const lines = [...skipped].map(
      ([why, { tests, files }]) => `  ${why}: ${tests} test(s) in ${files.join(', ')}`,
    );
    if (!process.env.TEST_DATABASE_URL && embeddedOnly > 0) {
      lines.push(`  no TEST_DATABASE_URL: ${embeddedOnly} database suite(s) ran on embedded PGlite only`);
    }
    if (lines.length > 0) process.stderr.write(`\nNot tested in this run:\n${lines.join('\n')}\n`);
  }
}
