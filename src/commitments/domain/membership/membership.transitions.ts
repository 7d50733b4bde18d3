import type { TransitionRules } from '../shared/development-rules.js';
import { isBound, participationOn } from '../shared/participation.js';
import { firstRefusal, notAParty, refuse, refuseIfCompleted, refuseIfSuperseded } from '../shared/refusal.js';
import { refuseAccession } from '../treaty/treaty.transitions.js';
import type { MembershipEvent } from './membership.events.js';

/** What may follow what for withdrawals and accessions (see transitions.ts). */
export const membershipTransitions: TransitionRules<MembershipEvent> = {
  PartyWithdrew: (snapshot, { event }, date) =>
    firstRefusal(
      () => refuseIfSuperseded(snapshot),
      () => refuseIfCompleted(snapshot),
      () => {
        const standing = participationOn(snapshot, event.data.party, date);
        if (standing === null || !isBound(standing.participation)) return notAParty(event.data.party);
        if (standing.participation === 'withdrawn') {
          return refuse(
            `${event.data.party} had already withdrawn (effective ${standing.withdrewAt ?? 'from the start'})`,
            `Record its accession first if ${event.data.party} rejoined in between.`,
          );
        }
        return null;
      },
    ),
  PartyJoined: (snapshot, { event }, date) =>
    firstRefusal(
      () => refuseIfSuperseded(snapshot),
      () => refuseIfCompleted(snapshot),
      () => refuseAccession(snapshot, event.data, date),
      () => {
        const standing = participationOn(snapshot, event.data.party, date);
        if (standing?.participation === 'active' || standing?.participation === 'suspended') {
          return refuse(
            `${event.data.party} was already a party to it by then`,
            standing.participation === 'suspended'
              ? `Record a resumption by ${event.data.party} instead.`
              : undefined,
          );
        }
        return null;
      },
    ),
};
