import type { PartyRecord } from './shared/party-record.js';
import { consentOn, type Participation, participationOn } from './shared/participation.js';
import type { CommitmentSnapshot } from './shared/snapshot.js';
import type {
  CommitmentKind,
  ComplianceScore,
  ConsentAction,
  EntryIntoForceRule,
  IsoDate,
  IsoInstant,
  PartyCode,
  ReservationKind,
  Stance,
} from './shared/vocabulary.js';
import { utcDateOf } from './shared/world-time.js';
import { type CommitmentStatus, complianceOf, nextReviewOn, overdueOn, statusOn } from './status-rules.js';

export interface ReservationView {
  eventId: string;
  kind: ReservationKind;
  text: string;
  objectsTo?: PartyCode;
  madeOn: IsoDate;
  withdrawnOn?: IsoDate;
}

export interface PartyView {
  party: PartyCode;
  participation: Participation;
  stance?: Stance;
  score?: ComplianceScore;
  joinedAt?: IsoDate;
  withdrewAt?: IsoDate;
  signedOn?: IsoDate;
  /** The latest instrument of consent deposited; `effectiveOn` null while the agreement awaits entry into force. */
  consent?: { action: ConsentAction; depositedOn: IsoDate; effectiveOn: IsoDate | null };
  /** Present on every party of an agreement with an entry-into-force rule, and on any party with reservations. */
  reservations?: ReservationView[];
}

export interface EntryIntoForceView {
  rule: EntryIntoForceRule;
  instrumentsDeposited: number;
  reachedOn: IsoDate | null;
  inForceOn: IsoDate | null;
}

/** Exactly the body of `GET /commitments/:id`; absent scalars are null, never undefined. */
export interface CommitmentView {
  id: string;
  title: string;
  kind: CommitmentKind;
  status: CommitmentStatus;
  parties: PartyView[];
  /** Only for a commitment with an entry-into-force rule: without one, the view is as it always was. */
  entryIntoForce?: EntryIntoForceView;
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
    Object.assign(view, treatyFieldsOf(snapshot, record, date));
    return [view];
  });
  return {
    id: snapshot.id,
    title: snapshot.title,
    kind: snapshot.kind,
    status: statusOn(snapshot, date),
    parties,
    ...(snapshot.entryIntoForce ? { entryIntoForce: { ...snapshot.entryIntoForce } } : {}),
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

/** A party's signature, latest instrument of consent and reservations as of `date`. */
function treatyFieldsOf(
  snapshot: CommitmentSnapshot,
  record: PartyRecord,
  date: IsoDate,
): Pick<PartyView, 'signedOn' | 'consent' | 'reservations'> {
  const consent = consentOn(record, date);
  const reservations = snapshot.reservations
    .filter((reservation) => reservation.party === record.party && reservation.madeOn <= date)
    .map(({ party: _party, withdrawnOn, ...reservation }) => ({
      ...reservation,
      ...(withdrawnOn !== null && withdrawnOn <= date ? { withdrawnOn } : {}),
    }));
  return {
    ...(record.signedOn !== undefined && record.signedOn <= date ? { signedOn: record.signedOn } : {}),
    ...(consent === null ? {} : { consent: { ...consent } }),
    ...(snapshot.entryIntoForce || reservations.length > 0 ? { reservations } : {}),
  };
}
