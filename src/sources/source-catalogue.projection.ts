import type { InlineProjectionDefinition, InlineProjectionWrite } from '../event-store/event-store.types.js';
import type { SourceRegistered } from './source.events.js';

/** `sources`: one row per registered source, written in the statement that appends its registration. */
export const SOURCE_CATALOGUE_PROJECTION: InlineProjectionDefinition = {
  name: 'sources',
  table: 'sources',
  keyColumns: ['id'],
  columns: [
    'id',
    'title',
    'publisher',
    'url',
    'published_at',
    'language',
    'sha256',
    'text',
    'text_length',
    'supersedes',
    'registered_by',
  ],
  restoredColumns: ['registered_at'],
};

/**
 * The row. On an append `registered_at` is left to the database: the append's own time, as `recorded_at`
 * is; a restore gives the registration's `recorded_at` (`restoredAt`).
 */
export function sourceCatalogueWrite(
  { data }: SourceRegistered,
  registeredBy: string,
  restoredAt?: string,
): InlineProjectionWrite {
  return {
    projection: SOURCE_CATALOGUE_PROJECTION.name,
    row: {
      ...(restoredAt === undefined ? {} : { registered_at: restoredAt }),
      id: data.id,
      title: data.title,
      publisher: data.publisher ?? null,
      url: data.url ?? null,
      published_at: data.publishedAt ?? null,
      language: data.language ?? null,
      sha256: data.sha256 ?? null,
      text: data.text ?? null,
      text_length: data.text === undefined ? null : [...data.text].length,
      supersedes: data.supersedes ?? null,
      registered_by: registeredBy,
    },
  };
}
