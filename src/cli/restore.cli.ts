import { ExportFileError } from '../log-transfer/export-file.js';
import { LogRestorer, type RestorePhase } from '../log-transfer/log-restorer.js';
import { LogNotEmptyError } from '../event-store/event-store.errors.js';
import { runCli } from './cli-context.js';
import { followRebuild } from './follow-rebuild.js';
import { ProgressBar } from './progress-bar.js';

const USAGE = 'usage: npm run restore -- FILE   (an export written by GET /export or npm run export)';
const UNITS: Record<RestorePhase, string> = { checking: 'bytes', writing: 'events', folding: 'streams' };

/**
 * `npm run restore -- FILE` (admin, command line only): loads an export into the EMPTY database the
 * environment names — the way from the embedded engine to PostgreSQL. Exit status 0; 1 when the file or
 * the database is refused (nothing is written then) or the rebuild did not finish; 2 on a usage error.
 */
const args = process.argv.slice(2);
if (args.length !== 1 || args[0].startsWith('--')) {
  console.error(USAGE);
  process.exit(2);
}
const file = args[0];

runCli(async (app) => {
  const bars = new Map<RestorePhase, ProgressBar>();
  const started = Date.now();
  try {
    const outcome = await app.get(LogRestorer).restore(file, ({ phase, done, total }) => {
      let bar = bars.get(phase);
      if (!bar) bars.set(phase, (bar = new ProgressBar(phase, UNITS[phase])));
      bar.update(done, total);
    });
    for (const bar of bars.values()) bar.finish('');
    console.log(
      `restored ${outcome.events.toLocaleString('en-US')} events of ${outcome.streams.toLocaleString('en-US')} ` +
        `streams in ${((Date.now() - started) / 1000).toFixed(1)} s; rebuilding the read models`,
    );
    return (await followRebuild(app, outcome.rebuildJobId)) ? 0 : 1;
  } catch (error) {
    if (!(error instanceof ExportFileError) && !(error instanceof LogNotEmptyError)) throw error;
    console.error(`restore refused: ${error.message}`);
    return 1;
  }
});
