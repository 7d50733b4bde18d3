import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The party view lists every commitment a party is involved in, not only those it is a party to: rows
 * for proposers, witnesses and speakers, each with its `roles`. The read model is emptied and its
 * checkpoint reset, so the projection rebuilds it in the new shape (from snapshots that record
 * witnesses: the snapshot schema was raised with this change, so older ones are folded again).
 */
export class PartyRoles1763861200000 implements MigrationInterface {
  name = 'PartyRoles1763861200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`TRUNCATE party_commitments`);
    // Roles that do not depend on the day: 'proposer', 'witness', 'speaker'. Being a party does, and is
    // read from the participation timeline.
    await db.query(`ALTER TABLE party_commitments ADD COLUMN roles text[] NOT NULL DEFAULT '{}'`);
    await resetCheckpoint(db);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`TRUNCATE party_commitments`);
    await db.query(`ALTER TABLE party_commitments DROP COLUMN roles`);
    await resetCheckpoint(db);
  }
}

async function resetCheckpoint(db: QueryRunner): Promise<void> {
  await db.query(`
    UPDATE projection_checkpoints
    SET transaction_id = '0', global_position = 0, generation = generation + 1, events_applied = 0,
        updated_at = now()
    WHERE projection = 'party-commitments'`);
}
