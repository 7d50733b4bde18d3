import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../../database/database.module.js';
import type { CommitmentStatus, CommitmentSnapshot } from '../commitment.decider.js';
import type { CommitmentKind } from '../commitment.events.js';

export interface CommitmentListFilters {
  readonly status?: CommitmentStatus;
  readonly party?: string;
  readonly topic?: string;
  readonly kind?: CommitmentKind;
  readonly overdue?: boolean;
  readonly q?: string;
  /** Only ids after this one (the cursor). */
  readonly after?: string;
  /** `null`: every matching row (the CSV export). */
  readonly limit: number | null;
  /** The day the date-dependent filters are evaluated on (YYYY-MM-DD, UTC). */
  readonly today: string;
}

/** Reads of the `commitment_status` read model; straight SQL, no domain in between (STYLE.md). */
@Injectable()
export class CommitmentStatusQueries {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async snapshot(commitmentId: string): Promise<CommitmentSnapshot | null> {
    const { rows } = await this.pool.query<{ snapshot: CommitmentSnapshot }>({
      name: 'commitment_status_snapshot',
      text: 'SELECT snapshot FROM commitment_status WHERE id = $1',
      values: [commitmentId],
    });
    return rows[0]?.snapshot ?? null;
  }

  /** Snapshots in id order, one more than `limit` so the caller knows whether a next page exists. */
  async list(filters: CommitmentListFilters): Promise<CommitmentSnapshot[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    const param = (value: unknown) => {
      values.push(value);
      return `$${values.length}`;
    };
    const today = () => param(filters.today);
    // Withdrawn-ness and overdue-ness change with the calendar, so they are computed here, not stored.
    const notWithdrawn = () => `(withdrawn_from IS NULL OR withdrawn_from > ${today()}::date)`;
    const isOverdue = () =>
      `(due_date < ${today()}::date AND base_status NOT IN ('completed', 'superseded') AND ${notWithdrawn()})`;

    if (filters.status === 'withdrawn') where.push(`withdrawn_from <= ${today()}::date`);
    else if (filters.status === 'completed' || filters.status === 'superseded')
      where.push(`base_status = ${param(filters.status)}`);
    else if (filters.status) where.push(`base_status = ${param(filters.status)} AND ${notWithdrawn()}`);
    if (filters.party) where.push(`parties @> ARRAY[${param(filters.party)}::text]`);
    if (filters.topic) where.push(`topics @> ARRAY[${param(filters.topic)}::text]`);
    if (filters.kind) where.push(`kind = ${param(filters.kind)}`);
    if (filters.overdue === true) where.push(isOverdue());
    if (filters.overdue === false) where.push(`NOT coalesce(${isOverdue()}, false)`);
    if (filters.q) where.push(`search @@ websearch_to_tsquery('english', ${param(filters.q)})`);
    if (filters.after) where.push(`id > ${param(filters.after)}`);

    const limit = filters.limit === null ? '' : `LIMIT ${param(filters.limit + 1)}`;
    const { rows } = await this.pool.query<{ snapshot: CommitmentSnapshot }>(
      `SELECT snapshot FROM commitment_status ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id ${limit}`,
      values,
    );
    return rows.map((row) => row.snapshot);
  }
}
