/**
 * The shapes of the public REST API as this app reads them. Enumerations and the commitment view come
 * from the domain itself, so the app offers exactly the values the API accepts.
 */
export {
  ACCESSION_ACTIONS,
  COMMITMENT_KINDS,
  RESERVATION_KINDS,
  STANCES,
  type CommitmentEvent,
  type CommitmentEventType,
  type CommitmentKind,
  type Source,
  type Stance,
} from '../../commitments/domain/commitment.events.js';
export { COMMITMENT_STATUSES, type CommitmentStatus } from '../../commitments/domain/status-rules.js';
export type { CommitmentView, PartyView } from '../../commitments/domain/commitment.view.js';
import type { CommitmentView } from '../../commitments/domain/commitment.view.js';
import type { CommitmentStatus } from '../../commitments/domain/status-rules.js';
import type { HistoryEntry as ServerHistoryEntry } from '../../commitments/read/commitment-history.js';

export type Role = 'reader' | 'analyst' | 'admin';

export interface Me {
  readonly name: string;
  readonly role: Role;
}

export interface CommitmentPage {
  readonly items: CommitmentView[];
  readonly nextCursor: string | null;
}

export interface CommitmentStatistics {
  readonly total: number;
  readonly byStatus: Record<CommitmentStatus, number>;
}

/** An entry of the history as the server sends it; every event's data is an object. */
export type HistoryEntry = Omit<ServerHistoryEntry, 'data'> & { readonly data: Record<string, unknown> };

export interface CommitmentHistory {
  readonly commitmentId: string;
  readonly events: HistoryEntry[];
}

export interface DevelopmentRecorded {
  readonly commitmentId: string;
  readonly eventId: string;
  readonly version: number;
}

export type PartyRole = 'party' | 'proposer' | 'witness' | 'speaker';

export interface PartyCommitment {
  readonly commitmentId: string;
  readonly title: string;
  readonly status: CommitmentStatus;
  readonly participation?: string;
  readonly stance?: string;
  readonly score?: number;
  readonly roles: PartyRole[];
}

export interface PartyCommitments {
  readonly party: string;
  readonly commitments: PartyCommitment[];
}

export interface FollowUpItem {
  readonly commitmentId: string;
  readonly title: string;
  readonly status: CommitmentStatus;
  readonly reason: 'overdue' | 'deadline' | 'review';
  readonly date: string;
  readonly note?: string;
}

export interface ProjectionOverview {
  readonly name: string;
  readonly state: string;
  readonly checkpoint: { position: string; updatedAt: string; eventsApplied: number } | null;
  readonly lag: { events: number; seconds: number };
  readonly runner: { instance: string | null; here: boolean };
  readonly lastError: string | null;
  readonly rebuild: { jobId: string; finishedAt: string | null } | null;
}

export interface ProjectionsOverview {
  readonly instance: string;
  readonly projections: ProjectionOverview[];
}

export interface RebuildProgress {
  readonly jobId: string;
  readonly state: 'running' | 'completed' | 'superseded';
  readonly requestedAt: string;
  readonly requestedBy: string | null;
  readonly finishedAt: string | null;
  readonly totalEvents: number;
  readonly appliedEvents: number;
  readonly projections: { name: string; state: string; appliedEvents: number; finishedAt: string | null }[];
}
