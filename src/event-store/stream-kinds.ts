import type {
  InlineProjectionDefinition,
  InlineProjectionWrite,
  RecordedEvent,
  StreamKind,
} from './event-store.types.js';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The stream kinds the features registered, and the inline read models they declared with them: what
 * an append derives its rows from, what a restore checks its lines against and folds its streams with.
 */
export class StreamKinds {
  private readonly kinds = new Map<string, StreamKind>();
  private readonly definitions = new Map<string, InlineProjectionDefinition>();

  register<State>(kind: StreamKind<State>): void {
    if (this.kinds.has(kind.streamPrefix))
      throw new Error(`stream kind ${kind.streamPrefix} registered twice`);
    for (const { definition } of kind.inline ?? []) checkDefinition(definition);
    for (const { definition } of kind.inline ?? []) {
      if (this.definitions.has(definition.name))
        throw new Error(`inline projection ${definition.name} registered twice`);
      this.definitions.set(definition.name, definition);
    }
    this.kinds.set(kind.streamPrefix, kind as StreamKind);
  }

  get all(): readonly StreamKind[] {
    return [...this.kinds.values()];
  }

  /** The inline read models of every kind, by name. */
  get inlineProjections(): ReadonlyMap<string, InlineProjectionDefinition> {
    return this.definitions;
  }

  /** The kind a stream belongs to, or undefined for a stream of no registered kind. */
  kindOf(streamId: string): StreamKind | undefined {
    for (const kind of this.kinds.values()) if (streamId.startsWith(kind.streamPrefix)) return kind;
    return undefined;
  }

  /**
   * The inline rows an append to `streamId` writes, from the stream's state after it. A kind with inline
   * read models cannot be appended to without that state: its rows would go stale.
   */
  rowsOfAppend(streamId: string, state: unknown): readonly InlineProjectionWrite[] {
    const kind = this.kindOf(streamId);
    if (!kind?.inline?.length) return [];
    if (state === undefined || state === null) {
      const names = kind.inline.map(({ definition }) => definition.name).join(', ');
      throw new Error(
        `append to ${streamId} refused: its stream kind (${kind.streamPrefix}) keeps the inline read ` +
          `model(s) ${names}, derived from the stream's state after the append, and none was given (options.state)`,
      );
    }
    return inlineWrites(kind, state);
  }
}

/** The rows of a kind's inline read models for a stream's state. */
export function inlineWrites<State>(kind: StreamKind<State>, state: State): InlineProjectionWrite[] {
  const writes: InlineProjectionWrite[] = [];
  for (const projection of kind.inline ?? []) {
    const row = projection.row(state);
    if (row !== null) writes.push({ projection: projection.definition.name, row });
  }
  return writes;
}

/** The rows of a kind's inline read models for a whole stream, from the kind's own fold (a restore). */
export function inlineWritesOfStream(
  kind: StreamKind,
  events: readonly RecordedEvent[],
): InlineProjectionWrite[] {
  const state = kind.fold(events);
  return state === null ? [] : inlineWrites(kind, state);
}

function checkDefinition(definition: InlineProjectionDefinition): void {
  for (const identifier of [
    definition.table,
    ...definition.keyColumns,
    ...definition.columns,
    ...(definition.restoredColumns ?? []),
  ]) {
    if (!IDENTIFIER.test(identifier)) throw new Error(`not a plain SQL identifier: ${identifier}`);
  }
  if (!definition.keyColumns.every((key) => definition.columns.includes(key))) {
    throw new Error(`projection ${definition.name}: key columns must be among its columns`);
  }
}
