import type { EventStore } from '../event-store/event-store';
import { FOLLOW_UPS_READ_MODEL } from '../commitments/follow-ups/follow-ups.projection';
import { COMMITMENT_FOLD } from '../commitments/follow-ups/folded-commitment';
import { PARTY_COMMITMENTS_READ_MODEL } from '../commitments/parties/party-commitments.projection';
import type { Projection } from './projection';
import { createStreamProjections } from './stream-state.projection';

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
