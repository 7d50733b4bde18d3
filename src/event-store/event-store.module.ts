import { Global, Module } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.module.js';
import { EventStore } from './event-store.js';

@Global()
@Module({
  providers: [{ provide: EventStore, inject: [PG_POOL], useFactory: (pool: Pool) => new EventStore(pool) }],
  exports: [EventStore],
})
export class EventStoreModule {}
