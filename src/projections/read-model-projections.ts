import type { EventStore } from '../event-store/event-store.js';
import { FOLLOW_UPS_READ_MODEL } from '../commitments/follow-ups/follow-ups.projection.js';
import { COMMITMENT_FOLD } from '../commitments/follow-ups/folded-commitment.js';
import { PARTY_COMMITMENTS_READ_MODEL } from '../commitments/parties/party-commitments.projection.js';
import type { Projection } from './projection.js';
import { createStreamProjections } from './stream-state.projection.js';

/**
 * Every asynchronous read model the service keeps: the app, the rebuild CLI and the benchmark run these.
 * Both are built from the same fold of each commitment stream, made once for both.
 */
export function createReadModelProjections(store: EventStore): Projection[] {
  return createStreamProjections(store, COMMITMENT_FOLD, [
    FOLLOW_UPS_READ_MODEL,
    PARTY_COMMITMENTS_READ_MODEL,
  ]);
}
