import { ConfigError, loadConfig } from '../config/app-config.js';
import { startDatabaseEngine } from './database-engine.js';
import { createDataSource } from './data-source.factory.js';
import { runMigrations } from './migrations.js';

/** `npm run migration:run` / `npm run migration:revert`, on the engine the environment names. */
async function main(command: string | undefined): Promise<void> {
  if (command !== 'run' && command !== 'revert' && command !== 'show') {
    throw new Error('usage: migrate.cli.js run|revert|show');
  }
  const config = loadConfig();
  const engine = await startDatabaseEngine(config);
  const log = { log: (m: string) => console.log(m), error: console.error, warn: console.warn };
  if (command === 'run') {
    try {
      await runMigrations(config, engine, log);
      console.log('migrations are up to date');
    } finally {
      await engine.close();
    }
    return;
  }
  const dataSource = createDataSource(config, engine, 'background', 1);
  try {
    await dataSource.initialize();
    if (command === 'revert') {
      await dataSource.undoLastMigration({ transaction: 'each' });
      console.log('reverted the last migration');
    } else {
      const pending = await dataSource.showMigrations();
      console.log(pending ? 'there are pending migrations' : 'no pending migrations');
    }
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await engine.close();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
