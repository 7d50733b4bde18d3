import { ProjectionRebuilds } from '../projections/projection-rebuilds.js';
import { ProjectionSupervisor } from '../projections/projection-supervisor.js';
import { runCli } from './cli-context.js';
import { followRebuild } from './follow-rebuild.js';

/**
 * `npm run projections:rebuild`: rebuilds every asynchronous read model, on the engine the environment
 * names, with a progress bar (see {@link followRebuild} for where the replay runs).
 */
runCli(async (app) => {
  const { jobId } = await app.get(ProjectionRebuilds).request('projections:rebuild');
  app.get(ProjectionSupervisor).announceNewEvents();
  return (await followRebuild(app, jobId)) ? 0 : 1;
});
