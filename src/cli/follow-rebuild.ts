import type { INestApplicationContext } from '@nestjs/common';
import { ProjectionRebuilds } from '../projections/projection-rebuilds.js';
import { ProjectionSupervisor } from '../projections/projection-supervisor.js';
import { ProgressBar } from './progress-bar.js';

const PROGRESS_INTERVAL_MS = 250;

/**
 * Follows a rebuild job with a progress bar until it completes (true) or another rebuild supersedes it
 * (false). The replay runs wherever each projection's runner is: in this process when no app instance
 * runs it (always so on the embedded engine), otherwise in the instance that leads it.
 */
export async function followRebuild(app: INestApplicationContext, jobId: string): Promise<boolean> {
  const supervisor = app.get(ProjectionSupervisor);
  const bar = new ProgressBar(`rebuild ${jobId.slice(0, 8)}`);
  for (;;) {
    const progress = await app.get(ProjectionRebuilds).progress(jobId);
    if (!progress) throw new Error(`rebuild job ${jobId} disappeared`);
    bar.update(progress.appliedEvents, progress.totalEvents);
    if (progress.state === 'superseded') {
      bar.finish('another rebuild started over before this one finished');
      return false;
    }
    if (progress.state === 'completed') {
      const here = supervisor.projections.filter((p) => supervisor.isRunningHere(p.name)).length;
      bar.finish(
        `rebuilt ${progress.projections.map((p) => p.name).join(', ')} from ${progress.totalEvents} events` +
          (here < progress.projections.length ? ' (replayed by the running app instance)' : ''),
      );
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, PROGRESS_INTERVAL_MS));
  }
}
