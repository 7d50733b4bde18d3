import 'reflect-metadata';
import { ConfigError, loadConfig } from '../config/app-config.js';
import { startDatabaseEngine } from '../database/database-engine.js';
import { createDataSource, poolOf } from '../database/data-source.factory.js';
import { runMigrations } from '../database/migrations.js';
import { EventStore } from '../event-store/event-store.js';
import { ProgressBar } from './progress-bar.js';
import { ProjectionRebuilds } from './projection-rebuilds.js';
import { DEFAULT_SUPERVISOR_OPTIONS, ProjectionSupervisor } from './projection-supervisor.js';
import { createReadModelProjections } from './read-model-projections.js';

const PROGRESS_INTERVAL_MS = 250;

const quiet = { log: () => undefined, warn: console.warn, error: console.error };

/**
 * `npm run projections:rebuild`: rebuilds every asynchronous read model, on the engine the environment
 * names, with a progress bar. The replay runs wherever each projection's runner is: in this process when
 * no app instance runs it (always so on the embedded engine, whose data directory one process owns),
 * otherwise in the instance that leads it, which this process then just follows.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const engine = await startDatabaseEngine(config);
  // Nobody waits on a rebuild's statements: the background limits, not the request ones.
  const dataSource = createDataSource(config, engine, 'background');
  let supervisor: ProjectionSupervisor | null = null;
  try {
    await runMigrations(config, engine, quiet);
    await dataSource.initialize();
    const pool = poolOf(dataSource);
    const store = new EventStore(pool);
    supervisor = new ProjectionSupervisor(
      pool,
      store,
      engine,
      createReadModelProjections(store),
      DEFAULT_SUPERVISOR_OPTIONS,
      quiet,
    );
    await supervisor.checkpoints.ensureExist(supervisor.projections.map((projection) => projection.name));
    const rebuilds = new ProjectionRebuilds(pool, supervisor.checkpoints, supervisor.projections);
    const { jobId } = await rebuilds.request('projections:rebuild');
    await supervisor.start();
    supervisor.announceNewEvents();

    const bar = new ProgressBar(`rebuild ${jobId.slice(0, 8)}`);
    for (;;) {
      const progress = await rebuilds.progress(jobId);
      if (!progress) throw new Error(`rebuild job ${jobId} disappeared`);
      bar.update(progress.appliedEvents, progress.totalEvents);
      if (progress.state === 'superseded') {
        bar.finish('another rebuild started over before this one finished');
        process.exitCode = 1;
        return;
      }
      if (progress.state === 'completed') {
        const here = supervisor.projections
          .filter((p) => supervisor?.isRunningHere(p.name))
          .map((p) => p.name);
        bar.finish(
          `rebuilt ${progress.projections.map((p) => p.name).join(', ')} from ${progress.totalEvents} events` +
            (here.length < progress.projections.length ? ' (replayed by the running app instance)' : ''),
        );
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, PROGRESS_INTERVAL_MS));
    }
  } finally {
    await supervisor?.stop();
    if (dataSource.isInitialized) await dataSource.destroy();
    await engine.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
