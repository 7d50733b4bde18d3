import type { Pool, PoolClient } from 'pg';
import type { EventStore } from '../event-store/event-store.js';
import type { RecordedEvent } from '../event-store/event-store.types.js';
import { commitSafeEndOfLog, forEachStreamUpTo, type LogEnd } from './log-snapshot.js';
import type { BuildFromLog, PreparedWrite, Projection } from './projection.js';

/** Past this many streams the memory of folded versions starts over: it only saves work, it decides nothing. */
const MAX_REMEMBERED_STREAMS = 200_000;
/** Past this many streams the folds kept for the other read models start over (a fold holds the stream). */
const MAX_SHARED_FOLDS = 20_000;
/** Rows per INSERT statement. */
const INSERT_CHUNK = 5_000;
/** How long a one-pass build keeps the rows of read models that have not taken theirs yet. */
const BUILD_KEPT_MS = 60_000;

/**
 * The state of one stream that read models derive their rows from. Folding the whole stream (rather than
 * applying events one by one) makes retractions and backdated entries come out right, and makes a
 * rebuild produce exactly what the live projection produced. Several read models share one fold.
 */
export interface StreamFold<Folded> {
  /** Every stream it follows has an id that starts with this (so a rebuild can read them all in one pass). */
  readonly streamPrefix: string;
  /** The state of one stream from all its events in version order; null when it yields no rows. */
  fold(streamId: string, events: readonly RecordedEvent[]): Folded | null;
}

/** A read model whose rows for a stream are a function of that stream's whole history (its fold). */
export interface StreamReadModel<Row, Folded> {
  readonly name: string;
  readonly tables: readonly string[];
  readonly fold: StreamFold<Folded>;
  /** The rows for one folded stream. */
  rowsOf(folded: Folded): Row[];
  /** The rows for one stream, from all its events in version order: `rowsOf` its fold. */
  rowsFor(streamId: string, events: readonly RecordedEvent[]): Row[];
  /** Deletes every row of `streamIds`. */
  deleteRows(client: PoolClient, streamIds: readonly string[]): Promise<void>;
  /** Inserts `rows` (a few thousand at most per call). */
  insertRows(client: PoolClient, rows: readonly Row[]): Promise<void>;
}

interface FoldedStream<Folded> {
  /** The version of the stream's last event folded (0: the stream does not exist). */
  readonly version: number;
  readonly folded: Folded | null;
}

interface OnePassBuild {
  readonly end: LogEnd;
  readonly rows: ReadonlyMap<string, unknown[]>;
  /** Each stream's last version up to `end`. */
  readonly versions: ReadonlyMap<string, number>;
}

/**
 * What the read models over one kind of stream share, so that a stream is read and folded once for all
 * of them rather than once per read model: the folds of the latest batches (a runner that folded a stream
 * leaves the fold for the others), and the one-pass build from the log that stands in for a replay.
 */
export class SharedStreamFolds<Folded> {
  private readonly recent = new Map<string, FoldedStream<Folded>>();
  private build: { readonly promise: Promise<OnePassBuild | null>; readonly waiting: Set<string> } | null =
    null;

  constructor(
    private readonly store: EventStore,
    readonly fold: StreamFold<Folded>,
    private readonly models: readonly StreamReadModel<unknown, Folded>[],
  ) {}

  follows(streamId: string): boolean {
    return streamId.startsWith(this.fold.streamPrefix);
  }

  /**
   * The fold of each stream, at least up to the version given for it. The store returns streams as they
   * are now, possibly ahead of those versions; a fold already made for another read model that reaches
   * the version serves as well (events are immutable: a stream's first n events always fold alike).
   */
  async foldsOf(needed: ReadonlyMap<string, number>): Promise<Map<string, FoldedStream<Folded>>> {
    const folds = new Map<string, FoldedStream<Folded>>();
    const missing: string[] = [];
    for (const [streamId, version] of needed) {
      const known = this.recent.get(streamId);
      if (known && known.version >= version) folds.set(streamId, known);
      else missing.push(streamId);
    }
    if (missing.length === 0) return folds;
    const streams = await this.store.readStreams(missing);
    if (this.recent.size + missing.length > MAX_SHARED_FOLDS) this.recent.clear();
    for (const streamId of missing) {
      const events = streams.get(streamId) ?? [];
      const folded: FoldedStream<Folded> =
        events.length === 0
          ? { version: 0, folded: null }
          : {
              version: events[events.length - 1].streamVersion,
              folded: this.fold.fold(streamId, events),
            };
      folds.set(streamId, folded);
      const known = this.recent.get(streamId);
      if (!known || known.version < folded.version) this.recent.set(streamId, folded);
    }
    return folds;
  }

  /**
   * `model`'s rows for the log up to its commit-safe end, from one pass over every stream that also
   * makes the other read models' rows: the first of them to ask starts the pass, the others take their
   * rows from it. Null when the log has no event a reader may see yet.
   */
  async buildFor(
    model: StreamReadModel<unknown, Folded>,
    pool: Pool,
  ): Promise<{ end: LogEnd; rows: unknown[]; versions: ReadonlyMap<string, number> } | null> {
    let build = this.build;
    if (!build?.waiting.has(model.name)) build = this.startBuild(pool);
    build.waiting.delete(model.name);
    if (build.waiting.size === 0 && this.build === build) this.build = null;
    const result = await build.promise;
    if (!result) return null;
    return { end: result.end, rows: result.rows.get(model.name) ?? [], versions: result.versions };
  }

