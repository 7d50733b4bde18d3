import type { ConsentAction, IsoDate, IsoInstant, PartyCode } from './vocabulary.js';

/** `effectiveOn: null` marks a party named in the proposal: a party from the start. */
export interface MembershipChange {
  readonly kind: 'joined' | 'withdrew';
  readonly effectiveOn: IsoDate | null;
  readonly announcedAt: IsoInstant;
}

/** An instrument of consent to be bound; `effectiveOn` is null while the agreement awaits entry into force. */
export interface ConsentRecord {
  readonly action: ConsentAction;
  readonly depositedOn: IsoDate;
  readonly effectiveOn: IsoDate | null;
}

/**
 * Membership changes are kept in world order so participation can be evaluated on any reference date.
 * `signedOn` and `consents` (in world order) exist only once the party signed or deposited an instrument.
 */
export interface PartyRecord {
  readonly party: PartyCode;
  readonly changes: readonly MembershipChange[];
  readonly suspendedSince: IsoInstant | null;
  readonly signedOn?: IsoDate;
  readonly consents?: readonly ConsentRecord[];
}

export function recordIn(parties: readonly PartyRecord[], party: PartyCode): PartyRecord | undefined {
  return parties.find((record) => record.party === party);
}

/** The records with `party`'s changed by `change` (a new record when it had none). */
export function withPartyRecord(
  parties: readonly PartyRecord[],
  party: PartyCode,
  change: (record: PartyRecord) => PartyRecord,
): PartyRecord[] {
  if (!recordIn(parties, party)) return [...parties, change({ party, changes: [], suspendedSince: null })];
  return parties.map((record) => (record.party === party ? change(record) : record));
}

export function withMembershipChange(
  parties: readonly PartyRecord[],
  party: PartyCode,
  change: MembershipChange,
): PartyRecord[] {
  return withPartyRecord(parties, party, (record) => ({
    ...record,
    changes: [...record.changes, change],
    // Rejoining starts afresh: the party "returns as active".
    suspendedSince: change.kind === 'joined' ? null : record.suspendedSince,
  }));
}
