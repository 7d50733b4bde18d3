import { randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.module.js';
import { EventStore } from '../event-store/event-store.js';
import { ConcurrencyError } from '../event-store/event-store.errors.js';
import { type RegisteredSource, SOURCE_STREAM_KIND } from './source-catalogue.projection.js';
import { type SourceRegistered, sourceStreamId } from './source.events.js';
import { digestOf, findQuote } from './source-text.js';
import { QuoteNotInSourceError, SourceIdTakenError, UnknownSourceCitedError } from './sources.errors.js';

/** A source as the API shows it; `text` only when asked for. */
export interface SourceView {
  readonly id: string;
  readonly title: string;
  readonly publisher: string | null;
  readonly url: string | null;
  readonly publishedAt: string | null;
  readonly language: string | null;
  readonly sha256: string | null;
  /** Whether the tracker holds the text, and so can check quotes against it. */
  readonly hasText: boolean;
  readonly textLength: number | null;
  readonly supersedes: string | null;
  readonly supersededBy: string[];
  readonly registeredAt: string;
  readonly registeredBy: string;
  readonly text?: string;
}

export type NewSource = Omit<SourceRegistered['data'], 'id' | 'sha256'> & {
  readonly id?: string;
  readonly sha256?: string;
};

export interface SourceListFilters {
  readonly publisher?: string;
  readonly q?: string;
  readonly after?: string;
  readonly limit: number;
}

interface SourceRow {
  id: string;
  title: string;
  publisher: string | null;
  url: string | null;
  published_at: string | null;
  language: string | null;
  sha256: string | null;
  has_text: boolean;
  text_length: number | null;
  supersedes: string | null;
  superseded_by: string[];
  registered_at: Date;
  registered_by: string;
  text?: string | null;
}

const COLUMNS = `id, title, publisher, url, to_char(published_at, 'YYYY-MM-DD') AS published_at, language, sha256,
  text IS NOT NULL AS has_text, text_length, supersedes, registered_at, registered_by,
  ARRAY(SELECT s.id FROM sources s WHERE s.supersedes = sources.id ORDER BY s.id) AS superseded_by`;

/**
 * Registered sources: each is an event in the log (`SourceRegistered`), written with its row of the
 * `sources` catalogue in one statement. The same text registered again is the source already registered:
 * a source with text gets its id from the text's digest unless the analyst names one.
 */
@Injectable()
export class SourcesService implements OnModuleInit {
  constructor(
    private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  onModuleInit(): void {
    this.store.registerStreamKind(SOURCE_STREAM_KIND);
  }

  /** Registers a source; `created` is false when its text was registered already (nothing appended). */
  async register(
    source: NewSource,
    metadata: { recordedBy: string; correlationId?: string },
  ): Promise<{ source: SourceView; created: boolean }> {
    const sha256 = source.text === undefined ? source.sha256 : digestOf(source.text);
    if (source.text !== undefined) {
      const existing = await this.byDigest(sha256 as string);
      if (existing) return { source: existing, created: false };
    }
    if (source.supersedes !== undefined && !(await this.get(source.supersedes))) {
      throw new UnknownSourceCitedError(source.supersedes, 'superseded');
    }
    const id = source.id ?? `s-${sha256?.slice(0, 16) ?? randomBytes(8).toString('hex')}`;
    const event: SourceRegistered = {
      type: 'SourceRegistered',
      data: { ...source, id, ...(sha256 === undefined ? {} : { sha256 }) },
    };
    const state: RegisteredSource = { registration: event.data, registeredBy: metadata.recordedBy };
    try {
      await this.store.appendToStream(sourceStreamId(id), [{ type: event.type, data: event.data }], {
        expectedVersion: 'no_stream',
        metadata,
        state,
      });
    } catch (error) {
      // Lost to a registration of the same text (the catalogue's digest is unique), or the id is taken.
      if (!(error instanceof ConcurrencyError)) throw error;
      const same = sha256 === undefined ? null : await this.byDigest(sha256);
      if (same && source.text !== undefined) return { source: same, created: false };
      throw new SourceIdTakenError(id);
    }
    return { source: (await this.get(id)) as SourceView, created: true };
  }

  async get(id: string, includeText = false): Promise<SourceView | null> {
    const { rows } = await this.pool.query<SourceRow>(
      `SELECT ${COLUMNS}${includeText ? ', text' : ''} FROM sources WHERE id = $1`,
      [id],
    );
    return rows.length === 0 ? null : viewOf(rows[0]);
  }

  /** Sources in id order, one more than `limit` so the caller knows whether a next page exists. */
  async list(filters: SourceListFilters): Promise<SourceView[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    const param = (value: unknown) => {
      values.push(value);
      return `$${values.length}`;
    };
    if (filters.publisher) where.push(`publisher = ${param(filters.publisher)}`);
    if (filters.q) where.push(`search @@ websearch_to_tsquery('simple', ${param(filters.q)})`);
    if (filters.after) where.push(`id > ${param(filters.after)}`);
    const { rows } = await this.pool.query<SourceRow>(
      `SELECT ${COLUMNS} FROM sources ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY id LIMIT ${param(filters.limit + 1)}`,
      values,
    );
    return rows.map(viewOf);
  }

  /**
   * Checks a development's quote against the cited source: whether it could be verified (the source has
   * text) — or a refusal when the source is unknown, or has text that does not contain the quote.
   */
  async verifyCitation(sourceId: string, quote: string | undefined): Promise<{ quoteVerified: boolean }> {
    const { rows } = await this.pool.query<{ text: string | null }>({
      name: 'sources_text',
      text: 'SELECT text FROM sources WHERE id = $1',
      values: [sourceId],
    });
    return checkCitation(sourceId, rows[0], quote);
  }

  /**
   * {@link verifyCitation} for many citations of these sources, with their texts read in one query: an
   * import checks a batch's citations without a round trip per line.
   */
  async citationChecker(sourceIds: Iterable<string>): Promise<CitationChecker> {
    const ids = [...new Set(sourceIds)];
    const { rows } =
      ids.length === 0
        ? { rows: [] }
        : await this.pool.query<{ id: string; text: string | null }>(
            'SELECT id, text FROM sources WHERE id = ANY($1::text[])',
            [ids],
          );
    const found = new Map(rows.map((row) => [row.id, row]));
    return (sourceId, quote) => checkCitation(sourceId, found.get(sourceId), quote);
  }

  private async byDigest(sha256: string): Promise<SourceView | null> {
    const { rows } = await this.pool.query<SourceRow>(
      `SELECT ${COLUMNS} FROM sources WHERE sha256 = $1 AND text IS NOT NULL`,
      [sha256],
    );
    return rows.length === 0 ? null : viewOf(rows[0]);
  }
}

/** Whether a quote could be verified in the cited source; throws when it is unknown or does not hold the quote. */
export type CitationChecker = (sourceId: string, quote: string | undefined) => { quoteVerified: boolean };

function checkCitation(
  sourceId: string,
  source: { readonly text: string | null } | undefined,
  quote: string | undefined,
): { quoteVerified: boolean } {
  if (source === undefined) throw new UnknownSourceCitedError(sourceId, 'cited');
  if (quote === undefined || source.text === null) return { quoteVerified: false };
  const search = findQuote(source.text, quote);
  if (!search.found) throw new QuoteNotInSourceError(sourceId, search.closest);
  return { quoteVerified: true };
}

function viewOf(row: SourceRow): SourceView {
  return {
    id: row.id,
    title: row.title,
    publisher: row.publisher,
    url: row.url,
    publishedAt: row.published_at,
    language: row.language,
    sha256: row.sha256,
    hasText: row.has_text,
    textLength: row.text_length,
    supersedes: row.supersedes,
    supersededBy: row.superseded_by,
    registeredAt: row.registered_at.toISOString(),
    registeredBy: row.registered_by,
    ...(typeof row.text === 'string' ? { text: row.text } : {}),
  };
}
