import { randomUUID } from 'node:crypto';
import { Command } from '@nestjs/cqrs';
import type { EventMetadata } from '../../event-store/event-store.types.js';
import type { CommitmentCommand } from '../domain/commitment.commands.js';

/** What every POST answers: the commitment, the event appended, and the stream version after it. */
export interface DevelopmentRecorded {
  readonly commitmentId: string;
  readonly eventId: string;
  readonly version: number;
  /** True when an Idempotency-Key retry returned the first answer and appended nothing. */
  readonly replayed: boolean;
}

export interface RecordDevelopmentOptions {
  /** From `If-Match`: the version the client saw; a different current version is refused, not retried. */
  readonly expectedVersion?: number;
  readonly idempotency?: { readonly key: string; readonly requestHash: string };
  /** Who records it, and the correlation id of what it is part of (a request, an import, a seed run). */
  readonly metadata: Omit<EventMetadata, 'causationId'> & { readonly recordedBy: string };
  /** The proposal's id was derived from its title: on a clash, `-2`, `-3`, … is tried instead of a 409. */
  readonly generatedId?: boolean;
}

/** Every development of a commitment, whatever its kind, goes through this one command. */
export class RecordDevelopment extends Command<DevelopmentRecorded> {
  /** The causation id of the event it records. */
  readonly commandId = randomUUID();

  constructor(
    readonly command: CommitmentCommand,
    readonly options: RecordDevelopmentOptions,
  ) {
    super();
  }
}
