import { Module, type OnModuleInit } from '@nestjs/common';
import { EventStore } from '../event-store/event-store.js';
import { ProjectionsModule } from '../projections/projections.module.js';
import { CommitmentReadModels } from './read-models/commitment-read-models.js';
import { CommitmentSnapshotStore } from './read-models/commitment-status/commitment-snapshot-store.js';
import { COMMITMENT_EVENT_TYPES } from './domain/commitment.events.js';
import { foldCommitment } from './domain/commitment.fold.js';
import {
  COMMITMENT_STATUS_PROJECTION,
  COMMITMENT_STATUS_READ_MODEL,
  commitmentStatusWrite,
} from './read-models/commitment-status/commitment-status.projection.js';
import { COMMITMENT_STREAM_PREFIX, toRecordedCommitmentEvent } from './stream/commitment.stream.js';
import { CommitmentStatusQueries } from './read-models/commitment-status/commitment-status.queries.js';
import { CommitmentStatusUpgrade } from './read-models/commitment-status/commitment-status.upgrade.js';

/**
 * Each commitment's current state: the inline `commitment_status` projection (registered with the event
 * store, so every append writes it, and with the read-model audit), its reads, the start-up upgrade of
 * rows of an older schema, and the registration of the asynchronous read models derived from it.
 */
@Module({
  imports: [ProjectionsModule],
  providers: [
    CommitmentSnapshotStore,
    CommitmentStatusQueries,
    CommitmentStatusUpgrade,
    CommitmentReadModels,
  ],
  exports: [CommitmentSnapshotStore, CommitmentStatusQueries, CommitmentReadModels],
})
export class CommitmentStreamModule implements OnModuleInit {
  constructor(
    private readonly store: EventStore,
    private readonly readModels: CommitmentReadModels,
  ) {}

  onModuleInit(): void {
    this.store.registerInlineProjection(COMMITMENT_STATUS_PROJECTION);
    this.readModels.registerInline(COMMITMENT_STATUS_READ_MODEL);
    this.store.registerStreamKind({
      streamPrefix: COMMITMENT_STREAM_PREFIX,
      eventTypes: COMMITMENT_EVENT_TYPES,
      inlineRows: (_streamId, events) => {
        const snapshot = foldCommitment(events.map(toRecordedCommitmentEvent));
        return snapshot ? [commitmentStatusWrite(snapshot)] : [];
      },
    });
  }
}
