import fs from 'node:fs';
import pg from 'pg';

/** Drops what test/support/global-setup.js named and the workers made. */
export default async function globalTeardown() {
  const dir = process.env.TEST_TEMPLATE_DIR;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  const name = process.env.TEST_TEMPLATE_DATABASE;
  const url = process.env.TEST_DATABASE_URL;
  if (!name || !url) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const database of [name, `${name}_partial`]) {
      await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}
