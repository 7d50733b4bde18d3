import fs from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { BACKGROUND_POOL } from '../database/database.module.js';
import { EventStore } from '../event-store/event-store.js';
import type { RecordedEvent } from '../event-store/event-store.types.js';
import { ExportDigest } from '../event-store/log-export-format.js';
import { type LogRestoreSession, restoreIntoEmptyLog } from '../event-store/log-restore.js';
import { inlineWritesOfStream } from '../event-store/stream-kinds.js';
import { byteLines } from '../imports/byte-lines.js';
import { ProjectionRebuilds } from '../projections/projection-rebuilds.js';
import { ProjectionSupervisor } from '../projections/projection-supervisor.js';
import { checkedEventLine, checkExportDigest, ExportFileError } from './export-file.js';
import { type HeldEvent, HeldStreams, type RestoredStream } from './held-streams.js';

/** Events per INSERT: a batch is one JSON array the server unpacks. */
const EVENTS_PER_INSERT = 5000;
/**
 * Export bytes whose events are kept to fold their streams from memory (see {@link HeldStreams}): a log
 * of about 150,000 events is never read back. Parsed, held events take about 1.4 times their text, so at most about 180 MiB.
 */
const HELD_BYTES = 128 * 1024 * 1024;
/** Streams folded (and, when let go, read back) per step. */
const STREAMS_PER_FOLD = 500;
const MAX_LINE_BYTES = 16 * 1024 * 1024;

/** How a restore batches its work; the defaults suit any file (tests make both small to cover every path). */
export interface RestoreTuning {
  readonly eventsPerInsert?: number;
  readonly heldBytes?: number;
}

/** A held event of the batch being gathered, by its index in the batch (its position comes with the insert). */
interface HeldInBatch {
  readonly index: number;
  readonly event: HeldEvent;
}

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
 * from its kind's own fold of its events, as an append derives them from the writer's state. Any refusal rolls everything back.
 * The asynchronous read models are then rebuilt. This process's projection runners are paused meanwhile:
 * on the embedded engine the restore holds the only connection.
 */
@Injectable()
export class LogRestorer {
  /** On the background pool: the restore is one long transaction, past any request's limits. */
  constructor(
    @Inject(BACKGROUND_POOL) private readonly pool: Pool,
    private readonly store: EventStore,
    private readonly supervisor: ProjectionSupervisor,
    private readonly rebuilds: ProjectionRebuilds,
  ) {}

  async restore(
    path: string,
    onProgress?: (progress: RestoreProgress) => void,
    tuning: RestoreTuning = {},
  ): Promise<RestoreOutcome> {
    const size = fs.statSync(path).size;
    const trailer = await checkExportDigest(path, (bytes) =>
      onProgress?.({ phase: 'checking', done: bytes, total: size }),
    );
    await this.supervisor.stop();
    let restored: { events: number; streams: number };
    try {
      restored = await restoreIntoEmptyLog(this.pool, this.store.streamKinds, async (session) => {
        const streams = new HeldStreams(tuning.heldBytes ?? HELD_BYTES);
        const events = await this.writeEvents(
          session,
          { path, sha256: trailer.sha256, eventsPerInsert: tuning.eventsPerInsert ?? EVENTS_PER_INSERT },
          streams,
          (done) => onProgress?.({ phase: 'writing', done, total: trailer.events }),
        );
        // The server re-creates the idempotency records while the first streams are folded here.
        const keys = session.recreateIdempotencyRecords();
        keys.catch(() => undefined);
        await this.writeInlineRows(session, streams, (done, total) =>
          onProgress?.({ phase: 'folding', done, total }),
        );
        await keys;
        return { events, streams: streams.streamCount };
      });
    } finally {
      await this.supervisor.start();
    }
    const { jobId } = await this.rebuilds.request('restore');
    this.supervisor.announceNewEvents();
    return { ...restored, rebuildJobId: jobId };
  }

