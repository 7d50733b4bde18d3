import type { IsoInstant } from './vocabulary.js';

/** What an analyst asks to record: a type and the development's data. */
export interface Command<Type extends string, Data> {
  readonly type: Type;
  readonly data: Readonly<Data>;
}

/**
 * Every command names its commitment and when the development occurred in the world (ISO UTC;
 * a bare date means 00:00 UTC that day). For follow-ups, retractions, and deadlines sent without
 * `occurredAt`, the handler passes the request time. The event that `decide` returns carries no
 * `occurredAt`: append it with the command's `occurredAt` on the envelope.
 */
export interface CommandAddress {
  commitmentId: string;
  occurredAt: IsoInstant;
}

export type AnyCommand = Command<string, CommandAddress>;

/** The command's data without its address (and `dropped`), as the event's data. */
export function bodyOf<Data extends CommandAddress, Dropped extends string = never>(
  data: Data,
  ...dropped: Dropped[]
): Omit<Data, keyof CommandAddress | Dropped> {
  const omitted = new Set<string>(['commitmentId', 'occurredAt', ...dropped]);
  return Object.fromEntries(
    Object.entries(data).filter(([key, value]) => !omitted.has(key) && value !== undefined),
  ) as Omit<Data, keyof CommandAddress | Dropped>;
}
