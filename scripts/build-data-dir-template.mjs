// `npm run build`'s last step: dist/data-dir-template.tar.gz, a new embedded database with every migration
// applied, which a new DATA_DIR starts from instead of initdb and the migrations (src/database/database-engine.ts).
import path from 'node:path';
import { loadConfig, MEMORY_DATA_DIR } from '../dist/src/config/app-config.js';
import { writeDataDirTemplate } from '../dist/src/database/database-engine.js';
import { runMigrations } from '../dist/src/database/migrations.js';

const config = loadConfig({ DATA_DIR: MEMORY_DATA_DIR, LOG_LEVEL: 'silent' });
const quiet = { log: () => undefined, error: console.error, warn: console.warn };
await writeDataDirTemplate(config.dataDirTemplate, (engine) => runMigrations(config, engine, quiet));
console.log(`wrote ${path.relative(process.cwd(), config.dataDirTemplate)}`);
