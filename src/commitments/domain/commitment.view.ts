import type {
  CommitmentKind,
  ComplianceScore,
  IsoDate,
  IsoInstant,
  PartyCode,
  Stance,
} from './commitment.events.js';
import type { CommitmentSnapshot } from './commitment.state.js';
import {
  type CommitmentStatus,
  complianceOf,
  nextReviewOn,
  overdueOn,
  type Participation,
  participationOn,
  statusOn,
} from './status-rules.js';
import { utcDateOf } from './world-time.js';

export interface PartyView {
  party: PartyCode;
  participation: Participation;
  stance?: Stance;
  score?: ComplianceScore;
  joinedAt?: IsoDate;
  withdrewAt?: IsoDate;
}

/** Exactly the body of `GET /commitments/:id`; absent scalars are null, never undefined. */
export interface CommitmentView {
  id: string;
  title: string;
  kind: CommitmentKind;
  status: CommitmentStatus;
  parties: PartyView[];
  proposedBy: PartyCode;
  topics: string[];
  summary: string | null;
  meeting: string | null;
  proposedAt: IsoInstant;
  adoptedAt: IsoInstant | null;
  completedAt: IsoInstant | null;
  supersededBy: string | null;
  dueDate: IsoDate | null;
  missedDeadlines: number;
  overdue: boolean;
  compliance: number | null;
  nextReviewOn: IsoDate | null;
  lastDevelopmentAt: IsoInstant;
  version: number;
  eventCount: number;
}

/**
 * The API view of a snapshot, with participation, status, `overdue` and `nextReviewOn` evaluated on
 * `referenceDate` (today, or the `asOf` date; an instant is reduced to its UTC date). Parties whose
 * accession has not taken effect by then are not listed yet; speakers who are not parties keep their
 * stance in the snapshot only.
 */
export function toCommitmentView(snapshot: CommitmentSnapshot, referenceDate: IsoDate): CommitmentView {
  const date = utcDateOf(referenceDate);
  const parties = snapshot.parties.flatMap((record): PartyView[] => {
    const standing = participationOn(snapshot, record.party, date);
    if (standing === null) return [];
    const view: PartyView = { party: record.party, participation: standing.participation };
    const stance = snapshot.stances[record.party];
    const score = snapshot.scores[record.party];
    if (stance !== undefined) view.stance = stance;
    if (score !== undefined) view.score = score;
    if (standing.joinedAt !== null) view.joinedAt = standing.joinedAt;
    if (standing.withdrewAt !== null) view.withdrewAt = standing.withdrewAt;
    return [view];
  });
  return {
    id: snapshot.id,
    title: snapshot.title,
    kind: snapshot.kind,
    status: statusOn(snapshot, date),
    parties,
    proposedBy: snapshot.proposedBy,
    topics: [...snapshot.topics],
    summary: snapshot.summary,
    meeting: snapshot.meeting,
    proposedAt: snapshot.proposedAt,
    adoptedAt: snapshot.adoptedAt,
    completedAt: snapshot.completedAt,
    supersededBy: snapshot.supersededBy,
    dueDate: snapshot.dueDate,
    missedDeadlines: snapshot.missedDeadlines,
    overdue: overdueOn(snapshot, date),
    compliance: complianceOf(snapshot),
    nextReviewOn: nextReviewOn(snapshot, date),
    lastDevelopmentAt: snapshot.lastDevelopmentAt,
    version: snapshot.version,
    eventCount: snapshot.eventCount,
  };
}
