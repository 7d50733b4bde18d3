import { ConfigError, loadConfig, type AppConfig } from '../config/app-config.js';
import { createDataSource } from '../database/data-source.factory.js';
import { DataDirInUseError } from '../database/data-dir-lock.js';
import { type DatabaseEngine, startDatabaseEngine } from '../database/database-engine.js';
import { runMigrations } from '../database/migrations.js';
import { ApiKeyError } from './api-key.errors.js';
import { type ApiKeyRecord, ApiKeyStore, isRole, keyNameProblem } from './api-key.store.js';

const USAGE = [
  'usage: npm run keys -- list',
  '       npm run keys -- create NAME ROLE    (ROLE: reader, analyst or admin)',
  '       npm run keys -- revoke NAME',
].join('\n');

const CREATED_BY = 'npm run keys';

type Command =
  | { readonly kind: 'list' }
  | { readonly kind: 'create'; readonly name: string; readonly role: 'reader' | 'analyst' | 'admin' }
  | { readonly kind: 'revoke'; readonly name: string };

/** A mistake on the command line: printed with the usage, exit code 2. */
class UsageError extends Error {}

/** A failure whose message says all there is to say: printed as it is, exit code 1. */
class CliError extends Error {}

function parse(args: readonly string[]): Command {
  const [kind, name, role, ...extra] = args;
  if (kind === 'list' && args.length === 1) return { kind };
  if (kind === 'create' && name !== undefined && role !== undefined && extra.length === 0) {
    const problem = keyNameProblem(name);
    if (problem) throw new UsageError(`"${name}" cannot name a key: ${problem}.`);
    if (!isRole(role)) throw new UsageError(`"${role}" is not a role: use reader, analyst or admin.`);
    return { kind, name, role };
  }
  if (kind === 'revoke' && name !== undefined && role === undefined) return { kind, name };
  throw new UsageError(kind === undefined ? 'no command given.' : `cannot understand "${args.join(' ')}".`);
}

/**
 * `npm run keys`: lists, creates and revokes API keys in the database the environment names (DATABASE_URL,
 * or the embedded engine's DATA_DIR), e.g. to get an admin key back when the one printed on first start is
 * lost. Applies pending migrations first, so it also works on a database no server has started on yet.
 */
async function main(args: readonly string[]): Promise<number> {
  const command = parse(args);
  const config = loadConfig();
  if (config.apiKeys) {
    process.stderr.write(
      'API_KEYS is set: the server takes its keys from that variable and does not use the keys in the ' +
        'database. Change API_KEYS (and restart) to change keys, or unset it, here and for the server, to ' +
        'manage keys with this command.\n',
    );
    return 1;
  }
  const engine = await openEngine(config);
  const dataSource = createDataSource(config, engine);
  try {
    await runMigrations(config, engine, {
      log: (message: string) => process.stderr.write(`${message}\n`),
      error: (message: string) => process.stderr.write(`${message}\n`),
      warn: (message: string) => process.stderr.write(`${message}\n`),
    });
    await dataSource.initialize();
    await run(command, new ApiKeyStore(dataSource), config);
    return 0;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await engine.close();
  }
}

async function openEngine(config: AppConfig): Promise<DatabaseEngine> {
  try {
    return await startDatabaseEngine(config);
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    throw new CliError(
      `${error.message}\nA running server holds the embedded database, so this command cannot open it. Either ` +
        'stop the server, run this command, and start the server again; or, with an admin key, use ' +
        'POST /admin/keys and DELETE /admin/keys/NAME on the running server.',
    );
  }
}

async function run(command: Command, store: ApiKeyStore, config: AppConfig): Promise<void> {
  const shared = config.databaseUrl !== null;
  switch (command.kind) {
    case 'list':
      return printTable(await store.list());
    case 'create': {
      const created = await store.create(command.name, command.role, CREATED_BY);
      process.stdout.write(
        `Created the ${created.role} key "${created.name}". It is shown only now; only its hash is kept:\n\n` +
          `  Authorization: Bearer ${created.secret}\n\n` +
          (shared ? 'Running instances accept it within a second.\n' : ''),
      );
      return;
    }
    case 'revoke': {
      const revoked = await store.revoke(command.name, CREATED_BY);
      process.stdout.write(
        `Revoked the ${revoked.role} key "${revoked.name}".` +
          (shared
            ? ` Running instances refuse it within API_KEY_REFRESH_MS (${config.apiKeyRefreshMs} ms here).\n`
            : '\n'),
      );
      return;
    }
    default: {
      const unreachable: never = command;
      throw new Error(`unknown command ${JSON.stringify(unreachable)}`);
    }
  }
}

function printTable(keys: readonly ApiKeyRecord[]): void {
  if (keys.length === 0) {
    process.stdout.write('No API keys yet: the first server start creates an admin key, or use create.\n');
    return;
  }
  const rows = [
    ['NAME', 'ROLE', 'CREATED', 'CREATED BY', 'REVOKED'],
    ...keys.map((k) => [k.name, k.role, k.createdAt ?? '', k.createdBy, k.revokedAt ?? 'active']),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const row of rows) {
    process.stdout.write(
      `${row
        .map((cell, column) => cell.padEnd(widths[column]))
        .join('  ')
        .trimEnd()}\n`,
    );
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n${USAGE}\n`);
      process.exit(2);
    }
    const printable =
      error instanceof ConfigError || error instanceof ApiKeyError || error instanceof CliError;
    process.stderr.write(`${printable ? (error as Error).message : String(error)}\n`);
    process.exit(1);
  },
);
