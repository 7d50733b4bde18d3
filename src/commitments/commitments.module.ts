import { Module } from '@nestjs/common';
import {
  GetCommitmentHandler,
  GetCommitmentHistoryHandler,
  ListCommitmentsHandler,
} from './commitment.queries.js';
import { CommitmentsController } from './commitments.controller.js';
import { RecordDevelopmentHandler } from './record-development.handler.js';
import { StatisticsController } from './statistics/statistics.controller.js';
import { CommitmentStateModule } from './state/commitment-state.module.js';

/** The commitments resource: the write path (one command for every development), its reads and counts. */
@Module({
  imports: [CommitmentStateModule],
  controllers: [CommitmentsController, StatisticsController],
  providers: [
    RecordDevelopmentHandler,
    GetCommitmentHandler,
    ListCommitmentsHandler,
    GetCommitmentHistoryHandler,
  ],
})
export class CommitmentsModule {}
