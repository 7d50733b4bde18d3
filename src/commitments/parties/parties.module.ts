import { Module } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../../database/database.module';
import { PartiesController } from './parties.controller';
import { PartyCommitmentsQueries } from './party-commitments.queries';

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
