import type { ProblemType, WithProblemExtensions } from '../http/problem-details.js';

/** Errors of the sources feature, each with a stable code; `SOURCE_PROBLEMS` says what it means over HTTP. */
export abstract class SourceError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class SourceNotFoundError extends SourceError {
  readonly code = 'SOURCE.NOT_FOUND';
  constructor(readonly sourceId: string) {
    super(`No source '${sourceId}' is registered.`);
  }
}

/** A development or a registration names a source that is not registered. */
export class UnknownSourceCitedError extends SourceError {
  readonly code = 'SOURCE.UNKNOWN';
  constructor(
    readonly sourceId: string,
    role: 'cited' | 'superseded',
  ) {
    super(
      role === 'cited'
        ? `The development cites source '${sourceId}', which is not registered: register it (POST /sources) first, or describe the source inline.`
        : `Source '${sourceId}', which this one would supersede, is not registered.`,
    );
  }
}

export class SourceIdTakenError extends SourceError {
  readonly code = 'SOURCE.ID_TAKEN';
  constructor(readonly sourceId: string) {
    super(`A source '${sourceId}' is already registered, with another text. Choose another id.`);
  }
}

/** The quote is not in the cited source's text: the problem document shows the closest passage. */
export class QuoteNotInSourceError extends SourceError implements WithProblemExtensions {
  readonly code = 'SOURCE.QUOTE_NOT_FOUND';
  readonly problemExtensions: Readonly<Record<string, unknown>>;
  constructor(
    readonly sourceId: string,
    closestPassage: string | null,
  ) {
    super(
      `The quote is not in the text of source '${sourceId}' (compared after normalising white space, ` +
        'typographic quotes and dashes).' +
        (closestPassage === null
          ? ' No passage of the text comes close.'
          : ` The closest passage is: "${closestPassage}"`),
    );
    this.problemExtensions = { sourceId, closestPassage };
  }
}

type SourceErrorCode = (
  SourceNotFoundError | UnknownSourceCitedError | SourceIdTakenError | QuoteNotInSourceError
)['code'];

/** What each error of the sources feature means over HTTP; `SourcesModule` registers it. */
export const SOURCE_PROBLEMS: Readonly<Record<SourceErrorCode, ProblemType>> = {
  'SOURCE.NOT_FOUND': { status: 404, slug: 'source-not-found', title: 'Source not found' },
  'SOURCE.UNKNOWN': { status: 422, slug: 'unknown-source', title: 'Unknown source' },
  'SOURCE.ID_TAKEN': { status: 409, slug: 'source-exists', title: 'Source id in use' },
  'SOURCE.QUOTE_NOT_FOUND': { status: 422, slug: 'quote-not-in-source', title: 'Quote not in source' },
};
