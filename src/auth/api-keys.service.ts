import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig, Role } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { KeysFromEnvironmentError } from './api-key.errors.js';
import {
  type ActiveApiKey,
  type ApiKeyRecord,
  ApiKeyStore,
  type CreatedApiKey,
  digestOf,
} from './api-key.store.js';

/** Who is calling: the key's name (recorded as `recordedBy`) and its role. */
export interface ApiPrincipal {
  readonly name: string;
  readonly role: Role;
}

export type ApiKeySource = 'environment' | 'database';

/**
 * An unknown key makes the instance re-read the keys at once (it may have been created on another instance),
 * but not more often than this: a stream of made-up keys costs the database one query a second.
 */
const UNKNOWN_KEY_RELOAD_INTERVAL_MS = 1000;

/**
 * The API keys: from API_KEYS when set; otherwise from the database, where a first start creates one admin
 * key, prints it once and keeps only its SHA-256 digest. Instances sharing a database each keep the active
 * keys in memory and re-read them every `API_KEY_REFRESH_MS` (a revocation reaches every instance within
 * that) and on an unknown key (a creation is seen at once, or within {@link UNKNOWN_KEY_RELOAD_INTERVAL_MS}).
 */
@Injectable()
export class ApiKeysService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ApiKeys');
  private readonly store: ApiKeyStore;
  private keys: readonly ActiveApiKey[] = [];
  private reloading: Promise<void> | null = null;
  private lastReloadStartedAt = 0;
  private refreshTimer: NodeJS.Timeout | undefined;
  private refreshFailing = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    dataSource: DataSource,
  ) {
    this.store = new ApiKeyStore(dataSource);
  }

  get source(): ApiKeySource {
    return this.config.apiKeys ? 'environment' : 'database';
  }

  async onModuleInit(): Promise<void> {
    if (this.config.apiKeys) {
      this.keys = this.config.apiKeys.map((k) => ({
        name: k.name,
        role: k.role,
        digest: digestOf(k.secret),
      }));
      this.logger.log(`${this.keys.length} API key(s) from API_KEYS`);
      return;
    }
    const generated = await this.store.createFirstAdminKey();
    // Another instance starting at the same moment may have created the key first; then it printed it.
    if (generated) announceGeneratedKey(generated);
    await this.reload();
    this.logger.log(`${this.keys.length} API key(s) from the database`);
    this.refreshTimer = setInterval(() => void this.refresh(), this.config.apiKeyRefreshMs);
    this.refreshTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.refreshTimer);
  }

  /** Constant-time over the known keys: every digest is compared, whatever matches. */
  async authenticate(secret: string): Promise<ApiPrincipal | null> {
    const known = this.match(secret);
    if (known || this.source === 'environment') return known;
    if (!this.reloading && Date.now() - this.lastReloadStartedAt < UNKNOWN_KEY_RELOAD_INTERVAL_MS)
      return null;
    try {
      await this.reload();
    } catch (error) {
      // The keys already known still work; an unknown one cannot be checked now and stays unknown.
      this.logger.warn(`could not re-read the API keys: ${(error as Error).message}`);
      return null;
    }
    return this.match(secret);
  }

  async list(): Promise<{ source: ApiKeySource; items: ApiKeyRecord[] }> {
    if (this.config.apiKeys) {
      const byName = [...this.config.apiKeys].sort((x, y) => (x.name < y.name ? -1 : 1));
      const items = byName.map((k) => ({
        name: k.name,
        role: k.role,
        createdAt: null,
        createdBy: 'API_KEYS',
        revokedAt: null,
        revokedBy: null,
      }));
      return { source: 'environment', items };
    }
    return { source: 'database', items: await this.store.list() };
  }

  async create(name: string, role: Role, createdBy: string): Promise<CreatedApiKey> {
    if (this.config.apiKeys) throw new KeysFromEnvironmentError();
    const created = await this.store.create(name, role, createdBy);
    await this.reload();
    this.logger.log(`API key "${name}" (${role}) created by ${createdBy}`);
    return created;
  }

  async revoke(name: string, revokedBy: string): Promise<ApiKeyRecord> {
    if (this.config.apiKeys) throw new KeysFromEnvironmentError();
    const revoked = await this.store.revoke(name, revokedBy);
    await this.reload();
    this.logger.log(`API key "${name}" revoked by ${revokedBy}`);
    return revoked;
  }

  private match(secret: string): ApiPrincipal | null {
    const presented = digestOf(secret);
    let found: ActiveApiKey | null = null;
    for (const key of this.keys) {
      if (timingSafeEqual(presented, key.digest)) found = key;
    }
    return found ? { name: found.name, role: found.role } : null;
  }

  /** One read at a time: callers arriving while one runs wait for it instead of starting another. */
  private reload(): Promise<void> {
    this.reloading ??= (async () => {
      this.lastReloadStartedAt = Date.now();
      try {
        this.keys = await this.store.active();
      } finally {
        this.reloading = null;
      }
    })();
    return this.reloading;
  }

  private async refresh(): Promise<void> {
    try {
      await this.reload();
      if (this.refreshFailing) this.logger.log('API keys re-read again');
      this.refreshFailing = false;
    } catch (error) {
      // Logged once per outage; the keys known before it keep working.
      if (!this.refreshFailing)
        this.logger.warn(`could not re-read the API keys: ${(error as Error).message}`);
      this.refreshFailing = true;
    }
  }
}

function announceGeneratedKey(secret: string): void {
  // Printed, not logged: the secret is shown this once and must not end up in a log store.
  process.stdout.write(
    [
      '',
      '  No API_KEYS configured: created an admin API key. It is shown only now; only its hash is kept.',
      `  Authorization: Bearer ${secret}`,
      '  (Lost it? See "Lost the admin key?" in the README: npm run keys -- create NAME admin.)',
      '',
      '',
    ].join('\n'),
  );
}
