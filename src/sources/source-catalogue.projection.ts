import type {
  InlineProjectionDefinition,
  RecordedEvent,
  StreamKind,
} from '../event-store/event-store.types.js';
import { SOURCE_STREAM_PREFIX, type SourceRegistered } from './source.events.js';

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
 * A source's stream is its one registration: its state is that registration, who recorded it, and, once
 * stored, when (`registeredAt`: a restore has it from the event; an append leaves it to the database).
 */
export interface RegisteredSource {
  readonly registration: SourceRegistered['data'];
  readonly registeredBy: string;
  readonly registeredAt?: string;
}

/**
 * The row. On an append `registered_at` is left to the database: the append's own time, as `recorded_at`
 * is; a restore gives the registration's `recorded_at`.
 */
export function sourceCatalogueRow({ registration, registeredBy, registeredAt }: RegisteredSource) {
  return {
    ...(registeredAt === undefined ? {} : { registered_at: registeredAt }),
    id: registration.id,
    title: registration.title,
    publisher: registration.publisher ?? null,
    url: registration.url ?? null,
    published_at: registration.publishedAt ?? null,
    language: registration.language ?? null,
    sha256: registration.sha256 ?? null,
    text: registration.text ?? null,
    text_length: registration.text === undefined ? null : [...registration.text].length,
    supersedes: registration.supersedes ?? null,
    registered_by: registeredBy,
  };
}

/** The sources' kind of stream, with the catalogue kept in each registration's append. */
export const SOURCE_STREAM_KIND: StreamKind<RegisteredSource> = {
  streamPrefix: SOURCE_STREAM_PREFIX,
  eventTypes: ['SourceRegistered'],
  fold: ([registration]: readonly RecordedEvent[]) =>
    registration === undefined
      ? null
      : {
          registration: (registration as RecordedEvent<'SourceRegistered', SourceRegistered['data']>).data,
          registeredBy: registration.metadata.recordedBy ?? 'unknown',
          registeredAt: registration.recordedAt,
        },
  inline: [{ definition: SOURCE_CATALOGUE_PROJECTION, row: sourceCatalogueRow }],
};
