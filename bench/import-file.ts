import fs from 'node:fs';
import { once } from 'node:events';

const DAY_MS = 86_400_000;
const BASE_MS = Date.parse('2015-01-01T00:00:00Z');
const PARTIES = ['US', 'VN', 'MY', 'ID', 'PH', 'TH', 'SG', 'JP'];
const STANCES = ['supports', 'reaffirms', 'urges', 'welcomes', 'notes', 'concerned'];

export interface BenchFileShape {
  readonly commitments: number;
  readonly developmentsEach: number;
  /**
   * Commitments whose lines are interleaved with each other (a spreadsheet sorted by date within a
   * desk's batch of files); the file is these groups one after the other.
   */
  readonly interleaved: number;
}

/**
 * Writes a bench import file, NDJSON, streamed to disk: per commitment a proposal and then legal
 * developments of most kinds (statements, progress with metrics, assessments, deadlines, an adoption,
 * follow-ups), about one in ten backdated and one retraction of an earlier line named by its key, so
 * that some commitments need their stream read. Returns the number of lines.
 */
export async function writeBenchFile(file: string, shape: BenchFileShape): Promise<number> {
  const out = fs.createWriteStream(file);
  let lines = 0;
  for (let first = 0; first < shape.commitments; first += shape.interleaved) {
    const group = Array.from(
      { length: Math.min(shape.interleaved, shape.commitments - first) },
      (_, offset) => commitmentLines(first + offset, shape.developmentsEach),
    );
    for (let step = 0; step < shape.developmentsEach; step++) {
      let text = '';
      for (const commitment of group) text += `${commitment[step]}\n`;
      lines += group.length;
      if (!out.write(text)) await once(out, 'drain');
    }
  }
  out.end();
  await once(out, 'finish');
  return lines;
}

function commitmentLines(c: number, count: number): string[] {
  const id = `bench-${c}`;
  const start = BASE_MS + (c % 1000) * DAY_MS;
  const at = (step: number) => new Date(start + step * 7 * DAY_MS).toISOString().slice(0, 10);
  const source = (step: number) => ({
    title: `Bulletin ${c}/${step}`,
    publisher: 'Bench news service',
    url: `https://example.org/bulletins/${c}/${step}`,
  });
  const lines: string[] = [
    JSON.stringify({
      action: 'propose',
      commitmentId: id,
      title: `Bench commitment ${c} on regional cooperation`,
      kind: 'plan_of_action',
      parties: PARTIES.slice(0, 2 + (c % 5)),
      proposedBy: 'US',
      topics: ['trade', `topic-${c % 40}`],
      summary: 'A plan of action generated for the import benchmark, of the length a real summary has.',
      dueDate: at(400),
      occurredAt: at(0),
      source: source(0),
    }),
  ];
  for (let step = 1; step < count; step++) {
    const party = PARTIES[(c + step) % 2];
    const backdated = step % 10 === 7;
    const occurredAt = backdated ? at(step - 3) : at(step);
    const key = step === 2 ? `bench-${c}-2` : undefined;
    const common = { commitmentId: id, ...(key ? { idempotencyKey: key } : {}) };
    const body = ((): Record<string, unknown> => {
      if (step === 5)
        return { action: 'adoptions', adoptedBy: ['US', 'VN'], occurredAt, source: source(step) };
      if (step === count - 1 && count > 3)
        return { action: 'retractions', retractsKey: `bench-${c}-2`, reason: 'Misattributed' };
      switch (step % 5) {
        case 0:
          return {
            action: 'progress',
            summary: `Progress report ${step}: working groups met and agreed next steps.`,
            metrics: [{ name: 'projects', value: step, unit: 'count', period: '2024' }],
            occurredAt,
            source: source(step),
          };
        case 1:
          return {
            action: 'assessments',
            party,
            score: (step % 3) - 1,
            rationale: `Assessment ${step}`,
            occurredAt,
            source: source(step),
          };
        case 2:
          return {
            action: 'deadlines',
            dueDate: at(400 + step),
            reason: `Extended at review ${step}`,
            occurredAt,
            source: source(step),
          };
        case 3:
          return step % 2 === 0
            ? { action: 'follow-ups', reviewOn: at(600 + step), note: `Check the report of step ${step}` }
            : statement(party, step, occurredAt, source(step));
        default:
          return statement(party, step, occurredAt, source(step));
      }
    })();
    lines.push(JSON.stringify({ ...common, ...body }));
  }
  return lines;
}

function statement(party: string, step: number, occurredAt: string, source: object): Record<string, unknown> {
  return {
    action: 'statements',
    speaker: { name: `Minister ${step}`, role: 'Foreign Minister', party },
    stance: STANCES[step % STANCES.length],
    summary: `Statement ${step} on the plan's implementation and the next ministerial meeting.`,
    occurredAt,
    source,
  };
}
