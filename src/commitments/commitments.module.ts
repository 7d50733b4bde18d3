import { Module, type OnModuleInit } from '@nestjs/common';
import { EventStore } from '../event-store/event-store.js';
import { RecordDevelopmentHandler } from './commitment.commands.js';
import {
  GetCommitmentHandler,
  GetCommitmentHistoryHandler,
  ListCommitmentsHandler,
} from './commitment.queries.js';
import { CommitmentsController } from './commitments.controller.js';
import { COMMITMENT_STATUS_PROJECTION } from './status/commitment-status.projection.js';
import { CommitmentStatusQueries } from './status/commitment-status.queries.js';

@Module({
  controllers: [CommitmentsController],
  providers: [
    RecordDevelopmentHandler,
    GetCommitmentHandler,
    ListCommitmentsHandler,
    GetCommitmentHistoryHandler,
    CommitmentStatusQueries,
  ],
  exports: [CommitmentStatusQueries],
})
export class CommitmentsModule implements OnModuleInit {
  constructor(private readonly store: EventStore) {}

  onModuleInit(): void {
    this.store.registerInlineProjection(COMMITMENT_STATUS_PROJECTION);
  }
}
