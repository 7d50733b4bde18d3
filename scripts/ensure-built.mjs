// Builds only when dist/ is not the build of the sources as they are now: `npm start`, the CLIs and the
// tests that run the compiled server call this instead of `npm run build`.
//   node scripts/ensure-built.mjs           build if a build input changed since the last build
//   node scripts/ensure-built.mjs --record  called by `npm run build` once it has built
// Everything it prints goes to stderr: `npm run export` writes the log to stdout.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const STAMP = path.join(ROOT, 'dist', '.build-inputs');
/** What `npm run build` reads: the sources, the web app, the benchmarks, the locked dependencies. */
const INPUTS = [
  'src',
  'migrations',
  'bench',
  'scripts',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'nest-cli.json',
];

function files(entry) {
  const full = path.join(ROOT, entry);
  if (!fs.existsSync(full)) return [];
  if (!fs.statSync(full).isDirectory()) return [entry];
  return fs
    .readdirSync(full)
    .sort()
    .flatMap((name) => (name === 'results' ? [] : files(path.join(entry, name))));
}

/** A digest of every input's path and content: a checkout that only touches mtimes builds nothing. */
function digest() {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap(files)) {
    hash.update(`${file}\0`);
    hash.update(fs.readFileSync(path.join(ROOT, file)));
  }
  return hash.digest('hex');
}

if (process.argv.includes('--record')) {
  fs.writeFileSync(STAMP, `${digest()}\n`);
} else {
  const built = fs.existsSync(STAMP) ? fs.readFileSync(STAMP, 'utf8').trim() : '';
  if (built !== digest()) {
    process.stderr.write('dist/ is out of date: npm run build\n');
    const npm = process.env.npm_execpath;
    const build = npm
      ? spawnSync(process.execPath, [npm, 'run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 2, 2] })
      : spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 2, 2], shell: true });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
}
