import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module.js';
import { ConfigError, loadConfig } from '../config/app-config.js';

/**
 * Runs a command-line tool inside the app's own module graph (database, event store, features and their
 * read models), on the engine the environment names, without HTTP. `work` returns the exit status; a
 * configuration problem prints its one line, anything else its error, and both exit with 1.
 */
export function runCli(work: (app: INestApplicationContext) => Promise<number>): void {
  const run = async (): Promise<number> => {
    const app = await NestFactory.createApplicationContext(AppModule.forCli(loadConfig()), {
      logger: ['error', 'warn'],
    });
    try {
      return await work(app);
    } finally {
      await app.close();
    }
  };
  run().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof ConfigError ? error.message : error);
      process.exit(1);
    },
  );
}
