import { Module, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../../../database/database.module.js';
import { CommitmentReadModels } from '../commitment-read-models.js';
import { CommitmentStreamModule } from '../../commitment-stream.module.js';
import { FollowUpsController } from './follow-ups.controller.js';
import { FOLLOW_UPS_READ_MODEL } from './follow-ups.projection.js';
import { FollowUpsQueries } from './follow-ups.queries.js';

/** The follow-up queue: its read model, run by the projections, and `GET /follow-ups`. */
@Module({
  imports: [CommitmentStreamModule],
  controllers: [FollowUpsController],
  providers: [
    { provide: FollowUpsQueries, inject: [PG_POOL], useFactory: (pool: Pool) => new FollowUpsQueries(pool) },
  ],
})
export class FollowUpsModule implements OnModuleInit {
  constructor(private readonly readModels: CommitmentReadModels) {}

  onModuleInit(): void {
    this.readModels.register(FOLLOW_UPS_READ_MODEL);
  }
}
