import { createHash } from 'node:crypto';
import type { InlineProjectionDefinition } from './event-store.types.js';

/**
 * The append statements of the event store: the version check, the insert, the idempotency records and
 * each inline projection's upsert in one data-modifying statement with CTEs. One form, its input as typed
 * arrays, serves several events and a group of appends (group-commit.ts); a single event without a key of
 * its own, every API write, has typed scalar parameters of its own (see {@link appendOneSql}).
 *
 * Parameters, per append (one element each, at most one append per stream): $1 stream, $2 expected version
 * (null = any), $3/$4 idempotency key and request hash. Per event, in append order: $5 its append's number
 * (1-based), $6 its version within the append (1-based), $7 event id, $8 type, $9 data, $10 metadata,
 * $11 occurred at, $12/$13 its own idempotency key and request hash. Then, per inline projection, a JSON
 * array of rows, one per append; only the accepted appends' rows are written.
 *
 * One row per event, in the order given: its append's current version, its stream version and global
 * position (null when its append inserted nothing), and the idempotency record already stored for its own
 * key, if any (its append then inserted nothing).
 */
export function appendSql(projections: readonly InlineProjectionDefinition[]): string {
  // The version check filters the rows before the INSERT, so a refused append draws no position. The
  // arrays reach unnest through a subquery the planner may not flatten (OFFSET 0): seeing a parameter's
  // array, it would size every custom plan exactly and price the generic plan, which cannot know the
  // sizes, above them, and so plan the whole statement again on every execution.
  return `
    WITH appends AS (
      SELECT a.* FROM (SELECT $1::text[] AS s, $2::int[] AS e, $3::text[] AS k, $4::text[] AS h OFFSET 0) p
      CROSS JOIN LATERAL unnest(p.s, p.e, p.k, p.h) WITH ORDINALITY
        AS a(stream_id, expected, idempotency_key, request_hash, append_no)
    ), input AS (
      SELECT i.* FROM (
        SELECT $5::int[] AS a, $6::int[] AS v, $7::uuid[] AS id, $8::text[] AS t, $9::jsonb[] AS d,
               $10::jsonb[] AS m, $11::timestamptz[] AS o, $12::text[] AS k, $13::text[] AS h OFFSET 0) p
      CROSS JOIN LATERAL unnest(p.a, p.v, p.id, p.t, p.d, p.m, p.o, p.k, p.h) WITH ORDINALITY
        AS i(append_no, version_offset, event_id, type, data, metadata, occurred_at, idempotency_key,
             request_hash, ord)
    ), present AS (
      -- One index probe per key, whatever the plan cached for the table's size when it was prepared:
      -- LIMIT keeps the planner from turning this into a join that scans the whole key table.
      SELECT i.ord, i.append_no, k.*
      FROM input i CROSS JOIN LATERAL (
        SELECT k.idempotency_key AS key, k.request_hash, k.stream_id, k.result
        FROM idempotency_keys k WHERE k.idempotency_key = i.idempotency_key LIMIT 1) k
    ), checked AS (
      -- Scalar subqueries: one index probe per append each, never a join over the whole table.
      SELECT a.*, (SELECT coalesce(max(stream_version), 0) FROM events e WHERE e.stream_id = a.stream_id) AS version,
             (SELECT true FROM idempotency_keys k WHERE k.idempotency_key = a.idempotency_key) AS key_stored
      FROM appends a
    ), accepted AS (
      SELECT c.append_no, c.stream_id, c.version FROM checked c
      WHERE (c.expected IS NULL OR c.version = c.expected) AND c.key_stored IS NULL
        AND NOT EXISTS (SELECT 1 FROM present p WHERE p.append_no = c.append_no)
    ), inserted AS (
      INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata, occurred_at)
      SELECT i.event_id, a.stream_id, a.version + i.version_offset, i.type, i.data, i.metadata,
             coalesce(i.occurred_at, now())
      FROM input i JOIN accepted a ON a.append_no = i.append_no
      ORDER BY i.ord
      RETURNING event_id, stream_id, stream_version, global_position
    ), idempotency AS (
      -- An append's record holds all its events; one append per stream, so the stream names the append.
      INSERT INTO idempotency_keys (idempotency_key, request_hash, stream_id, result)
      SELECT c.idempotency_key, c.request_hash, c.stream_id, jsonb_build_object(
        'streamVersion', max(n.stream_version),
        'events', jsonb_agg(jsonb_build_object(
          'eventId', n.event_id, 'streamVersion', n.stream_version, 'globalPosition', n.global_position::text)
          ORDER BY n.stream_version))
      FROM checked c JOIN inserted n ON n.stream_id = c.stream_id
      WHERE c.idempotency_key IS NOT NULL
      GROUP BY c.append_no, c.idempotency_key, c.request_hash, c.stream_id
      UNION ALL
      SELECT i.idempotency_key, i.request_hash, n.stream_id, jsonb_build_object(
        'streamVersion', n.stream_version,
        'events', jsonb_build_array(jsonb_build_object(
          'eventId', n.event_id, 'streamVersion', n.stream_version, 'globalPosition', n.global_position::text)))
      FROM inserted n JOIN input i ON i.event_id = n.event_id
      WHERE i.idempotency_key IS NOT NULL
      RETURNING 1
    )${projectionCtes(projections, 14, 'arrays')}
    SELECT c.version AS current_version, n.stream_version, n.global_position::text AS global_position,
           p.key AS present_key, p.request_hash AS present_request_hash, p.stream_id AS present_stream_id,
           p.result AS present_result
    FROM input i JOIN checked c ON c.append_no = i.append_no
    LEFT JOIN inserted n ON n.event_id = i.event_id
    LEFT JOIN present p ON p.ord = i.ord
    ORDER BY i.ord`;
}

