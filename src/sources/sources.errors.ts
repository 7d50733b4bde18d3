import type { WithProblemExtensions } from '../http/problem-details.js';

/** Errors of the sources feature, each with a stable code the HTTP layer maps in one place. */
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
