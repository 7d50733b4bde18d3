import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Registered sources (their events are in the log; this is the inline read model written with each
 * registration, `registered_at` being that statement's time, as the event's `recorded_at` is) and the index that finds every development citing a source. A source's text is looked
 * up by its digest, which is unique: the same text registered twice is one source.
 */
export class Sources1763870000000 implements MigrationInterface {
  name = 'Sources1763870000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE sources (
        id text PRIMARY KEY,
        title text NOT NULL,
        publisher text,
        url text,
        published_at date,
        language text,
        sha256 text,
        text text,
        text_length integer,
        supersedes text,
        registered_at timestamptz NOT NULL DEFAULT now(),
        registered_by text NOT NULL,
        search tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', coalesce(publisher, '')), 'B')
        ) STORED
      )`);
    await db.query(`CREATE UNIQUE INDEX sources_sha256 ON sources (sha256) WHERE text IS NOT NULL`);
    await db.query(`CREATE INDEX sources_publisher ON sources (publisher)`);
    await db.query(`CREATE INDEX sources_supersedes ON sources (supersedes) WHERE supersedes IS NOT NULL`);
    await db.query(`CREATE INDEX sources_search ON sources USING gin (search)`);
    await db.query(`
      CREATE INDEX events_source_citations ON events ((data -> 'source' ->> 'sourceId'))
      WHERE data -> 'source' ->> 'sourceId' IS NOT NULL`);
    // Retractions and corrections, newest first, for the public corrections log.
    await db.query(`
      CREATE INDEX events_corrections ON events (recorded_at DESC)
      WHERE type IN ('EntryRetracted', 'ProposalCorrected')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX events_corrections`);
    await db.query(`DROP INDEX events_source_citations`);
    await db.query(`DROP TABLE sources`);
  }
}
