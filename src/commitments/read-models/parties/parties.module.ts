import { Module } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../../../database/database.module.js';
import { PartiesController } from './parties.controller.js';
import { PartyCommitmentsQueries } from './party-commitments.queries.js';

/** The party view: its queries and `GET /parties/:party`. */
@Module({
  controllers: [PartiesController],
  providers: [
    {
      provide: PartyCommitmentsQueries,
      inject: [PG_POOL],
      useFactory: (pool: Pool) => new PartyCommitmentsQueries(pool),
    },
  ],
})
export class PartiesModule {}