/**
 * One event without an idempotency key of its own, the array form's parameters as scalars: the same rows
 * as {@link appendSql} (never a stored record of the event's key), for less than its cost per append —
 * parsing thirteen arrays and planning their joins weighs on a statement that writes one row.
 * Parameters: $1 stream, $2 expected version (null = any), $3/$4 idempotency key and request hash,
 * $5 event id, $6 type, $7 data, $8 metadata, $9 occurred at; $10… each projection's row.
 */
export function appendOneSql(projections: readonly InlineProjectionDefinition[]): string {
  return `
    WITH current_version AS (
      SELECT coalesce(max(stream_version), 0) AS version FROM events WHERE stream_id = $1
    ), inserted AS (
      INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata, occurred_at)
      SELECT $5::uuid, $1, version + 1, $6, $7::jsonb, $8::jsonb, coalesce($9::timestamptz, now())
      FROM current_version WHERE $2::int IS NULL OR version = $2::int
      RETURNING stream_version, global_position
    ), idempotency AS (
      INSERT INTO idempotency_keys (idempotency_key, request_hash, stream_id, result)
      SELECT $3, $4, $1, jsonb_build_object(
        'streamVersion', stream_version,
        'events', jsonb_build_array(jsonb_build_object(
          'eventId', $5::uuid, 'streamVersion', stream_version, 'globalPosition', global_position::text)))
      FROM inserted WHERE $3::text IS NOT NULL
      RETURNING 1
    )${projectionCtes(projections, 10, 'one')}
    SELECT c.version AS current_version, i.stream_version, i.global_position::text AS global_position
    FROM current_version c LEFT JOIN inserted i ON true`;
}

/**
 * One upsert per inline projection, each taking its rows from parameter `firstParam + index`: for the array
 * form, a JSON array of rows, one per append in the statement's order, of which only the accepted appends'
 * rows are written; for the single-event statement, the one row, written when the event was inserted.
 */
function projectionCtes(
  projections: readonly InlineProjectionDefinition[],
  firstParam: number,
  form: AppendForm,
): string {
  return projections
    .map((definition, index) => {
      const columns = definition.columns.join(', ');
      const updated = definition.columns.filter((c) => !definition.keyColumns.includes(c));
      const param = `$${firstParam + index}::jsonb`;
      const rows =
        form === 'one'
          ? `SELECT ${columns} FROM jsonb_populate_record(NULL::${definition.table}, ${param})
      WHERE EXISTS (SELECT 1 FROM inserted)`
          : `SELECT ${definition.columns.map((c) => `r.${c}`).join(', ')}
      FROM jsonb_array_elements(${param}) WITH ORDINALITY AS p(projection_row, append_no)
      CROSS JOIN LATERAL jsonb_populate_record(NULL::${definition.table}, p.projection_row) r
      WHERE p.append_no IN (SELECT a.append_no FROM accepted a)`;
      return `, projection_${index} AS (
      INSERT INTO ${definition.table} (${columns})
      ${rows}
      ON CONFLICT (${definition.keyColumns.join(', ')}) DO UPDATE
      SET (${updated.join(', ')}) = ROW(${updated.map((c) => `EXCLUDED.${c}`).join(', ')})
      RETURNING 1)`;
    })
    .join('');
}

export type AppendForm = 'one' | 'arrays';

export interface AppendStatement {
  readonly name: string;
  readonly text: string;
}

/**
 * The append statement for each set of inline projections an append writes, built once. Shared by the
 * stores of one registration (see `EventStore.through`), which read the registrations it is given.
 */
export class AppendStatements {
  private readonly statements = new Map<string, AppendStatement>();

  constructor(private readonly projections: ReadonlyMap<string, InlineProjectionDefinition>) {}

  /** `one`: the single-event statement ({@link appendOneSql}); `arrays`: the general one ({@link appendSql}). */
  for(projectionNames: readonly string[], form: AppendForm): AppendStatement {
    const cacheKey = `${form}:${projectionNames.join(',')}`;
    let statement = this.statements.get(cacheKey);
    if (!statement) {
      const definitions = projectionNames.map((name) => {
        const definition = this.projections.get(name);
        if (!definition) throw new Error(`no inline projection registered as ${name}`);
        return definition;
      });
      const text = form === 'one' ? appendOneSql(definitions) : appendSql(definitions);
      // Named by its text: stores of different registrations may share a pool (and its prepared statements).
      statement = { name: `es_append_${createHash('sha256').update(text).digest('hex').slice(0, 20)}`, text };
      this.statements.set(cacheKey, statement);
    }
    return statement;
  }
}
