import { ProjectionRebuilds } from '../projections/projection-rebuilds.js';
import { ProjectionSupervisor } from '../projections/projection-supervisor.js';
import { runCli } from './cli-context.js';
import { ProgressBar } from './progress-bar.js';

const PROGRESS_INTERVAL_MS = 250;

/**
 * `npm run projections:rebuild`: rebuilds every asynchronous read model, on the engine the environment
 * names, with a progress bar. The replay runs wherever each projection's runner is: in this process when
 * no app instance runs it (always so on the embedded engine, whose data directory one process owns),
 * otherwise in the instance that leads it, which this process then just follows.
 */
runCli(async (app) => {
  const supervisor = app.get(ProjectionSupervisor);
  const { jobId } = await app.get(ProjectionRebuilds).request('projections:rebuild');
  supervisor.announceNewEvents();
  const bar = new ProgressBar(`rebuild ${jobId.slice(0, 8)}`);
  for (;;) {
    const progress = await app.get(ProjectionRebuilds).progress(jobId);
    if (!progress) throw new Error(`rebuild job ${jobId} disappeared`);
    bar.update(progress.appliedEvents, progress.totalEvents);
    if (progress.state === 'superseded') {
      bar.finish('another rebuild started over before this one finished');
      return 1;
    }
    if (progress.state === 'completed') {
      const here = supervisor.projections.filter((p) => supervisor.isRunningHere(p.name)).length;
      bar.finish(
        `rebuilt ${progress.projections.map((p) => p.name).join(', ')} from ${progress.totalEvents} events` +
          (here < progress.projections.length ? ' (replayed by the running app instance)' : ''),
      );
      return 0;
    }
    await new Promise((resolve) => setTimeout(resolve, PROGRESS_INTERVAL_MS));
  }
});
