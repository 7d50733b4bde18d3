import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

/** A database of a benchmark's own, on the engine DATABASE_URL names. */
export interface ScratchDatabase {
  readonly kind: 'postgres' | 'embedded';
  /** Environment naming it: DATABASE_URL, or DATA_DIR for the embedded engine. */
  readonly env: Record<string, string>;
  drop(): Promise<void>;
}

/**
 * A fresh database next to the one DATABASE_URL names (or a temporary directory for the embedded engine),
 * so a benchmark never touches the data that database holds and runs are comparable.
 */
export async function scratchDatabase(label: string): Promise<ScratchDatabase> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${label.replace(/_/g, '-')}-`));
    return {
      kind: 'embedded',
      env: { DATA_DIR: dir },
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `${label}_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  return {
    kind: 'postgres',
    env: { DATABASE_URL: scratch.toString() },
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
