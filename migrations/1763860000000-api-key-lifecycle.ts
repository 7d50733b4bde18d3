import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API keys can be created and revoked while the service runs (`npm run keys`, `/admin/keys`). A revoked
 * key keeps its row: its name is recorded as `recordedBy` on the events it appended, so the name is never
 * given to another key, and the table says who created and revoked each one.
 */
export class ApiKeyLifecycle1763860000000 implements MigrationInterface {
  name = 'ApiKeyLifecycle1763860000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE api_keys
        ADD COLUMN created_by text,
        ADD COLUMN revoked_at timestamptz,
        ADD COLUMN revoked_by text`);
    // Until now the only way a key got here was the admin key generated on first start.
    await db.query(`UPDATE api_keys SET created_by = 'first start'`);
    await db.query(`ALTER TABLE api_keys ALTER COLUMN created_by SET NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM api_keys WHERE revoked_at IS NOT NULL`);
    await db.query(
      `ALTER TABLE api_keys DROP COLUMN created_by, DROP COLUMN revoked_at, DROP COLUMN revoked_by`,
    );
  }
}
