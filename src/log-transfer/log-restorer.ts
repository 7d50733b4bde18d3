import fs from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { BACKGROUND_POOL } from '../database/database.module.js';
import { EventStore } from '../event-store/event-store.js';
import type { InlineProjectionWrite } from '../event-store/event-store.types.js';
import { ExportDigest } from '../event-store/log-export-format.js';
import type { LogRestoreSession } from '../event-store/log-restore.js';
import { byteLines } from '../imports/byte-lines.js';
import { ProjectionRebuilds } from '../projections/projection-rebuilds.js';
import { ProjectionSupervisor } from '../projections/projection-supervisor.js';
import { checkedEventLine, checkExportDigest, ExportFileError } from './export-file.js';

/** Events per INSERT: a batch is one JSON array the server unpacks. */
const EVENTS_PER_INSERT = 5000;
/** Streams read back and folded per step. */
const STREAMS_PER_FOLD = 500;
const MAX_LINE_BYTES = 16 * 1024 * 1024;

export type RestorePhase = 'checking' | 'writing' | 'folding';

export interface RestoreProgress {
  readonly phase: RestorePhase;
  readonly done: number;
  readonly total: number;
}

export interface RestoreOutcome {
  readonly events: number;
  readonly streams: number;
  /** The rebuild of the asynchronous read models, requested once the restore committed. */
  readonly rebuildJobId: string;
}

/**
 * Restores an export into an empty database (README "Moving from the embedded engine to PostgreSQL"):
 * checks the file's digest first (a truncated or altered file is refused before anything is written),
 * then, in one transaction, inserts every event verbatim in the file's order, checks each line (a kind of
 * stream a feature registered and one of its event types, each stream whole and in order) and the digest
 * again as it goes, and writes each stream's inline read-model rows (a commitment's `commitment_status`)
 * from the fold of its events, as its feature gives them. Any refusal rolls everything back.
 * The asynchronous read models are then rebuilt. This process's projection runners are paused meanwhile:
 * on the embedded engine the restore holds the only connection.
 */
@Injectable()
export class LogRestorer {
  private readonly store: EventStore;

  /** On the background pool: the restore is one long transaction, past any request's limits. */
  constructor(
    @Inject(BACKGROUND_POOL) pool: Pool,
    store: EventStore,
    private readonly supervisor: ProjectionSupervisor,
    private readonly rebuilds: ProjectionRebuilds,
  ) {
    this.store = store.through(pool);
  }

  async restore(path: string, onProgress?: (progress: RestoreProgress) => void): Promise<RestoreOutcome> {
    const size = fs.statSync(path).size;
    const trailer = await checkExportDigest(path, (bytes) =>
      onProgress?.({ phase: 'checking', done: bytes, total: size }),
    );
    await this.supervisor.stop();
    let restored: { events: number; streams: number };
    try {
      restored = await this.store.restoreIntoEmptyLog(async (session) => {
        const events = await this.writeEvents(session, path, trailer.sha256, (done) =>
          onProgress?.({ phase: 'writing', done, total: trailer.events }),
        );
        const streams = await this.writeInlineRows(session, (done, total) =>
          onProgress?.({ phase: 'folding', done, total }),
        );
        return { events, streams };
      });
    } finally {
      await this.supervisor.start();
    }
    const { jobId } = await this.rebuilds.request('restore');
    this.supervisor.announceNewEvents();
    return { ...restored, rebuildJobId: jobId };
  }

  private async writeEvents(
    session: LogRestoreSession,
    path: string,
    sha256: string,
    onProgress: (events: number) => void,
  ): Promise<number> {
    const digest = new ExportDigest();
    const versions = new Map<string, number>();
    let batch: string[] = [];
    let inserting: Promise<void> = Promise.resolve();
    let trailerSeen = false;
    for await (const lines of byteLines(fs.createReadStream(path), MAX_LINE_BYTES)) {
      for (const line of lines) {
        if (trailerSeen) throw new ExportFileError(`line ${line.number} follows the digest line`);
        if (line.bytes.toString('latin1', 0, 10) === '{"format":') {
          trailerSeen = true;
          continue;
        }
        const text = line.bytes.toString('utf8');
        checkedEventLine(line.number, text, versions, this.store.streamKinds);
        digest.add(line.raw);
        batch.push(text);
        if (batch.length >= EVENTS_PER_INSERT) {
          // The server inserts a batch while the next one is read and checked here.
          await inserting;
          inserting = session.insertExported(`[${batch.join(',')}]`);
          inserting.catch(() => undefined);
          batch = [];
          onProgress(digest.events);
        }
      }
    }
    await inserting;
    if (batch.length > 0) await session.insertExported(`[${batch.join(',')}]`);
    onProgress(digest.events);
    // The file was checked before; it must not have changed since.
    if (!trailerSeen || digest.hex() !== sha256) {
      throw new ExportFileError('the file changed while it was being restored');
    }
    return digest.events;
  }

  /** Every registered kind's inline read-model rows, from the fold of each of its streams. */
  private async writeInlineRows(
    session: LogRestoreSession,
    onProgress: (done: number, total: number) => void,
  ): Promise<number> {
    const kinds = this.store.streamKinds;
    const streamIds = (
      await Promise.all(
        kinds.map(async (kind) => ({ kind, ids: await session.streamIdsStartingWith(kind.streamPrefix) })),
      )
    ).flatMap(({ kind, ids }) => ids.map((id) => ({ kind, id })));
    const read = (start: number) =>
      session.readStreams(streamIds.slice(start, start + STREAMS_PER_FOLD).map(({ id }) => id));
    let next = streamIds.length > 0 ? read(0) : null;
    for (let start = 0; start < streamIds.length; start += STREAMS_PER_FOLD) {
      const page = streamIds.slice(start, start + STREAMS_PER_FOLD);
      const streams = await next!;
      // The next page is read while this one is folded (the upsert below queues behind that read).
      next = start + STREAMS_PER_FOLD < streamIds.length ? read(start + STREAMS_PER_FOLD) : null;
      next?.catch(() => undefined);
      const rows = new Map<string, object[]>();
      for (const { kind, id } of page) {
        for (const write of kind.inlineRows(id, streams.get(id) ?? []) as InlineProjectionWrite[]) {
          const projectionRows = rows.get(write.projection) ?? [];
          projectionRows.push(write.row);
          rows.set(write.projection, projectionRows);
        }
      }
      for (const [projection, projectionRows] of rows)
        await session.writeInlineRows(projection, projectionRows);
      onProgress(Math.min(start + STREAMS_PER_FOLD, streamIds.length), streamIds.length);
    }
    return streamIds.length;
  }
}
