import { SeedLoader } from '../seed/seed-loader.js';
import { runCli } from './cli-context.js';

/** `npm run seed`: loads the corpus into the database the environment names, then reports. */
runCli(async (app) => {
  const report = await app.get(SeedLoader).load();
  console.log(
    `${report.sourcesRegistered} sources registered, ${report.appended} developments appended, ` +
      `${report.alreadyPresent} already present, ${report.failed.length} refused`,
  );
  for (const failure of report.failed)
    console.error(`#${failure.index} ${failure.commitmentId}: ${failure.reason}`);
  return report.failed.length === 0 ? 0 : 1;
});