  /** Inserts the file's events in its order, checking each line and the digest as it goes; holds what `streams` takes. */
  private async writeEvents(
    session: LogRestoreSession,
    file: { readonly path: string; readonly sha256: string; readonly eventsPerInsert: number },
    streams: HeldStreams,
    onProgress: (events: number) => void,
  ): Promise<number> {
    const digest = new ExportDigest();
    const versions = new Map<string, number>();
    let batch: string[] = [];
    let held: HeldInBatch[] = [];
    let inserting: Promise<void> = Promise.resolve();
    let trailerSeen = false;
    const insert = (lines: readonly string[], heldEvents: readonly HeldInBatch[]) =>
      session.insertExported(`[${lines.join(',')}]`).then((positions) => {
        for (const { index, event } of heldEvents) event.position = positions[index];
      });
    for await (const lines of byteLines(fs.createReadStream(file.path), MAX_LINE_BYTES)) {
      for (const line of lines) {
        if (trailerSeen) throw new ExportFileError(`line ${line.number} follows the digest line`);
        if (line.bytes.toString('latin1', 0, 10) === '{"format":') {
          trailerSeen = true;
          continue;
        }
        const text = line.bytes.toString('utf8');
        const { event, kind } = checkedEventLine(line.number, text, versions, this.store.streamKinds);
        digest.add(line.raw);
        batch.push(text);
        const heldEvent = streams.add(kind, event, line.raw.length);
        if (heldEvent) held.push({ index: batch.length - 1, event: heldEvent });
        if (batch.length >= file.eventsPerInsert) {
          // The server inserts a batch while the next one is read and checked here.
          await inserting;
          inserting = insert(batch, held);
          inserting.catch(() => undefined);
          batch = [];
          held = [];
          onProgress(digest.events);
        }
      }
    }
    await inserting;
    if (batch.length > 0) await insert(batch, held);
    onProgress(digest.events);
    // The file was checked before; it must not have changed since.
    if (!trailerSeen || digest.hex() !== file.sha256) {
      throw new ExportFileError('the file changed while it was being restored');
    }
    return digest.events;
  }

  /**
   * Every stream's inline read-model rows, from the fold of its events: the held streams' from memory,
   * the others' read back. A page is folded here while the server writes the previous one's rows.
   */
  private async writeInlineRows(
    session: LogRestoreSession,
    streams: HeldStreams,
    onProgress: (done: number, total: number) => void,
  ): Promise<void> {
    const total = streams.streamCount;
    let done = 0;
    let writing: Promise<void> = Promise.resolve();
    const foldAndWrite = async (
      page: readonly RestoredStream[],
      events: (streamId: string) => RecordedEvent[],
    ) => {
      const rows = new Map<string, object[]>();
      for (const { kind, streamId } of page) {
        for (const { projection, row } of inlineWritesOfStream(kind, events(streamId))) {
          const projectionRows = rows.get(projection) ?? [];
          projectionRows.push(row);
          rows.set(projection, projectionRows);
        }
      }
      await writing;
      writing = (async () => {
        for (const [projection, projectionRows] of rows)
          await session.writeInlineRows(projection, projectionRows);
      })();
      writing.catch(() => undefined);
      done += page.length;
      onProgress(done, total);
    };
    const held = streams.heldStreams();
    for (let start = 0; start < held.length; start += STREAMS_PER_FOLD) {
      await foldAndWrite(held.slice(start, start + STREAMS_PER_FOLD), (streamId) =>
        streams.eventsOf(streamId),
      );
    }
    const readBack = streams.readBackStreams();
    const read = (start: number) =>
      session.readStreams(readBack.slice(start, start + STREAMS_PER_FOLD).map(({ streamId }) => streamId));
    let next = readBack.length > 0 ? read(0) : null;
    for (let start = 0; start < readBack.length; start += STREAMS_PER_FOLD) {
      const page = await next!;
      // The next page is read while this one is folded.
      next = start + STREAMS_PER_FOLD < readBack.length ? read(start + STREAMS_PER_FOLD) : null;
      next?.catch(() => undefined);
      await foldAndWrite(
        readBack.slice(start, start + STREAMS_PER_FOLD),
        (streamId) => page.get(streamId) ?? [],
      );
    }
    await writing;
  }
}
