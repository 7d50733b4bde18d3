import type { LoggerService } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import type { EventStore } from '../../src/event-store/event-store.js';
import type { RecordedEvent } from '../../src/event-store/event-store.types.js';
import type { PreparedWrite, Projection } from '../../src/projections/projection.js';
import { toRecordedCommitmentEvent } from '../../src/commitments/stream/commitment.stream.js';
import { foldCommitment } from '../../src/commitments/domain/commitment.fold.js';
import { FOLLOW_UPS_READ_MODEL } from '../../src/commitments/read-models/follow-ups/follow-ups.projection.js';
import { PARTY_COMMITMENTS_READ_MODEL } from '../../src/commitments/read-models/parties/party-commitments.projection.js';
import { CommitmentSnapshotStore } from '../../src/commitments/read-models/commitment-status/commitment-snapshot-store.js';
import { StreamStateProjection } from '../../src/projections/stream-state.projection.js';
import type { VerificationReport } from '../../src/projections/read-model-verifier.js';
import { bearer, type TestApp } from '../support/test-app.js';

export const SILENT_LOGGER: LoggerService = {
  log: () => undefined,
  error: () => undefined,
  warn: () => undefined,
};

/**
 * Waits until every committed event is readable in commit-safe order. The log is read below the oldest
 * transaction still running on the whole server (xids are cluster-wide), so a suite running beside this
 * one can hold committed events back for a moment; a test that expects them all must wait for that.
 */
export async function logSettled(pool: Pool, timeoutMs = 30_000): Promise<void> {
  await eventually(async () => {
    const { rows } = await pool.query<{ settled: boolean }>(
      `SELECT coalesce(max(transaction_id) < pg_snapshot_xmin(pg_current_snapshot()), true) AS settled FROM events`,
    );
    return rows[0].settled ? true : undefined;
  }, timeoutMs);
}

/**
 * Reads until the reading equals `expected` (as JSON), or gives the last reading after `timeoutMs` for the
 * assertion to report. Asynchronous read models pass through intermediate states: waiting for a count
 * can stop on one of them.
 */
