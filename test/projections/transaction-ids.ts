import { Client, type Pool } from 'pg';
import type { TestDatabase } from '../support/test-database.js';

/**
 * Moves a database's transaction-id counter on, cheaply: a procedure that runs `count` empty transactions
 * (each takes an id and commits), server-side, so no round trip per transaction. On PostgreSQL it runs on
 * a dedicated connection of its own, with synchronous commit off for that session only (no transaction
 * writes anything worth waiting for); on the embedded engine, on the app's one connection.
 */
export class TransactionIdCounter {
  private constructor(
    private readonly run: (sql: string) => Promise<{ rows: { next?: string }[] }>,
    private readonly end: () => Promise<void>,
  ) {}

  static async open(pool: Pool, database: TestDatabase): Promise<TransactionIdCounter> {
    await pool.query(`
      CREATE PROCEDURE consume_transaction_ids(count int) LANGUAGE plpgsql AS $$
      BEGIN
        FOR i IN 1..count LOOP
          PERFORM pg_current_xact_id();
          COMMIT;
        END LOOP;
      END $$`);
    if (database.engineName === 'embedded') {
      return new TransactionIdCounter(
        (sql) => pool.query(sql),
        async () => undefined,
      );
    }
    const client = new Client({ connectionString: database.env.DATABASE_URL });
    await client.connect();
    await client.query('SET synchronous_commit = off');
    return new TransactionIdCounter(
      (sql) => client.query(sql),
      () => client.end(),
    );
  }

  /** The id the next transaction to take one will get (ids are cluster-wide on PostgreSQL). */
  async next(): Promise<bigint> {
    const { rows } = await this.run('SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS next');
    return BigInt(rows[0].next as string);
  }

  /** Consumes ids until the next one is at least `target`; returns how many this connection consumed. */
  async advanceTo(target: bigint): Promise<number> {
    let consumed = 0;
    for (let next = await this.next(); next < target; next = await this.next()) {
      const count = Number(target - next);
      await this.run(`CALL consume_transaction_ids(${count})`);
      consumed += count;
    }
    return consumed;
  }

  close(): Promise<void> {
    return this.end();
  }
}

/** The power of ten above `id`: where its decimal text gains a digit. */
export function nextPowerOfTen(id: bigint): bigint {
  let boundary = 10n;
  while (boundary <= id) boundary *= 10n;
  return boundary;
}
