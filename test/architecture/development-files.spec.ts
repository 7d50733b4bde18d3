import fs from 'node:fs';
import path from 'node:path';
import { correctionCommands } from '../../src/commitments/domain/corrections/corrections.development-rules.js';
import { lifecycleCommands } from '../../src/commitments/domain/lifecycle/lifecycle.development-rules.js';
import { membershipCommands } from '../../src/commitments/domain/membership/membership.development-rules.js';
import { scheduleCommands } from '../../src/commitments/domain/schedule/schedule.development-rules.js';
import { treatyCommands } from '../../src/commitments/domain/treaty/treaty.development-rules.js';

const SRC = path.resolve(import.meta.dirname, '../../src');

/**
 * Adding a kind of development touches its family's domain file, its family's description, its family's
 * controller and a test: nothing else in src/ names a development's command, so nothing else has a case
 * to add. The write pipeline knows three commands by name, for what only they do: the proposal opens a
 * stream, a supersession looks its successor up, and a retraction reorders the history.
 */
const KNOWN_TO_THE_PIPELINE: Record<string, readonly string[]> = {
  ProposeCommitment: [
    'commitments/domain/commitment.decider.ts',
    'commitments/write/command-sequence.ts',
    'commitments/write/commitment-writer.ts',
    'commitments/write/decide-in-order.ts',
  ],
  SupersedeCommitment: [
    'commitments/write/command-sequence.ts',
    'commitments/write/commitment-writer.ts',
    'commitments/write/decide-in-order.ts',
  ],
  RetractEntry: ['commitments/write/command-sequence.ts', 'commitments/write/decide-in-order.ts'],
};

const FAMILIES = {
  lifecycle: lifecycleCommands,
  schedule: scheduleCommands,
  membership: membershipCommands,
  treaty: treatyCommands,
  corrections: correctionCommands,
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.spec\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

describe('adding a kind of development', () => {
  const files = sourceFiles(SRC).map((file) => ({
    file: path.relative(SRC, file).split(path.sep).join('/'),
    text: fs.readFileSync(file, 'utf8'),
  }));

  it.each(Object.entries(FAMILIES))(
    "names each %s command in the family's domain file and controller only",
    (family, commands) => {
      for (const type of Object.keys(commands)) {
        const naming = files.filter(({ text }) => text.includes(`'${type}'`)).map(({ file }) => file);
        expect({ type, naming: naming.sort() }).toEqual({
          type,
          naming: [
            `commitments/domain/${family}/${family}.development-rules.ts`,
            `commitments/write/${family}.controller.ts`,
            ...(KNOWN_TO_THE_PIPELINE[type] ?? []),
          ].sort(),
        });
      }
    },
  );
});
