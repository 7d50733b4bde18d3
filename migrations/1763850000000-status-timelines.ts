import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Date-dependent facts (status, overdue, a follow-up's reason) are stored as timelines computed by the
 * domain's status rules, and queries only pick the value for the day they run on: no rule is restated
 * in SQL. `commitment_status` rows written before keep working: their `snapshot_schema` is older, so
 * the app folds those commitments again at start-up and on their next write. The asynchronous read
 * models are emptied and their checkpoints reset, so they are rebuilt in the new shape.
 */
export class StatusTimelines1763850000000 implements MigrationInterface {
  name = 'StatusTimelines1763850000000';

  async up(db: QueryRunner): Promise<void> {
    // values[i] holds from since[i] (since[1] is -infinity) until the next entry.
    await db.query(`
      CREATE FUNCTION timeline_value(since date[], vals anyarray, day date) RETURNS anyelement
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT vals[(SELECT max(i) FROM generate_subscripts(since, 1) AS i WHERE since[i] <= day)] $$`);

    await db.query(`DROP INDEX commitment_status_base_status`);
    await db.query(`DROP INDEX commitment_status_withdrawn_from`);
    await db.query(`ALTER TABLE commitment_status DROP COLUMN base_status, DROP COLUMN withdrawn_from`);
    await db.query(`
      ALTER TABLE commitment_status
        ADD COLUMN snapshot_schema integer NOT NULL DEFAULT 1,
        ADD COLUMN status_since date[],
        ADD COLUMN statuses text[],
        ADD COLUMN overdue_since date[],
        ADD COLUMN overdues boolean[]`);
    await db.query(`ALTER TABLE commitment_status ALTER COLUMN snapshot_schema DROP DEFAULT`);

    await db.query(`TRUNCATE follow_up_items, party_commitments`);
    await db.query(`
      ALTER TABLE follow_up_items
        ADD COLUMN reason_since date[] NOT NULL,
        ADD COLUMN reasons text[] NOT NULL`);
    await db.query(`
      UPDATE projection_checkpoints
      SET transaction_id = '0', global_position = 0, generation = generation + 1, events_applied = 0,
          updated_at = now()
      WHERE projection IN ('follow-ups', 'party-commitments')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`TRUNCATE follow_up_items, party_commitments`);
    await db.query(`ALTER TABLE follow_up_items DROP COLUMN reason_since, DROP COLUMN reasons`);
    await db.query(`
      UPDATE projection_checkpoints
      SET transaction_id = '0', global_position = 0, generation = generation + 1, events_applied = 0
      WHERE projection IN ('follow-ups', 'party-commitments')`);
    // The earlier columns, derived again from what the rows hold (the snapshot and the status timeline).
    await db.query(
      `ALTER TABLE commitment_status ADD COLUMN base_status text, ADD COLUMN withdrawn_from date`,
    );
    await db.query(`
      UPDATE commitment_status SET
        base_status = CASE
          WHEN snapshot->>'supersededBy' IS NOT NULL THEN 'superseded'
          WHEN snapshot->>'completedAt' IS NOT NULL THEN 'completed'
          WHEN snapshot->>'suspendedSince' IS NOT NULL THEN 'suspended'
          ELSE snapshot->>'stage' END,
        withdrawn_from = CASE WHEN statuses[cardinality(statuses)] = 'withdrawn'
          THEN status_since[cardinality(status_since)] END`);
    await db.query(`ALTER TABLE commitment_status ALTER COLUMN base_status SET NOT NULL`);
    await db.query(`
      ALTER TABLE commitment_status
        DROP COLUMN snapshot_schema, DROP COLUMN status_since, DROP COLUMN statuses,
        DROP COLUMN overdue_since, DROP COLUMN overdues`);
    await db.query(`CREATE INDEX commitment_status_base_status ON commitment_status (base_status)`);
    await db.query(
      `CREATE INDEX commitment_status_withdrawn_from ON commitment_status (withdrawn_from) WHERE withdrawn_from IS NOT NULL`,
    );
    await db.query(`DROP FUNCTION timeline_value(date[], anyarray, date)`);
  }
}
