import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig, Role } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';

/** Who is calling: the key's name (recorded as `recordedBy`) and its role. */
export interface ApiPrincipal {
  readonly name: string;
  readonly role: Role;
}

interface KnownKey extends ApiPrincipal {
  readonly digest: Buffer;
}

const GENERATED_KEY_NAME = 'admin';

function digest(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/**
 * The API keys: from API_KEYS when set; otherwise from the database, where a first start creates one admin
 * key, prints it once and keeps only its SHA-256 digest (the secrets are 256-bit random, so a plain digest
 * is enough and lets every request be checked without a slow KDF).
 */
@Injectable()
export class ApiKeysService implements OnModuleInit {
  private readonly logger = new Logger('ApiKeys');
  private keys: readonly KnownKey[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.apiKeys) {
      this.keys = this.config.apiKeys.map((k) => ({ name: k.name, role: k.role, digest: digest(k.secret) }));
      this.logger.log(`${this.keys.length} API key(s) from API_KEYS`);
      return;
    }
    this.keys = await this.storedKeys();
    if (this.keys.length === 0) {
      const secret = `ct_${randomBytes(32).toString('base64url')}`;
      const inserted: unknown[] = await this.dataSource.query(
        `INSERT INTO api_keys (name, role, secret_sha256) VALUES ($1, 'admin', $2)
         ON CONFLICT (name) DO NOTHING RETURNING name`,
        [GENERATED_KEY_NAME, digest(secret).toString('hex')],
      );
      // Another instance starting at the same moment may have created the key first; then it printed it.
      if (inserted.length === 1) announceGeneratedKey(secret);
      this.keys = await this.storedKeys();
    }
    this.logger.log(`${this.keys.length} API key(s) from the database`);
  }

  /** Constant-time: every known digest is compared, whatever matches. */
  authenticate(secret: string): ApiPrincipal | null {
    const presented = digest(secret);
    let found: KnownKey | null = null;
    for (const key of this.keys) {
      if (timingSafeEqual(presented, key.digest)) found = key;
    }
    return found ? { name: found.name, role: found.role } : null;
  }

  private async storedKeys(): Promise<KnownKey[]> {
    const rows: { name: string; role: Role; secret_sha256: string }[] = await this.dataSource.query(
      'SELECT name, role, secret_sha256 FROM api_keys ORDER BY name',
    );
    return rows.map((r) => ({ name: r.name, role: r.role, digest: Buffer.from(r.secret_sha256, 'hex') }));
  }
}

function announceGeneratedKey(secret: string): void {
  // Printed, not logged: the secret is shown this once and must not end up in a log store.
  process.stdout.write(
    [
      '',
      '  No API_KEYS configured: created an admin API key. It is shown only now; only its hash is kept.',
      `  Authorization: Bearer ${secret}`,
      '',
      '',
    ].join('\n'),
  );
}