  /** Forgets the folds kept for other read models. */
  forget(): void {
    this.recent.clear();
  }

  private startBuild(pool: Pool): { promise: Promise<OnePassBuild | null>; waiting: Set<string> } {
    const build = { promise: this.buildAll(pool), waiting: new Set(this.models.map((m) => m.name)) };
    this.build = build;
    const drop = () => {
      if (this.build === build) this.build = null;
    };
    build.promise.then(() => setTimeout(drop, BUILD_KEPT_MS).unref(), drop);
    return build;
  }

  private async buildAll(pool: Pool): Promise<OnePassBuild | null> {
    // The end first: the streams are then read up to it, so nothing beyond it is applied before the
    // checkpoint gets there, and everything up to it (a set that can no longer change) is.
    const end = await commitSafeEndOfLog(pool);
    if (!end) return null;
    const rows = new Map<string, unknown[]>(this.models.map((model) => [model.name, []]));
    const versions = new Map<string, number>();
    await forEachStreamUpTo(pool, this.fold.streamPrefix, end.position, (streamId, events) => {
      versions.set(streamId, events[events.length - 1].streamVersion);
      const folded = this.fold.fold(streamId, events);
      if (folded === null) return;
      for (const model of this.models) {
        const modelRows = rows.get(model.name) ?? [];
        for (const row of model.rowsOf(folded)) modelRows.push(row);
      }
    });
    return { end, rows, versions };
  }
}

/**
 * Runs a {@link StreamReadModel} as a catch-up projection: each stream with a new event in the batch is
 * read whole and folded once per batch (once for all the read models sharing the fold, when their runners
 * are in one process). A stream already folded up to a version covers every event up to it, so later
 * batches that only repeat those versions cost nothing. From the start of the log (a rebuild, or a new
 * read model) it does not replay: it builds the read model in one pass over the streams up to the
 * commit-safe end of the log, and goes on batch by batch from there.
 */
export class StreamStateProjection<Row, Folded> implements Projection {
  private readonly foldedVersions = new Map<string, number>();

  constructor(
    private readonly folds: SharedStreamFolds<Folded>,
    private readonly model: StreamReadModel<Row, Folded>,
  ) {}

  get name(): string {
    return this.model.name;
  }

  get tables(): readonly string[] {
    return this.model.tables;
  }

  async prepare(batch: readonly RecordedEvent[]): Promise<PreparedWrite | null> {
    const needed = new Map<string, number>();
    for (const event of batch) {
      if (!this.folds.follows(event.streamId)) continue;
      if ((this.foldedVersions.get(event.streamId) ?? 0) >= event.streamVersion) continue;
      needed.set(event.streamId, Math.max(needed.get(event.streamId) ?? 0, event.streamVersion));
    }
    if (needed.size === 0) return null;
    const folds = await this.folds.foldsOf(needed);
    const streamIds = [...needed.keys()];
    const rows: Row[] = [];
    for (const streamId of streamIds) {
      const folded = folds.get(streamId)?.folded ?? null;
      if (folded !== null) for (const row of this.model.rowsOf(folded)) rows.push(row);
    }
    return {
      write: async (client) => {
        await this.model.deleteRows(client, streamIds);
        await insertInChunks(this.model, client, rows);
      },
      committed: () => {
        if (this.foldedVersions.size > MAX_REMEMBERED_STREAMS) this.foldedVersions.clear();
        for (const [streamId, { version }] of folds) this.foldedVersions.set(streamId, version);
      },
    };
  }

  async buildFromLog(pool: Pool): Promise<BuildFromLog | null> {
    const build = await this.folds.buildFor(this.model, pool);
    if (!build) return null;
    const rows = build.rows as Row[];
    return {
      position: build.end.position,
      events: build.end.events,
      write: async (client) => {
        // Empty already (the checkpoint stands at the start of the log); made sure of all the same.
        for (const table of this.model.tables) await client.query(`DELETE FROM ${table}`);
        await insertInChunks(this.model, client, rows);
      },
      committed: () => {
        this.foldedVersions.clear();
        if (build.versions.size > MAX_REMEMBERED_STREAMS) return;
        for (const [streamId, version] of build.versions) this.foldedVersions.set(streamId, version);
      },
    };
  }

  forgetCachedState(): void {
    this.foldedVersions.clear();
  }
}

async function insertInChunks<Row, Folded>(
  model: StreamReadModel<Row, Folded>,
  client: PoolClient,
  rows: readonly Row[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_CHUNK)
    await model.insertRows(client, rows.slice(start, start + INSERT_CHUNK));
}

/** The catch-up projections of read models that share one stream fold. */
export function createStreamProjections<Folded>(
  store: EventStore,
  fold: StreamFold<Folded>,
  models: readonly StreamReadModel<unknown, Folded>[],
): Projection[] {
  const folds = new SharedStreamFolds(store, fold, models);
  return models.map((model) => new StreamStateProjection(folds, model));
}
