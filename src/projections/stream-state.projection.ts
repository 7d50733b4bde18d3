import type { Pool, PoolClient } from 'pg';
import type { RecordedEvent } from '../event-store/event-store.types.js';
import { commitSafeEndOfLog } from '../event-store/log-snapshot.js';
import type { BuildFromLog, PreparedWrite, Projection } from './projection.js';
import { type ReadModelAudit, StreamRowsAudit } from './read-model-audit.js';
import { isAuditable, type StreamReadModel, type StreamStates } from './stream-read-model.js';

/** Past this many streams the memory of applied versions starts over: it only saves work, it decides nothing. */
const MAX_REMEMBERED_STREAMS = 200_000;
/** Rows per INSERT statement. */
const INSERT_CHUNK = 5_000;

/**
 * Runs a {@link StreamReadModel} as a catch-up projection. A batch costs, per stream it touches, one
 * state read and that stream's rows replaced, whatever the length of its history; a stream already
 * applied up to a version skips every later event up to it. From the start of the log (a rebuild, or a
 * new read model) it builds the read model in one pass over every stream's state, with the checkpoint
 * at the commit-safe end of the log taken before the pass, and goes on batch by batch from there. A
 * model that can read its rows back is audited too (see {@link StreamRowsAudit}).
 */
export class StreamStateProjection<Row, State> implements Projection {
  readonly audit: ReadModelAudit | undefined;
  private readonly appliedVersions = new Map<string, number>();

  /** `pool` reads the log's commit-safe end for a build from the log. */
  constructor(
    private readonly pool: Pool,
    private readonly states: StreamStates<State>,
    private readonly model: StreamReadModel<Row, State>,
  ) {
    this.audit = isAuditable(model) ? new StreamRowsAudit(states, model, model.name) : undefined;
  }

  get name(): string {
    return this.model.name;
  }

  get tables(): readonly string[] {
    return this.model.tables;
  }

  async prepare(batch: readonly RecordedEvent[]): Promise<PreparedWrite | null> {
    const streamIds = new Set<string>();
    for (const event of batch) {
      if (!event.streamId.startsWith(this.states.streamPrefix)) continue;
      if ((this.appliedVersions.get(event.streamId) ?? 0) >= event.streamVersion) continue;
      streamIds.add(event.streamId);
    }
    if (streamIds.size === 0) return null;
    const states = await this.states.load([...streamIds]);
    const rows: Row[] = [];
    for (const [streamId, { state }] of states) {
      if (state !== null) for (const row of this.model.rowsOf(streamId, state)) rows.push(row);
    }
    return {
      write: async (client) => {
        await this.model.deleteRows(client, [...streamIds]);
        await insertInChunks(this.model, client, rows);
      },
      committed: () => {
        if (this.appliedVersions.size > MAX_REMEMBERED_STREAMS) this.appliedVersions.clear();
        for (const [streamId, { version }] of states) this.appliedVersions.set(streamId, version);
      },
    };
  }

  async buildFromLog(): Promise<BuildFromLog | null> {
    // The end first: every state read after it covers everything up to it.
    const end = await commitSafeEndOfLog(this.pool);
    if (!end) return null;
    const rows: Row[] = [];
    const versions = new Map<string, number>();
    await this.states.forEach((streamId, { version, state }) => {
      versions.set(streamId, version);
      if (state !== null) for (const row of this.model.rowsOf(streamId, state)) rows.push(row);
    });
    return {
      position: end.position,
      events: end.events,
      write: async (client) => {
        // Empty already (the checkpoint stands at the start of the log); made sure of all the same.
        for (const table of this.model.tables) await client.query(`DELETE FROM ${table}`);
        await insertInChunks(this.model, client, rows);
      },
      committed: () => {
        this.appliedVersions.clear();
        if (versions.size > MAX_REMEMBERED_STREAMS) return;
        for (const [streamId, version] of versions) this.appliedVersions.set(streamId, version);
      },
    };
  }

  forgetCachedState(): void {
    this.appliedVersions.clear();
  }
}

async function insertInChunks<Row, State>(
  model: StreamReadModel<Row, State>,
  client: PoolClient,
  rows: readonly Row[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_CHUNK)
    await model.insertRows(client, rows.slice(start, start + INSERT_CHUNK));
}
