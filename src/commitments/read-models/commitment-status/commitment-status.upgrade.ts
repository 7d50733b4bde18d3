import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { BACKGROUND_POOL } from '../../../database/database.module.js';
import { EventStore } from '../../../event-store/event-store.js';
import { commitmentStreamId } from '../../stream/commitment.stream.js';
import { SNAPSHOT_SCHEMA } from '../../domain/commitment.snapshot.js';
import { CommitmentSnapshotStore } from './commitment-snapshot-store.js';
import { COMMITMENT_STATUS_PROJECTION, commitmentStatusRow } from './commitment-status.projection.js';

const BATCH = 500;

/**
 * Rewrites, at start-up, every `commitment_status` row whose snapshot is of an older schema, from the
 * fold of its stream: a deployment that changes the snapshot needs no data migration by hand. A row
 * written meanwhile by an append (which carries the current schema) is never overwritten by an older
 * fold: the upsert only replaces a row at the same or an earlier version.
 */
@Injectable()
export class CommitmentStatusUpgrade implements OnModuleInit {
  private readonly logger = new Logger('CommitmentStatus');

  private readonly snapshots: CommitmentSnapshotStore;

  /** On the background pool: upgrading a large database may take statements longer than a request's. */
  constructor(
    @Inject(BACKGROUND_POOL) private readonly pool: Pool,
    store: EventStore,
  ) {
    this.snapshots = new CommitmentSnapshotStore(pool, store.through(pool));
  }

  async onModuleInit(): Promise<void> {
    const { rows } = await this.pool.query<{ id: string }>(
      'SELECT id FROM commitment_status WHERE snapshot_schema <> $1 ORDER BY id',
      [SNAPSHOT_SCHEMA],
    );
    if (rows.length === 0) return;
    this.logger.log(`folding ${rows.length} commitments whose stored snapshot is of an older schema`);
    for (let start = 0; start < rows.length; start += BATCH) {
      const ids = rows.slice(start, start + BATCH).map((row) => commitmentStreamId(row.id));
      const written = [...(await this.snapshots.load(ids)).values()].flatMap(({ state }) =>
        state === null ? [] : [commitmentStatusRow(state)],
      );
      await this.write(written);
    }
    this.logger.log(`commitment snapshots upgraded to schema ${SNAPSHOT_SCHEMA}`);
  }

  private async write(rows: readonly Record<string, unknown>[]): Promise<void> {
    const { table, columns, keyColumns } = COMMITMENT_STATUS_PROJECTION;
    const updated = columns.filter((column) => !keyColumns.includes(column));
    await this.pool.query(
      `INSERT INTO ${table} (${columns.join(', ')})
       SELECT ${columns.join(', ')} FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb)
       ON CONFLICT (${keyColumns.join(', ')}) DO UPDATE
       SET (${updated.join(', ')}) = ROW(${updated.map((column) => `EXCLUDED.${column}`).join(', ')})
       WHERE ${table}.version <= EXCLUDED.version`,
      [JSON.stringify(rows)],
    );
  }
}
