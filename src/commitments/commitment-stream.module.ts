import { Module, type OnModuleInit } from '@nestjs/common';
import { EventStore } from '../event-store/event-store.js';
import type { StreamKind } from '../event-store/event-store.types.js';
import { ProjectionsModule } from '../projections/projections.module.js';
import { SourcesModule } from '../sources/sources.module.js';
import { CommitmentReadModels } from './read-models/commitment-read-models.js';
import { CommitmentSnapshotStore } from './read-models/commitment-status/commitment-snapshot-store.js';
import { COMMITMENT_EVENT_TYPES } from './domain/commitment.events.js';
import { foldCommitment } from './domain/commitment.fold.js';
import type { CommitmentSnapshot } from './domain/commitment.snapshot.js';
import {
  COMMITMENT_STATUS_PROJECTION,
  COMMITMENT_STATUS_READ_MODEL,
  commitmentStatusRow,
} from './read-models/commitment-status/commitment-status.projection.js';
import { FOLLOW_UPS_READ_MODEL } from './read-models/follow-ups/follow-ups.projection.js';
import { PARTY_COMMITMENTS_READ_MODEL } from './read-models/parties/party-commitments.projection.js';
import { COMMITMENT_STREAM_PREFIX, toRecordedCommitmentEvent } from './stream/commitment.stream.js';
import { CommitmentStatusQueries } from './read-models/commitment-status/commitment-status.queries.js';
import { CommitmentStatusUpgrade } from './read-models/commitment-status/commitment-status.upgrade.js';
import { CommitmentWriter } from './write/commitment-writer.js';

/**
 * The commitments' kind of stream: each stream folds into the commitment's snapshot, and every append
 * writes the snapshot's `commitment_status` row in its own statement, from the snapshot the writer passes.
 */
const COMMITMENT_STREAM_KIND: StreamKind<CommitmentSnapshot> = {
  streamPrefix: COMMITMENT_STREAM_PREFIX,
  eventTypes: COMMITMENT_EVENT_TYPES,
  fold: (events) => foldCommitment(events.map(toRecordedCommitmentEvent)),
  inline: [{ definition: COMMITMENT_STATUS_PROJECTION, row: commitmentStatusRow }],
};

/**
 * Each commitment's stream: its kind and the read models derived from it, registered in one place —
 * which are written with every append (inline) and which are built asynchronously from the log
 * (catch-up projections), all of them audited — and its one writer. Also the snapshot store, its
 * reads, and the start-up upgrade of rows of an older schema.
 */
@Module({
  imports: [ProjectionsModule, SourcesModule],
  providers: [
    CommitmentSnapshotStore,
    CommitmentStatusQueries,
    CommitmentStatusUpgrade,
    CommitmentReadModels,
    CommitmentWriter,
  ],
  exports: [CommitmentSnapshotStore, CommitmentStatusQueries, CommitmentReadModels, CommitmentWriter],
})
export class CommitmentStreamModule implements OnModuleInit {
  constructor(
    private readonly store: EventStore,
    private readonly readModels: CommitmentReadModels,
  ) {}

  onModuleInit(): void {
    this.store.registerStreamKind(COMMITMENT_STREAM_KIND);
    // Inline: `commitment_status`, the kind's own (see above); the audit reads it back.
    this.readModels.registerInline(COMMITMENT_STATUS_READ_MODEL);
    // Asynchronous: catch-up projections, from each commitment's snapshot.
    this.readModels.register(FOLLOW_UPS_READ_MODEL);
    this.readModels.register(PARTY_COMMITMENTS_READ_MODEL);
  }
}
