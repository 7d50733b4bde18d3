import 'reflect-metadata';
import fs from 'node:fs';
import { loadConfig, MEMORY_DATA_DIR } from '../config/app-config.js';
import { openApiDocumentOf } from '../openapi-document.js';

/**
 * Writes the OpenAPI document the server serves at /docs-json to the file named (or to standard output),
 * without a database: for linting the contract and generating clients.
 */
async function main(): Promise<void> {
  const document = await openApiDocumentOf(
    loadConfig({ ...process.env, DATABASE_URL: '', DATA_DIR: MEMORY_DATA_DIR, LOG_LEVEL: 'silent' }),
  );
  const json = `${JSON.stringify(document, null, 2)}\n`;
  const file = process.argv[2];
  if (file === undefined) process.stdout.write(json);
  else fs.writeFileSync(file, json);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
