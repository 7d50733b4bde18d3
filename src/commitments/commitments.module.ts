import { Module } from '@nestjs/common';
import {
  GetCommitmentHandler,
  GetCommitmentHistoryHandler,
  ListCommitmentsHandler,
} from './commitment.queries.js';
import { CitationsController } from './citations/citations.controller.js';
import { CommitmentsController } from './commitments.controller.js';
import { CorrectionsController } from './corrections/corrections.controller.js';
import { CorrectionsQueries } from './corrections/corrections.queries.js';
import { RecordDevelopmentHandler } from './record-development.handler.js';
import { StatisticsController } from './statistics/statistics.controller.js';
import { CommitmentStateModule } from './state/commitment-state.module.js';
import { SourcesModule } from '../sources/sources.module.js';

/** The commitments resource: the write path (one command for every development), its reads and counts. */
@Module({
  imports: [CommitmentStateModule, SourcesModule],
  controllers: [CommitmentsController, CitationsController, CorrectionsController, StatisticsController],
  providers: [
    RecordDevelopmentHandler,
    GetCommitmentHandler,
    ListCommitmentsHandler,
    GetCommitmentHistoryHandler,
    CorrectionsQueries,
  ],
})
export class CommitmentsModule {}
