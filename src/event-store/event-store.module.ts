import { Global, Module } from '@nestjs/common';
import type { Pool } from 'pg';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { PG_POOL } from '../database/database.module.js';
import { EventStore } from './event-store.js';
import { StreamLocks } from './stream-locks.js';

@Global()
@Module({
  providers: [
    {
      provide: EventStore,
      inject: [PG_POOL, APP_CONFIG],
      useFactory: (pool: Pool, config: AppConfig) =>
        new EventStore(pool, { groupCommit: config.eventStoreGroupCommit }),
    },
    StreamLocks,
  ],
  exports: [EventStore, StreamLocks],
})
export class EventStoreModule {}
