import { Injectable } from '@nestjs/common';
import { EventStore } from '../../event-store/event-store.js';
import { ProjectionSupervisor } from '../../projections/projection-supervisor.js';
import { type StreamReadModel, StreamStateProjection } from '../../projections/stream-state.projection.js';
import type { CommitmentSnapshot } from '../domain/commitment.state.js';
import { CommitmentStates } from './commitment-states.js';

/** Where a feature registers a read model derived from each commitment's current state. */
@Injectable()
export class CommitmentReadModels {
  constructor(
    private readonly projections: ProjectionSupervisor,
    private readonly store: EventStore,
    private readonly states: CommitmentStates,
  ) {}

  register<Row>(model: StreamReadModel<Row, CommitmentSnapshot>): void {
    this.projections.register(new StreamStateProjection(this.store, this.states, model));
  }
}
