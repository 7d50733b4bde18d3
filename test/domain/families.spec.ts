import { COMMITMENT_EVENT_TYPES } from '../../src/commitments/domain/commitment.events.js';
import {
  correctionChanges,
  correctionCommands,
  correctionDescriptions,
  correctionTransitions,
} from '../../src/commitments/domain/corrections/corrections.development-rules.js';
import {
  lifecycleChanges,
  lifecycleCommands,
  lifecycleDescriptions,
  lifecycleTransitions,
} from '../../src/commitments/domain/lifecycle/lifecycle.development-rules.js';
import {
  membershipChanges,
  membershipCommands,
  membershipDescriptions,
  membershipTransitions,
} from '../../src/commitments/domain/membership/membership.development-rules.js';
import {
  scheduleChanges,
  scheduleCommands,
  scheduleDescriptions,
  scheduleTransitions,
} from '../../src/commitments/domain/schedule/schedule.development-rules.js';
import {
  treatyChanges,
  treatyCommands,
  treatyDescriptions,
  treatyTransitions,
} from '../../src/commitments/domain/treaty/treaty.development-rules.js';

/**
 * The families' tables, as the root composes them: the compiler checks that each family's tables cover
 * its own union, but only this checks that no two families claim one type (the root's tables are
 * spread together, so the later family's case would silently win) and that a family's commands ask for
 * its own events.
 */
const families = {
  lifecycle: {
    commands: lifecycleCommands,
    events: [lifecycleDescriptions, lifecycleTransitions, lifecycleChanges],
  },
  schedule: {
    commands: scheduleCommands,
    events: [scheduleDescriptions, scheduleTransitions, scheduleChanges],
  },
  membership: {
    commands: membershipCommands,
    events: [membershipDescriptions, membershipTransitions, membershipChanges],
  },
  treaty: { commands: treatyCommands, events: [treatyDescriptions, treatyTransitions, treatyChanges] },
  corrections: {
    commands: correctionCommands,
    events: [correctionDescriptions, correctionTransitions, correctionChanges],
  },
};

describe('the families of developments', () => {
  const eventTypesOf = (family: keyof typeof families) => Object.keys(families[family].events[0]).sort();

  it('describe, judge and apply the same events, each in one family only', () => {
    for (const family of Object.keys(families) as (keyof typeof families)[]) {
      for (const table of families[family].events)
        expect(Object.keys(table).sort()).toEqual(eventTypesOf(family));
    }
    const claimed = (Object.keys(families) as (keyof typeof families)[]).flatMap(eventTypesOf);
    expect(claimed.sort()).toEqual([...COMMITMENT_EVENT_TYPES].sort());
  });

  it("ask with each command for one of the family's own events, each command in one family only", () => {
    const commandTypes: string[] = [];
    for (const family of Object.keys(families) as (keyof typeof families)[]) {
      for (const [type, rule] of Object.entries(families[family].commands)) {
        commandTypes.push(type);
        const asked = (rule.eventFor as (command: unknown) => { type: string })({
          type,
          data: { commitmentId: 'c', occurredAt: '2025-01-01' },
        });
        expect(eventTypesOf(family)).toContain(asked.type);
      }
    }
    expect(new Set(commandTypes).size).toBe(commandTypes.length);
    expect(commandTypes).toHaveLength(COMMITMENT_EVENT_TYPES.length);
  });
});
