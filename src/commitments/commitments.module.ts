import { Module } from '@nestjs/common';
import {
  GetCommitmentHandler,
  GetCommitmentHistoryHandler,
  ListCommitmentsHandler,
} from './commitment.queries.js';
import { CommitmentsController } from './commitments.controller.js';
import { RecordDevelopmentHandler } from './record-development.handler.js';
import { CommitmentStateModule } from './state/commitment-state.module.js';

/** The commitments resource: the write path (one command for every development) and its reads. */
@Module({
  imports: [CommitmentStateModule],
  controllers: [CommitmentsController],
  providers: [
    RecordDevelopmentHandler,
    GetCommitmentHandler,
    ListCommitmentsHandler,
    GetCommitmentHistoryHandler,
  ],
})
export class CommitmentsModule {}
