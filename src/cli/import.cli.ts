import fs from 'node:fs';
import { KEY_NAME } from '../config/app-config.js';
import { type ImportFormat, ImportJobs } from '../imports/import-jobs.js';
import { ImportRunner } from '../imports/import-runner.js';
import { runCli } from './cli-context.js';
import { ProgressBar } from './progress-bar.js';

const USAGE =
  'usage: npm run import -- FILE [--format ndjson|csv] [--recorded-by NAME]\n' +
  '  FILE: developments, one per line (.ndjson, .jsonl) or per row (.csv); --format when the extension does not say\n' +
  '  NAME: who the events are recorded by, and whose idempotency keys the file’s keys are (default "import")';

/**
 * `npm run import -- FILE`: imports a file of developments into the database the environment names, as
 * `POST /imports` does (a job any instance can report on), with a progress bar, then prints the report:
 * counts and every refused line. Exit status 0 when every line was appended or already present, 1 when
 * a line was refused or the job did not complete, 2 on a usage error.
 */
const options = parseArguments(process.argv.slice(2));

runCli(async (app) => {
  const runner = app.get(ImportRunner);
  const request = {
    format: options.format,
    recordedBy: options.recordedBy,
    bytes: fs.statSync(options.file).size,
  };
  const jobId = await runner.create(request);
  const bar = new ProgressBar(`import ${jobId.slice(0, 8)}`, 'lines');
  const totalLines = await countLines(options.file);
  const state = await runner.run(jobId, fs.createReadStream(options.file), request, (_counts, position) =>
    bar.update(position.line, totalLines),
  );
  bar.update(totalLines, totalLines);
  const jobs = app.get(ImportJobs);
  let job = await jobs.read(jobId);
  if (!job) throw new Error(`import job ${jobId} disappeared`);
  bar.finish(
    `import ${jobId} ${state}: ${job.linesRead} lines read, ${job.appended} appended, ` +
      `${job.alreadyPresent} already present, ${job.refused} refused`,
  );
  if (job.error) console.error(job.error);
  while (job) {
    for (const refusal of job.refusals) {
      const where = [refusal.commitmentId, refusal.field].filter(Boolean).join(' · ');
      console.error(
        `line ${refusal.line}${where ? ` (${where})` : ''}: ${refusal.problem.status} ${refusal.problem.detail}`,
      );
      for (const error of refusal.problem.errors ?? []) console.error(`    ${error.field}: ${error.message}`);
    }
    job = job.nextRefusalsAfter === null ? null : await jobs.read(jobId, job.nextRefusalsAfter);
  }
  return state === 'completed' && (await jobs.read(jobId))?.refused === 0 ? 0 : 1;
});

/** Physical lines, for the progress bar: a newline count read ahead of the import. */
async function countLines(file: string): Promise<number> {
  let lines = 0;
  for await (const chunk of fs.createReadStream(file) as AsyncIterable<Buffer>) {
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
  }
  return Math.max(lines, 1);
}

function parseArguments(args: readonly string[]): { file: string; format: ImportFormat; recordedBy: string } {
  const rest = [...args];
  let file: string | undefined;
  let format: string | undefined;
  let recordedBy = 'import';
  while (rest.length > 0) {
    const arg = rest.shift()!;
    if (arg === '--format' && rest.length > 0) format = rest.shift();
    else if (arg === '--recorded-by' && rest.length > 0) recordedBy = rest.shift()!;
    else if (!arg.startsWith('--') && file === undefined) file = arg;
    else usage();
  }
  if (file === undefined || !KEY_NAME.test(recordedBy)) usage();
  format ??= /\.csv$/i.test(file) ? 'csv' : /\.(ndjson|jsonl)$/i.test(file) ? 'ndjson' : undefined;
  if (format !== 'csv' && format !== 'ndjson') usage();
  if (!fs.existsSync(file)) {
    console.error(`no file ${file}`);
    process.exit(2);
  }
  return { file, format, recordedBy };
}

function usage(): never {
  console.error(USAGE);
  process.exit(2);
}
