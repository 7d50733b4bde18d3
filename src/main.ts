import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig, type AppConfig } from './config/app-config.js';
import { createApp } from './app.js';

const SHUTDOWN_GRACE_MS = 15_000;

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = await createApp(config);
  // In-flight requests finish (Fastify's close waits for them); a hung shutdown is cut off.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref());
  }
  await app.listen({ port: config.port, host: config.host });
  // The bound port, not the configured one: PORT=0 asks the system for a free port.
  const { port } = app.getHttpServer().address() as AddressInfo;
  app.getHttpAdapter().getInstance().log.info(`listening on http://${config.host}:${port} (docs at /docs)`);
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
