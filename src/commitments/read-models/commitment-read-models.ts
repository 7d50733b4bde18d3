import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { BACKGROUND_POOL } from '../../database/database.module.js';
import { EventStore } from '../../event-store/event-store.js';
import { ProjectionSupervisor } from '../../projections/projection-supervisor.js';
import { StreamRowsAudit } from '../../projections/read-model-audit.js';
import { ReadModelVerifier } from '../../projections/read-model-verifier.js';
import type { AuditableStreamRows, StreamReadModel } from '../../projections/stream-read-model.js';
import { StreamStateProjection } from '../../projections/stream-state.projection.js';
import type { CommitmentSnapshot } from '../domain/commitment.snapshot.js';
import { CommitmentSnapshotStore } from './commitment-status/commitment-snapshot-store.js';

/**
 * Where a feature registers a read model derived from each commitment's current state: built by a
 * catch-up projection, or written with every append. Either way the read-model audit checks it. The
 * projections read through the background pool, as their runners do: a batch or a rebuild may run long,
 * and must not take the connections requests wait for.
 */
@Injectable()
export class CommitmentReadModels {
  private readonly background: { readonly pool: Pool; readonly snapshots: CommitmentSnapshotStore };

  constructor(
    private readonly projections: ProjectionSupervisor,
    private readonly verifier: ReadModelVerifier,
    private readonly snapshots: CommitmentSnapshotStore,
    store: EventStore,
    @Inject(BACKGROUND_POOL) pool: Pool,
  ) {
    this.background = { pool, snapshots: new CommitmentSnapshotStore(pool, store.through(pool)) };
  }

  /** A read model built asynchronously from the log (audited when it can read its rows back). */
  register<Row>(model: StreamReadModel<Row, CommitmentSnapshot>): void {
    this.projections.register(
      new StreamStateProjection(this.background.pool, this.background.snapshots, model),
    );
  }

  /** A read model the append statement writes itself: only the audit needs to know how to read it. */
  registerInline<Row>(model: AuditableStreamRows<Row, CommitmentSnapshot>): void {
    this.verifier.registerInline(new StreamRowsAudit(this.snapshots, model, null));
  }
}
