import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Names this run's migrated templates (test/support/test-database.ts makes each on first use, so a run
 * that needs no database pays nothing). Workers inherit the environment set here.
 */
export default function globalSetup() {
  process.env.TEST_TEMPLATE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'test-templates-'));
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const base = new URL(url).pathname.slice(1);
    process.env.TEST_TEMPLATE_DATABASE = `${base}_template_${process.pid}_${Date.now().toString(36)}`;
  }
}
