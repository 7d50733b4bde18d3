import { createHash, randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { KEY_NAME, ROLES, type Role } from '../config/app-config.js';
import { ApiKeyNameTakenError, ApiKeyNotFoundError, LastAdminKeyError } from './api-key.errors.js';

/** A key as listed: never its secret, nor the secret's digest. */
export interface ApiKeyRecord {
  readonly name: string;
  readonly role: Role;
  /** `null` for a key from API_KEYS, which has no record of its own. */
  readonly createdAt: string | null;
  readonly createdBy: string;
  readonly revokedAt: string | null;
  readonly revokedBy: string | null;
}

/** A key just created: the only moment its secret exists outside the client's hands. */
export interface CreatedApiKey extends ApiKeyRecord {
  readonly createdAt: string;
  readonly secret: string;
}

/** An active key as authentication needs it. */
export interface ActiveApiKey {
  readonly name: string;
  readonly role: Role;
  readonly digest: Buffer;
}

/** The name the first start gives the admin key it generates. */
const GENERATED_KEY_NAME = 'admin';

/** 256 random bits: a plain SHA-256 digest is then as good as a slow KDF, and cheap on every request. */
function newSecret(): string {
  return `ct_${randomBytes(32).toString('base64url')}`;
}

export function digestOf(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Why `name` cannot name a key, or `null`. */
export function keyNameProblem(name: string): string | null {
  return KEY_NAME.test(name)
    ? null
    : 'a key name is 1–64 characters of A–Z, a–z, 0–9, ".", "_" and "-", starting with a letter or digit';
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

interface KeyRow {
  name: string;
  role: Role;
  created_at: Date;
  created_by: string;
  revoked_at: Date | null;
  revoked_by: string | null;
}

const COLUMNS = 'name, role, created_at, created_by, revoked_at, revoked_by';

/**
 * The `api_keys` table, for the app, the admin endpoints and `npm run keys` alike. Only SHA-256 digests are
 * stored. A revoked key keeps its row, so its name, recorded on the events it appended, is never reused.
 */
export class ApiKeyStore {
  constructor(private readonly dataSource: DataSource) {}

  async active(): Promise<ActiveApiKey[]> {
    const rows: { name: string; role: Role; secret_sha256: string }[] = await this.dataSource.query(
      'SELECT name, role, secret_sha256 FROM api_keys WHERE revoked_at IS NULL ORDER BY name',
    );
    return rows.map((r) => ({ name: r.name, role: r.role, digest: Buffer.from(r.secret_sha256, 'hex') }));
  }

  async list(): Promise<ApiKeyRecord[]> {
    const rows: KeyRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM api_keys ORDER BY name`);
    return rows.map(record);
  }

  /** Creates an admin key when the table is empty (a first start); the secret, or `null` if one existed. */
  async createFirstAdminKey(): Promise<string | null> {
    const secret = newSecret();
    // Instances starting together may all find the table empty: the name decides which one creates it.
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO api_keys (name, role, secret_sha256, created_by)
       SELECT $1, 'admin', $2, 'first start' WHERE NOT EXISTS (SELECT 1 FROM api_keys)
       ON CONFLICT (name) DO NOTHING RETURNING name`,
      [GENERATED_KEY_NAME, digestOf(secret).toString('hex')],
    );
    return inserted.length === 1 ? secret : null;
  }

  async create(name: string, role: Role, createdBy: string): Promise<CreatedApiKey> {
    const secret = newSecret();
    const rows: KeyRow[] = await this.dataSource.query(
      `INSERT INTO api_keys (name, role, secret_sha256, created_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (name) DO NOTHING RETURNING ${COLUMNS}`,
      [name, role, digestOf(secret).toString('hex'), createdBy],
    );
    if (rows.length === 0) {
      const [existing]: { revoked: boolean }[] = await this.dataSource.query(
        'SELECT revoked_at IS NOT NULL AS revoked FROM api_keys WHERE name = $1',
        [name],
      );
      throw new ApiKeyNameTakenError(name, existing?.revoked ?? false);
    }
    return { ...record(rows[0]), secret };
  }

  /**
   * Revokes a key, unless it is the last active admin key. The table is locked against other writers for
   * the check and the update, so that two admins revoking each other's keys at once cannot both succeed.
   */
  async revoke(name: string, revokedBy: string): Promise<ApiKeyRecord> {
    return this.dataSource.transaction(async (db: EntityManager) => {
      await db.query('LOCK TABLE api_keys IN SHARE ROW EXCLUSIVE MODE');
      const [key]: KeyRow[] = await db.query(`SELECT ${COLUMNS} FROM api_keys WHERE name = $1`, [name]);
      if (!key) throw new ApiKeyNotFoundError(name);
      if (key.revoked_at) throw new ApiKeyNotFoundError(name, key.revoked_at);
      if (key.role === 'admin') {
        const [{ admins }]: { admins: number }[] = await db.query(
          `SELECT count(*)::int AS admins FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL`,
        );
        if (admins <= 1) throw new LastAdminKeyError(name);
      }
      await db.query('UPDATE api_keys SET revoked_at = now(), revoked_by = $2 WHERE name = $1', [
        name,
        revokedBy,
      ]);
      const [revoked]: KeyRow[] = await db.query(`SELECT ${COLUMNS} FROM api_keys WHERE name = $1`, [name]);
      return record(revoked);
    });
  }
}

function record(row: KeyRow): ApiKeyRecord & { createdAt: string } {
  return {
    name: row.name,
    role: row.role,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    revokedBy: row.revoked_by,
  };
}
