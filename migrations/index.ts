import { EventStore1763820000000 } from './1763820000000-event-store';

/** Every migration, oldest first. Listed rather than globbed so ts-jest, the build and the CLI load the same set. */
export const MIGRATIONS = [EventStore1763820000000];
