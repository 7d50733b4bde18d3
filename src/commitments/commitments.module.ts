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
import { CommitmentStateModule } from './state/commitment-state.module.js';
import { SourcesModule } from '../sources/sources.module.js';

/** The commitments resource: the write path (one command for every development) and its reads. */
@Module({
  imports: [CommitmentStateModule, SourcesModule],
  controllers: [CommitmentsController, CitationsController, CorrectionsController],
  providers: [
    RecordDevelopmentHandler,
    GetCommitmentHandler,
    ListCommitmentsHandler,
    GetCommitmentHistoryHandler,
    CorrectionsQueries,
  ],
})
export class CommitmentsModule {}
