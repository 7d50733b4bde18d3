import type { SnapshotChanges } from '../shared/development-rules.js';
import { withMembershipChange } from '../shared/party-record.js';
import { isConsentAction } from '../shared/vocabulary.js';
import { utcDateOf } from '../shared/world-time.js';
import { withConsent } from '../treaty/treaty.snapshot.js';
import type { MembershipEvent } from './membership.events.js';

/** How withdrawals and accessions change the party records; an instrument of consent is the treaty's to count. */
export const membershipChanges: SnapshotChanges<MembershipEvent> = {
  PartyWithdrew: (base, { event, occurredAt }) => ({
    parties: withMembershipChange(base.parties, event.data.party, {
      kind: 'withdrew',
      effectiveOn: event.data.effectiveOn ?? utcDateOf(occurredAt),
      announcedAt: occurredAt,
    }),
  }),
  PartyJoined: (base, { event, occurredAt }) => {
    const date = utcDateOf(occurredAt);
    if (isConsentAction(event.data.action)) {
      return withConsent(base, event.data.party, {
        action: event.data.action,
        depositedOn: date,
        effectiveOn: event.data.effectiveOn ?? null,
        announcedAt: occurredAt,
      });
    }
    return {
      parties: withMembershipChange(base.parties, event.data.party, {
        kind: 'joined',
        effectiveOn: event.data.effectiveOn ?? date,
        announcedAt: occurredAt,
      }),
    };
  },
};