export async function settledReading<T>(
  read: () => Promise<T>,
  expected: unknown,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (JSON.stringify(value) === JSON.stringify(expected) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Waits until every projection of a test app is live and has applied every committed event. */
export async function projectionsLive(app: TestApp, timeoutMs = 60_000): Promise<void> {
  await eventually(async () => {
    const res = await app.http.get('/admin/projections').set('Authorization', bearer(app.keys.admin));
    if (res.status !== 200) throw new Error(`GET /admin/projections: ${res.status} ${res.text}`);
    const projections = (res.body as { projections: { state: string; lag: { events: number } }[] })
      .projections;
    return projections.every((p) => p.state === 'live' && p.lag.events === 0) ? true : undefined;
  }, timeoutMs);
}

/** `GET /admin/projections/verify` as admin: the audit's report. */
export async function verifyOverHttp(app: TestApp, query = ''): Promise<VerificationReport> {
  const res = await app.http
    .get(`/admin/projections/verify${query}`)
    .set('Authorization', bearer(app.keys.admin));
  if (res.status !== 200) throw new Error(`GET /admin/projections/verify${query}: ${res.status} ${res.text}`);
  return res.body as VerificationReport;
}

/**
 * A projection that records every event it is handed, in a table where an event id can occur once:
 * a repeated event fails the batch, a lost one is missing from the table. `failNextWrite` makes the next
 * write die half-way, after inserting part of its batch, as a crash in the middle of a batch would.
 */
export class RecordingProjection implements Projection {
  readonly name = 'recording';
  readonly tables = ['recorded_events'];
  failNextWrite = false;

  static async createTable(pool: Pool): Promise<void> {
    await pool.query(
      `CREATE TABLE recorded_events (seq serial, event_id uuid PRIMARY KEY, position text NOT NULL)`,
    );
  }

  async prepare(batch: readonly RecordedEvent[]): Promise<PreparedWrite> {
    return {
      write: async (client: PoolClient) => {
        const rows = batch.map((event) => ({
          event_id: event.eventId,
          position: `${event.position.transactionId}-${event.position.globalPosition}`,
        }));
        const half = this.failNextWrite ? Math.ceil(rows.length / 2) : rows.length;
        await insert(client, rows.slice(0, half));
        if (this.failNextWrite) {
          this.failNextWrite = false;
          throw new Error('the process died in the middle of the batch');
        }
      },
      committed: () => undefined,
    };
  }

  forgetCachedState(): void {}
}

async function insert(
  client: PoolClient,
  rows: readonly { event_id: string; position: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO recorded_events (event_id, position)
     SELECT event_id, position FROM jsonb_to_recordset($1::jsonb) AS r(event_id uuid, position text)`,
    [JSON.stringify(rows)],
  );
}

export async function recordedEventIds(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ event_id: string }>(
    'SELECT event_id FROM recorded_events ORDER BY seq',
  );
  return rows.map((row) => row.event_id);
}

/** Every event id of the log, in commit-safe order. */
export async function logEventIds(store: EventStore): Promise<string[]> {
  const ids: string[] = [];
  let after = null;
  for (;;) {
    const { events, checkpoint } = await store.readAll({ after, limit: 5000 });
    if (events.length === 0) return ids;
    ids.push(...events.map((event) => event.eventId));
    after = checkpoint;
  }
}

export interface ReadModelDump {
  /** One JSON text per row, sorted: equal dumps mean equal tables. */
  readonly followUps: string[];
  readonly partyCommitments: string[];
}

/** The read models the app registers, as the commitment features register them. */
export function commitmentReadModelProjections(pool: Pool, store: EventStore): Projection[] {
  const snapshots = new CommitmentSnapshotStore(pool, store);
  return [
    new StreamStateProjection(pool, snapshots, FOLLOW_UPS_READ_MODEL),
    new StreamStateProjection(pool, snapshots, PARTY_COMMITMENTS_READ_MODEL),
  ];
}

const FOLLOW_UP_COLUMNS = [
  'commitment_id',
  'kind',
  'date',
  'note',
  'title',
  'status_since',
  'statuses',
  'reason_since',
  'reasons',
];
const PARTY_COLUMNS = [
  'party',
  'commitment_id',
  'title',
  'stance',
  'score',
  'participation_since',
  'participations',
  'status_since',
  'statuses',
];

function canonical(rows: readonly object[], columns: readonly string[]): string[] {
  return rows
    .map((row) => JSON.stringify(columns.map((column) => (row as Record<string, unknown>)[column])))
    .sort();
}

/** The read models' full contents, for comparing one build with another. */
export async function dumpReadModels(pool: Pool): Promise<ReadModelDump> {
  const followUps = await pool.query(
    `SELECT commitment_id, kind, date::text AS date, note, title, status_since::text AS status_since, statuses,
       reason_since::text AS reason_since, reasons
     FROM follow_up_items`,
  );
  const partyCommitments = await pool.query(
    `SELECT party, commitment_id, title, stance, score, participation_since::text AS participation_since,
       participations, status_since::text AS status_since, statuses FROM party_commitments`,
  );
  return {
    followUps: canonical(followUps.rows, FOLLOW_UP_COLUMNS),
    partyCommitments: canonical(partyCommitments.rows, PARTY_COLUMNS),
  };
}

/** A date array as PostgreSQL prints it. */
function dateArrayText(dates: readonly string[]): string {
  return `{${dates.join(',')}}`;
}

/** What the read models must contain for the log as it is, computed without any projector. */
export async function expectedReadModels(
  store: EventStore,
  streamIds: readonly string[],
): Promise<ReadModelDump> {
  const snapshots = [...(await store.readStreams(streamIds))].flatMap(([streamId, events]) => {
    const snapshot = foldCommitment(events.map(toRecordedCommitmentEvent));
    return snapshot === null ? [] : [{ streamId, snapshot }];
  });
  const followUps = snapshots.flatMap(({ streamId, snapshot }) =>
    FOLLOW_UPS_READ_MODEL.rowsOf(streamId, snapshot),
  );
  const partyCommitments = snapshots.flatMap(({ streamId, snapshot }) =>
    PARTY_COMMITMENTS_READ_MODEL.rowsOf(streamId, snapshot),
  );
  return {
    followUps: canonical(
      followUps.map((row) => ({
        ...row,
        status_since: dateArrayText(row.status_since),
        reason_since: dateArrayText(row.reason_since),
      })),
      FOLLOW_UP_COLUMNS,
    ),
    partyCommitments: canonical(
      partyCommitments.map((row) => ({
        ...row,
        participation_since: dateArrayText(row.participation_since),
        status_since: dateArrayText(row.status_since),
      })),
      PARTY_COLUMNS,
    ),
  };
}
