import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { commitmentStreamId } from '../commitments/stream/commitment.stream.js';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.module.js';
import { prepareLogExport } from '../event-store/log-export.js';
import { runCli } from './cli-context.js';
import { ProgressBar } from './progress-bar.js';

const USAGE =
  'usage: npm run export -- FILE [--commitment ID] [--after EVENT_ID]   (FILE "-": standard output)';

/**
 * `npm run export -- FILE`: writes the log (or one commitment's events, or those after an event) in the
 * export format, as `GET /export` sends it, on the engine the environment names. Exit status 0, 1 on an
 * error, 2 on a usage error.
 */
const options = parseArguments(process.argv.slice(2));

runCli(async (app) => {
  const log = await prepareLogExport(app.get<Pool>(PG_POOL), {
    streamId: options.commitment === undefined ? undefined : commitmentStreamId(options.commitment),
    afterEventId: options.after,
  });
  const total = await log.count();
  const bar = new ProgressBar('export');
  let done = 0;
  const counted = async function* () {
    for await (const chunk of log.chunks()) {
      done += countLines(chunk);
      bar.update(Math.min(done, total), total);
      yield chunk;
    }
  };
  const out = options.file === '-' ? process.stdout : fs.createWriteStream(options.file);
  await pipeline(Readable.from(counted(), { objectMode: false }), out);
  bar.finish(
    `exported ${total.toLocaleString('en-US')} events${options.file === '-' ? '' : ` to ${options.file}`}`,
  );
  return 0;
});

function countLines(chunk: Buffer): number {
  let count = 0;
  for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) count++;
  return count;
}

function parseArguments(args: readonly string[]): { file: string; commitment?: string; after?: string } {
  const rest = [...args];
  const parsed: { file?: string; commitment?: string; after?: string } = {};
  while (rest.length > 0) {
    const arg = rest.shift()!;
    if (arg === '--commitment' && rest.length > 0) parsed.commitment = rest.shift();
    else if (arg === '--after' && rest.length > 0) parsed.after = rest.shift();
    else if (!arg.startsWith('--') && parsed.file === undefined) parsed.file = arg;
    else usage();
  }
  if (parsed.file === undefined) usage();
  return parsed as { file: string; commitment?: string; after?: string };
}

function usage(): never {
  console.error(USAGE);
  process.exit(2);
}
