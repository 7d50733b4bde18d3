import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../../../database/database.module.js';
import type { CommitmentKind } from '../../domain/commitment.events.js';
import type { CommitmentSnapshot } from '../../domain/commitment.snapshot.js';
import type { CommitmentStatus } from '../../domain/status-rules.js';

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

/** Lists of the `commitment_status` read model; straight SQL, no domain in between. */
@Injectable()
export class CommitmentStatusQueries {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Snapshots in id order, one more than `limit` so the caller knows whether a next page exists. */
  async list(filters: CommitmentListFilters): Promise<CommitmentSnapshot[]> {
    const { where, param, values } = filterSql(filters);
    if (filters.after) where.push(`id > ${param(filters.after)}`);
    const limit = filters.limit === null ? '' : `LIMIT ${param(filters.limit + 1)}`;
    const { rows } = await this.pool.query<{ snapshot: CommitmentSnapshot }>(
      `SELECT snapshot FROM commitment_status ${whereClause(where)} ORDER BY id ${limit}`,
      values,
    );
    return rows.map((row) => row.snapshot);
  }

  /** How many commitments match the filters (the status filter left out), per status on `today`. */
  async countByStatus(filters: CommitmentCountFilters): Promise<Map<CommitmentStatus, number>> {
    const { where, values } = filterSql(filters);
    values.push(filters.today);
    const { rows } = await this.pool.query<{ status: CommitmentStatus; count: string }>(
      `SELECT ${timelineValue('status_since', 'statuses', `$${values.length}::date`)} AS status, count(*) AS count
       FROM commitment_status ${whereClause(where)} GROUP BY 1`,
      values,
    );
    return new Map(rows.map((row) => [row.status, Number(row.count)]));
  }
}

/** The filters both reads share: every list filter but the page. */
export type CommitmentCountFilters = Omit<CommitmentListFilters, 'status' | 'after' | 'limit'>;

function filterSql(filters: CommitmentCountFilters & { readonly status?: CommitmentStatus }) {
  const where: string[] = [];
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  // Status and overdue-ness change with the calendar: the rows hold them as timelines written by the
  // domain's rules, and the query only picks the value for the day it runs on.
  const today = () => `${param(filters.today)}::date`;
  if (filters.status)
    where.push(`${timelineValue('status_since', 'statuses', today())} = ${param(filters.status)}`);
  if (filters.overdue !== undefined)
    where.push(`${timelineValue('overdue_since', 'overdues', today())} = ${param(filters.overdue)}`);
  if (filters.party) where.push(`parties @> ARRAY[${param(filters.party)}::text]`);
  if (filters.topic) where.push(`topics @> ARRAY[${param(filters.topic)}::text]`);
  if (filters.kind) where.push(`kind = ${param(filters.kind)}`);
  if (filters.q) where.push(`search @@ websearch_to_tsquery('english', ${param(filters.q)})`);
  return { where, values, param };
}

/**
 * `timeline_value(since, values, day)`, with the common case answered inline: a timeline of one entry
 * (a commitment whose status, or overdue-ness, never changes with the calendar) holds its only value on
 * every day. Skipping the function call there spares a filter or a count one SQL function call per row,
 * most of such a query's time on the embedded engine.
 */
function timelineValue(since: string, values: string, day: string): string {
  return `(CASE WHEN cardinality(${values}) = 1 THEN ${values}[1] ELSE timeline_value(${since}, ${values}, ${day}) END)`;
}

function whereClause(where: readonly string[]): string {
  return where.length ? `WHERE ${where.join(' AND ')}` : '';
}
