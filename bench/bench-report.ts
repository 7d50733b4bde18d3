import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Writes a benchmark's figures as JSON to `bench/results/<fileName>` (not committed), with the machine's
 * CPU count, the Node version and the time it finished, and says where.
 */
export function writeBenchReport(fileName: string, report: Record<string, unknown>): void {
  const resultsDir = path.resolve(import.meta.dirname, '..', '..', 'bench', 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, fileName);
  const full = {
    ...report,
    cpus: os.cpus().length,
    node: process.version,
    finishedAt: new Date().toISOString(),
  };
  fs.writeFileSync(file, `${JSON.stringify(full, null, 2)}\n`);
  console.log(`results written to ${path.relative(process.cwd(), file)}`);
}
