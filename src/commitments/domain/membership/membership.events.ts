import type { DomainEvent, Provenance } from '../shared/domain-event.js';
import type { Descriptions } from '../shared/development-rules.js';
import { type AccessionAction, type IsoDate, isConsentAction, type PartyCode } from '../shared/vocabulary.js';

/** Who is a party: withdrawals and accessions (an accession may be an instrument of consent, see treaty/). */

/** `effectiveOn` absent: the withdrawal takes effect on the date it occurred. */
export type PartyWithdrew = DomainEvent<
  'PartyWithdrew',
  Provenance & { party: PartyCode; effectiveOn?: IsoDate; reason?: string }
>;

/**
 * `action` absent or `joining`: a plain accession, active from `effectiveOn` or the date it occurred.
 * Any other action is an instrument of consent deposited on the date it occurred; without `effectiveOn`
 * it takes effect as the agreement's entry-into-force rule says (see `treaty/treaty.snapshot.ts`).
 */
export type PartyJoined = DomainEvent<
  'PartyJoined',
  Provenance & { party: PartyCode; effectiveOn?: IsoDate; action?: AccessionAction }
>;

export type MembershipEvent = PartyWithdrew | PartyJoined;

export const membershipDescriptions: Descriptions<MembershipEvent> = {
  PartyWithdrew: ({ data }) => `the withdrawal of ${data.party}`,
  PartyJoined: ({ data }) =>
    isConsentAction(data.action)
      ? `the ${data.action.replace('_', ' ')} by ${data.party}`
      : `the accession of ${data.party}`,
};
