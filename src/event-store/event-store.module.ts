import { Global, Module } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.module.js';
import { EventStore } from './event-store.js';
import { StreamLocks } from './stream-locks.js';

@Global()
@Module({
  providers: [
    { provide: EventStore, inject: [PG_POOL], useFactory: (pool: Pool) => new EventStore(pool) },
    StreamLocks,
  ],
  exports: [EventStore, StreamLocks],
})
export class EventStoreModule {}
