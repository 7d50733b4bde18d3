/** Each registered source is one stream in the log, so an export carries sources with everything else. */
export const SOURCE_STREAM_PREFIX = 'source-';

export function sourceStreamId(sourceId: string): string {
  return `${SOURCE_STREAM_PREFIX}${sourceId}`;
}

/**
 * A source, registered once and never changed: a corrected copy is a new source that `supersedes` it.
 * `sha256` is the digest of `text` (see source-text.ts), or, for a source registered without its text,
 * the digest of a text kept elsewhere, which the tracker cannot check quotes against.
 */
export interface SourceRegistered {
  readonly type: 'SourceRegistered';
  readonly data: {
    readonly id: string;
    readonly title: string;
    readonly publisher?: string;
    readonly url?: string;
    readonly publishedAt?: string;
    readonly language?: string;
    readonly text?: string;
    readonly sha256?: string;
    readonly supersedes?: string;
  };
}
