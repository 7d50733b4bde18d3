import { EventStore1763820000000 } from './1763820000000-event-store.js';
import { CommitmentStatus1763830000000 } from './1763830000000-commitment-status.js';
import { Projections1763840000000 } from './1763840000000-projections.js';
import { StatusTimelines1763850000000 } from './1763850000000-status-timelines.js';
import { ApiKeyLifecycle1763860000000 } from './1763860000000-api-key-lifecycle.js';
import { PartyRoles1763861200000 } from './1763861200000-party-roles.js';
import { Sources1763870000000 } from './1763870000000-sources.js';
import { ImportJobs1763880000000 } from './1763880000000-import-jobs.js';

/** Every migration, oldest first. Listed rather than globbed so ts-jest, the build and the CLI load the same set. */
export const MIGRATIONS = [
  EventStore1763820000000,
  CommitmentStatus1763830000000,
  Projections1763840000000,
  StatusTimelines1763850000000,
  ApiKeyLifecycle1763860000000,
  PartyRoles1763861200000,
  Sources1763870000000,
  ImportJobs1763880000000,
];
