import { Module, type OnModuleInit } from '@nestjs/common';
import { EventStore } from '../event-store/event-store';
import { RecordDevelopmentHandler } from './commitment.commands';
import {
  GetCommitmentHandler,
  GetCommitmentHistoryHandler,
  ListCommitmentsHandler,
} from './commitment.queries';
import { CommitmentsController } from './commitments.controller';
import { COMMITMENT_STATUS_PROJECTION } from './status/commitment-status.projection';
import { CommitmentStatusQueries } from './status/commitment-status.queries';

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
