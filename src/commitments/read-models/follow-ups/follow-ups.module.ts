import { Module } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../../../database/database.module.js';
import { FollowUpsController } from './follow-ups.controller.js';
import { FollowUpsQueries } from './follow-ups.queries.js';

/** The follow-up queue: its queries and `GET /follow-ups`. */
@Module({
  controllers: [FollowUpsController],
  providers: [
    { provide: FollowUpsQueries, inject: [PG_POOL], useFactory: (pool: Pool) => new FollowUpsQueries(pool) },
  ],
})
export class FollowUpsModule {}
