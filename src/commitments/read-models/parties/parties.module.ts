import { Module, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../../../database/database.module.js';
import { CommitmentReadModels } from '../commitment-read-models.js';
import { CommitmentStreamModule } from '../../commitment-stream.module.js';
import { PartiesController } from './parties.controller.js';
import { PARTY_COMMITMENTS_READ_MODEL } from './party-commitments.projection.js';
import { PartyCommitmentsQueries } from './party-commitments.queries.js';

/** The party view: its read model, run by the projections, and `GET /parties/:party`. */
@Module({
  imports: [CommitmentStreamModule],
  controllers: [PartiesController],
  providers: [
    {
      provide: PartyCommitmentsQueries,
      inject: [PG_POOL],
      useFactory: (pool: Pool) => new PartyCommitmentsQueries(pool),
    },
  ],
})
export class PartiesModule implements OnModuleInit {
  constructor(private readonly readModels: CommitmentReadModels) {}

  onModuleInit(): void {
    this.readModels.register(PARTY_COMMITMENTS_READ_MODEL);
  }
}
