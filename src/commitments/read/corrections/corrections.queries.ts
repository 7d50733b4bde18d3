import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../../../database/database.module.js';
import { type CommitmentEvent, describeDevelopment, upcast } from '../../domain/commitment.events.js';
import type {
  CorrectableDetails,
  CorrectionReason,
} from '../../domain/corrections/corrections.development-rules.js';
import { COMMITMENT_STREAM_PREFIX, commitmentStreamId } from '../../stream/commitment.stream.js';

/** One correction of the record: a retraction, or a correction of a proposal's details. */
export interface CorrectionEntry {
  readonly eventId: string;
  readonly commitmentId: string;
  readonly kind: 'retraction' | 'proposal-correction';
  readonly reason: CorrectionReason;
  readonly note: string | null;
  readonly recordedAt: string;
  readonly recordedBy: string | null;
  /** What was corrected: the retracted entry, or the proposal whose details changed. */
  readonly corrected: {
    readonly eventId: string;
    readonly type: string;
    readonly occurredAt: string;
    readonly summary: string;
  };
  /** A proposal correction's new values. */
  readonly corrections?: CorrectableDetails;
}

export interface CorrectionFilters {
  readonly since?: string;
  readonly commitmentId?: string;
  /** Only corrections recorded before this log position (the cursor). */
  readonly before?: string;
  readonly limit: number;
}

interface CorrectionRow {
  global_position: string;
  event_id: string;
  stream_id: string;
  type: 'EntryRetracted' | 'ProposalCorrected';
  data: unknown;
  recorded_at: Date;
  recorded_by: string | null;
  target_event_id: string | null;
  target_type: string | null;
  target_data: unknown;
  target_occurred_at: Date | null;
}

/**
 * The public corrections log: every retraction and correction of a proposal, newest first, read from the
 * log itself with what each corrected. Retractions recorded with a free-text reason read as `other`.
 */
@Injectable()
export class CorrectionsQueries {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Newest first, one more than `limit`; `position` of each is the cursor of the next page. */
  async list(filters: CorrectionFilters): Promise<{ entry: CorrectionEntry; position: string }[]> {
    const { rows } = await this.pool.query<CorrectionRow>({
      name: 'corrections_log',
      text: `SELECT c.global_position::text AS global_position, c.event_id, c.stream_id, c.type, c.data,
               c.recorded_at, c.metadata ->> 'recordedBy' AS recorded_by,
               t.event_id AS target_event_id, t.type AS target_type, t.data AS target_data,
               t.occurred_at AS target_occurred_at
             FROM events c
             LEFT JOIN events t ON t.stream_id = c.stream_id AND (
               (c.type = 'EntryRetracted' AND t.event_id::text = c.data ->> 'eventId')
               OR (c.type = 'ProposalCorrected' AND t.stream_version = 1))
             WHERE c.type IN ('EntryRetracted', 'ProposalCorrected') AND starts_with(c.stream_id, $1)
               AND ($2::text IS NULL OR c.stream_id = $2)
               AND ($3::timestamptz IS NULL OR c.recorded_at >= $3::timestamptz)
               AND ($4::bigint IS NULL OR c.global_position < $4::bigint)
             ORDER BY c.global_position DESC
             LIMIT $5`,
      values: [
        COMMITMENT_STREAM_PREFIX,
        filters.commitmentId === undefined ? null : commitmentStreamId(filters.commitmentId),
        filters.since ?? null,
        filters.before ?? null,
        filters.limit + 1,
      ],
    });
    return rows.map((row) => ({ entry: entryOf(row), position: row.global_position }));
  }
}

function entryOf(row: CorrectionRow): CorrectionEntry {
  const data = upcast(row.type, row.data) as {
    reason: CorrectionReason;
    note?: string;
    corrections?: CorrectableDetails;
  };
  const target =
    row.target_type === null
      ? null
      : ({ type: row.target_type, data: upcast(row.target_type, row.target_data) } as CommitmentEvent);
  return {
    eventId: row.event_id,
    commitmentId: row.stream_id.slice(COMMITMENT_STREAM_PREFIX.length),
    kind: row.type === 'EntryRetracted' ? 'retraction' : 'proposal-correction',
    reason: data.reason,
    note: data.note ?? null,
    recordedAt: row.recorded_at.toISOString(),
    recordedBy: row.recorded_by,
    corrected: {
      eventId: row.target_event_id ?? '',
      type: row.target_type ?? '',
      occurredAt: row.target_occurred_at?.toISOString() ?? '',
      summary: target === null ? '' : summaryOf(target),
    },
    ...(data.corrections === undefined ? {} : { corrections: data.corrections }),
  };
}

/** The entry's own summary when it has one, else what kind of entry it was. */
function summaryOf(event: CommitmentEvent): string {
  const summary = (event.data as { summary?: unknown }).summary;
  const described = describeDevelopment(event);
  return typeof summary === 'string'
    ? `${described[0].toUpperCase()}${described.slice(1)}: ${summary}`
    : described;
}
