import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** `npm run bench`: every `bench:*` script in package.json, in the order listed; one failure does not stop the rest. */
function main(): void {
  const root = path.resolve(import.meta.dirname, '..', '..');
  const { scripts } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const benches = Object.keys(scripts).filter((name) => name.startsWith('bench:'));
  const failed: string[] = [];
  for (const name of benches) {
    console.log(`\n=== npm run ${name}`);
    const run = spawnSync('npm', ['run', '--silent', name], { cwd: root, stdio: 'inherit' });
    if (run.status !== 0) failed.push(name);
  }
  if (failed.length > 0) {
    console.error(`\nfailed: ${failed.join(', ')}`);
    process.exit(1);
  }
}

main();
