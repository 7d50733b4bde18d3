import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { EventStore } from '../../event-store/event-store.js';
import { commitmentStreamId, toRecordedCommitmentEvent } from '../stream/commitment.stream.js';
import { CommitmentNotFoundError } from '../domain/shared/commitment.errors.js';
import { type Source, upcast } from '../domain/commitment.events.js';
import { foldCommitment, type TimeTravel } from '../domain/commitment.fold.js';
import { type CommitmentView, toCommitmentView } from '../domain/commitment.view.js';
import { referenceDateFor } from '../domain/shared/world-time.js';
import { CommitmentSnapshotStore } from '../read-models/commitment-status/commitment-snapshot-store.js';
import {
  CommitmentStatusQueries,
  type CommitmentListFilters,
} from '../read-models/commitment-status/commitment-status.queries.js';
import type { CommitmentHistory } from './commitment-history.js';

/** The commitment now (from the inline read model), or as it stood / was known then (folded from its stream). */
export class GetCommitment extends Query<CommitmentView> {
  constructor(
    readonly commitmentId: string,
    readonly timeTravel: TimeTravel,
  ) {
    super();
  }
}

export interface CommitmentPage {
  readonly items: CommitmentView[];
  /** The id of the last item when another page follows. */
  readonly lastId: string | null;
}

export class ListCommitments extends Query<CommitmentPage> {
  constructor(readonly filters: Omit<CommitmentListFilters, 'today'>) {
    super();
  }
}

/** The audit trail: the stream itself, in stream order, nothing left out. */
export class GetCommitmentHistory extends Query<CommitmentHistory> {
  constructor(readonly commitmentId: string) {
    super();
  }
}

const today = () => new Date().toISOString().slice(0, 10);

@QueryHandler(GetCommitment)
export class GetCommitmentHandler implements IQueryHandler<GetCommitment, CommitmentView> {
  constructor(
    private readonly store: EventStore,
    private readonly states: CommitmentSnapshotStore,
  ) {}

  async execute({ commitmentId, timeTravel }: GetCommitment): Promise<CommitmentView> {
    if (timeTravel.asOf === undefined && timeTravel.knownAt === undefined) {
      const snapshot = await this.states.current(commitmentId);
      if (!snapshot) throw new CommitmentNotFoundError(commitmentId);
      return toCommitmentView(snapshot, today());
    }
    const events = (await this.store.readStream(commitmentStreamId(commitmentId))).map(
      toRecordedCommitmentEvent,
    );
    if (events.length === 0) throw new CommitmentNotFoundError(commitmentId);
    const snapshot = foldCommitment(events, timeTravel);
    if (!snapshot) throw new CommitmentNotKnownThenError(commitmentId, timeTravel);
    return toCommitmentView(snapshot, referenceDateFor(timeTravel.asOf, new Date()));
  }
}

/** A time-travel read before the commitment existed (`asOf`) or was recorded (`knownAt`): also a 404. */
export class CommitmentNotKnownThenError extends CommitmentNotFoundError {
  constructor(commitmentId: string, { asOf, knownAt }: TimeTravel) {
    super(commitmentId);
    const when = [asOf && `as of ${asOf}`, knownAt && `as known at ${knownAt}`].filter(Boolean).join(' and ');
    this.message = `'${commitmentId}' had not been proposed ${when}: it has no development recorded by then.`;
  }
}

@QueryHandler(ListCommitments)
export class ListCommitmentsHandler implements IQueryHandler<ListCommitments, CommitmentPage> {
  constructor(private readonly status: CommitmentStatusQueries) {}

  async execute({ filters }: ListCommitments): Promise<CommitmentPage> {
    const date = today();
    const snapshots = await this.status.list({ ...filters, today: date });
    const more = filters.limit !== null && snapshots.length > filters.limit;
    const page = more ? snapshots.slice(0, filters.limit ?? undefined) : snapshots;
    return {
      items: page.map((snapshot) => toCommitmentView(snapshot, date)),
      lastId: more ? page[page.length - 1].id : null,
    };
  }
}

@QueryHandler(GetCommitmentHistory)
export class GetCommitmentHistoryHandler implements IQueryHandler<GetCommitmentHistory, CommitmentHistory> {
  constructor(private readonly store: EventStore) {}

  async execute({ commitmentId }: GetCommitmentHistory): Promise<CommitmentHistory> {
    const events = await this.store.readStream(commitmentStreamId(commitmentId));
    if (events.length === 0) throw new CommitmentNotFoundError(commitmentId);
    const retractedBy = new Map<string, string>();
    for (const event of events) {
      if (event.type === 'EntryRetracted')
        retractedBy.set((event.data as { eventId: string }).eventId, event.eventId);
    }
    return {
      commitmentId,
      events: events.map((event) => {
        const retraction = retractedBy.get(event.eventId);
        const data = upcast(event.type, event.data);
        const quoteVerified = quoteVerifiedOf(data);
        return {
          eventId: event.eventId,
          version: event.streamVersion,
          type: event.type,
          occurredAt: event.occurredAt,
          recordedAt: event.recordedAt,
          recordedBy: event.metadata.recordedBy ?? null,
          data,
          retracted: retraction !== undefined,
          ...(retraction ? { retractedBy: retraction } : {}),
          ...(quoteVerified === undefined ? {} : { quoteVerified }),
        };
      }),
    };
  }
}

/** Whether an entry's quote was checked against its source's text; undefined when it quotes nothing. */
function quoteVerifiedOf(data: unknown): boolean | undefined {
  const source = (data as { source?: Source } | null)?.source;
  if (source?.quote === undefined) return undefined;
  return source.quoteVerified === true;
}
