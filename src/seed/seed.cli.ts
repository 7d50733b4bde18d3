import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module.js';
import { ConfigError, loadConfig } from '../config/app-config.js';
import { SeedLoader } from './seed-loader.js';

/** `npm run seed`: loads the corpus into the database the environment names, then reports. */
async function main(): Promise<number> {
  const config = { ...loadConfig(), seed: false };
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
    logger: ['error', 'warn'],
  });
  try {
    const report = await app.get(SeedLoader).load();
    console.log(
      `${report.appended} developments appended, ${report.alreadyPresent} already present, ${report.failed.length} refused`,
    );
    for (const failure of report.failed)
      console.error(`#${failure.index} ${failure.commitmentId}: ${failure.reason}`);
    return report.failed.length === 0 ? 0 : 1;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);
