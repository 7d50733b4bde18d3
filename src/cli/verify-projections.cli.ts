import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.module.js';
import { compareLogPositions } from '../event-store/log-position.js';
import { commitSafeEndOfLog } from '../event-store/log-snapshot.js';
import { ProjectionSupervisor } from '../projections/projection-supervisor.js';
import { ReadModelVerifier, type VerificationReport } from '../projections/read-model-verifier.js';
import { runCli } from './cli-context.js';
import { ProgressBar } from './progress-bar.js';

const USAGE = 'usage: npm run projections:verify [-- --sample N]   (N: how many streams to check, at random)';
const CATCH_UP_POLL_MS = 100;

/**
 * `npm run projections:verify [-- --sample N]`: refolds every stream (or N picked at random) from its
 * events and reports every read-model row that differs, on the engine the environment names. Exit
 * status 0 when the read models agree with the events, 1 when anything differs, 2 on a usage error.
 * Projections that run in this process (always so on the embedded engine) first catch up with the log.
 */
const sample = parseSample(process.argv.slice(2));

runCli(async (app) => {
  await projectionsHereCaughtUp(app.get(ProjectionSupervisor), app.get<Pool>(PG_POOL));
  const bar = new ProgressBar('verify', 'streams');
  const report = await app.get(ReadModelVerifier).verify({
    sample,
    onProgress: (done, total) => bar.update(done, total),
  });
  bar.finish(`verified in ${(report.durationMs / 1000).toFixed(1)} s`);
  for (const line of describeReport(report)) console.log(line);
  return report.differenceCount === 0 ? 0 : 1;
});

function parseSample(args: readonly string[]): number | undefined {
  if (args.length === 0) return undefined;
  const value = args[0] === '--sample' ? args[1] : args[0]?.startsWith('--sample=') ? args[0].slice(9) : null;
  const expectedLength = args[0] === '--sample' ? 2 : 1;
  if (value && args.length === expectedLength && /^[1-9]\d{0,8}$/.test(value)) return Number(value);
  console.error(USAGE);
  process.exit(2);
}

/** Waits until every projection this process runs has applied the log as it stands now, or is failing. */
async function projectionsHereCaughtUp(supervisor: ProjectionSupervisor, pool: Pool): Promise<void> {
  const end = await commitSafeEndOfLog(pool);
  if (!end) return;
  for (const { name } of supervisor.projections) {
    let announced = false;
    while (supervisor.isRunningHere(name) && supervisor.runner(name).status.lastError === null) {
      const { position } = await supervisor.checkpoints.read(name);
      if (compareLogPositions(position, end.position) >= 0) break;
      if (!announced) console.error(`waiting for projection ${name} to catch up with the log`);
      announced = true;
      await new Promise((resolve) => setTimeout(resolve, CATCH_UP_POLL_MS));
    }
  }
}

function describeReport(report: VerificationReport): string[] {
  const count = (n: number, noun: string) => `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
  const lines = [
    `Read models held against the log up to ${report.upTo ?? 'its start (it is empty)'}: ` +
      `${count(report.streamsChecked, 'stream')} checked` +
      (report.sample === null ? '' : ` (a random sample of ${report.sample})`) +
      (report.streamsChanged > 0
        ? `, ${count(report.streamsChanged, 'stream')} written meanwhile left out`
        : ''),
  ];
  for (const model of report.readModels) {
    lines.push(
      `  ${model.name} (${model.projection === null ? 'written with each append' : 'asynchronous'}): ` +
        `${count(model.streamsCompared, 'stream')} compared` +
        (model.streamsBehind > 0 ? `, ${count(model.streamsBehind, 'stream')} not yet projected` : '') +
        `, ${count(model.differences, 'difference')}`,
    );
  }
  if (report.differenceCount === 0) {
    lines.push('No differences: every read model agrees with the events.');
    return lines;
  }
  lines.push(`${count(report.differenceCount, 'difference')}:`);
  for (const difference of report.differences) {
    lines.push(`  ${difference.streamId} · ${difference.readModel} · ${difference.description}`);
  }
  const unlisted = report.differenceCount - report.differences.length;
  if (unlisted > 0) lines.push(`  … and ${unlisted.toLocaleString('en-US')} more`);
  return lines;
}
