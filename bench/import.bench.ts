import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { AppModule } from '../src/app.module.js';
import {
  DEVELOPMENT_ACTIONS,
  type DevelopmentAction,
  developmentRequest,
} from '../src/commitments/write/development-actions.js';
import { RecordDevelopment } from '../src/commitments/write/record-development.command.js';
import { loadConfig } from '../src/config/app-config.js';
import { PG_POOL } from '../src/database/database.module.js';
import { prepareLogExport } from '../src/event-store/log-export.js';
import { createValidationPipe } from '../src/http/validation.js';
import { ImportRunner } from '../src/imports/import-runner.js';
import { LogRestorer } from '../src/log-transfer/log-restorer.js';
import { ProjectionRebuilds } from '../src/projections/projection-rebuilds.js';
import { writeBenchFile } from './import-file.js';
import { scratchDatabase, type ScratchDatabase } from './scratch-database.js';

/**
 * `npm run bench:import`: 100,000 developments over 5,000 commitments from a generated NDJSON file
 * through the import path, then an export of the result and its restore into a second empty database,
 * on the engine DATABASE_URL names (embedded PGlite in a temporary directory when unset). Prints
 * developments/s, events/s and peak RSS (sampled every 50 ms), with baselines measured in the same run:
 * the API's own write path (one command per development) on a sample of the same file, a bare paged read
 * of the log's rows, and a server-side copy of the log's rows. Measures and prints; passes or fails nothing.
 */

const COMMITMENTS = Number(process.env.BENCH_COMMITMENTS ?? 5000);
const DEVELOPMENTS_EACH = 20;
const INTERLEAVED = Number(process.env.BENCH_INTERLEAVED ?? 250);
const BASELINE_LINES = 5000;

class PeakRss {
  private peak = process.memoryUsage().rss;
  private readonly timer = setInterval(
    () => (this.peak = Math.max(this.peak, process.memoryUsage().rss)),
    50,
  );
  stop(): number {
    clearInterval(this.timer);
    return Math.max(this.peak, process.memoryUsage().rss);
  }
}

async function appOn(scratch: ScratchDatabase): Promise<INestApplicationContext> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent', ...scratch.env });
  return NestFactory.createApplicationContext(AppModule.forCli(config), { logger: ['error', 'warn'] });
}

async function timed<T>(
  work: () => Promise<T>,
): Promise<{ result: T; seconds: number; cpuSeconds: number; peakRssMb: number }> {
  const rss = new PeakRss();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    result,
    seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    peakRssMb: Math.round(rss.stop() / 2 ** 20),
  };
}

const rate = (count: number, seconds: number) => Math.round(count / seconds).toLocaleString('en-US');
const load = () =>
  os
    .loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');

/** The API's write path without HTTP: validate, command, decide, one append per development. */
async function baselineOneByOne(app: INestApplicationContext, file: string, lines: number): Promise<number> {
  const pipe = createValidationPipe();
  const commands = app.get(CommandBus);
  const text = fs.readFileSync(file, 'utf8').split('\n', lines);
  const started = performance.now();
  let done = 0;
  for (const line of text) {
    const fields = JSON.parse(line) as Record<string, unknown>;
    const { action, commitmentId, idempotencyKey: _key, retractsKey, ...body } = fields;
    if (retractsKey !== undefined) continue;
    const act = action as DevelopmentAction;
    const dto: unknown = await pipe.transform(act === 'propose' ? { ...body, id: commitmentId } : body, {
      type: 'body',
      metatype: DEVELOPMENT_ACTIONS[act].dto,
    });
    const { command } = developmentRequest(act, commitmentId as string, dto as never);
    await commands.execute(new RecordDevelopment(command, { metadata: { recordedBy: 'baseline' } }));
    done++;
  }
  return done / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-import-'));
  const file = path.join(dir, 'developments.ndjson');
  const exportFile = path.join(dir, 'export.ndjson');
  const engine = process.env.DATABASE_URL ? 'postgres' : 'embedded';
  console.log(
    `import bench: ${engine}, ${os.cpus().length} CPUs, node ${process.version}, load average ${load()}`,
  );
  const lines = await writeBenchFile(file, {
    commitments: COMMITMENTS,
    developmentsEach: DEVELOPMENTS_EACH,
    interleaved: INTERLEAVED,
  });
  console.log(
    `  file: ${lines.toLocaleString('en-US')} developments over ${COMMITMENTS.toLocaleString('en-US')} commitments, ` +
      `${(fs.statSync(file).size / 2 ** 20).toFixed(1)} MiB, ${INTERLEAVED} commitments interleaved at a time`,
  );
  const source = await scratchDatabase('bench_import_source');
  const target = await scratchDatabase('bench_import_target');
  const baseline = await scratchDatabase('bench_import_baseline');
  try {
    const baselineApp = await appOn(baseline);
    const oneByOne = await baselineOneByOne(baselineApp, file, BASELINE_LINES);
    await baselineApp.close();
    console.log(
      `  baseline, the API's write path one development at a time (${BASELINE_LINES} lines): ${Math.round(oneByOne).toLocaleString('en-US')} developments/s`,
    );

    const app = await appOn(source);
    const runner = app.get(ImportRunner);
    const request = { format: 'ndjson' as const, recordedBy: 'bench', bytes: fs.statSync(file).size };
    const imported = await timed(async () => {
      const jobId = await runner.create(request);
      return runner.run(jobId, fs.createReadStream(file), request);
    });
    const pool = app.get<Pool>(PG_POOL);
    const events = Number(
      (await pool.query<{ n: string }>('SELECT count(*)::text AS n FROM events')).rows[0].n,
    );
    const [job] = (
      await pool.query<{ appended: string; refused: string }>(
        'SELECT appended::text, refused::text FROM import_jobs',
      )
    ).rows;
    console.log(
      `  import: ${imported.result}, ${Number(job.appended).toLocaleString('en-US')} appended, ${job.refused} refused in ${imported.seconds.toFixed(1)} s: ` +
        `${rate(lines, imported.seconds)} developments/s, ${rate(events, imported.seconds)} events/s; ` +
        `node CPU ${imported.cpuSeconds.toFixed(1)} s; peak RSS ${imported.peakRssMb} MiB; load ${load()}`,
    );

    const readBaseline = await timed(async () => {
      let after = '0';
      let read = 0;
      for (;;) {
        const { rows } = await pool.query<{ p: string }>({
          text: 'SELECT e.*, e.global_position::text AS p FROM events e WHERE e.global_position > $1 ORDER BY e.global_position LIMIT 5000',
          values: [after],
        });
        if (rows.length === 0) return read;
        read += rows.length;
        after = rows[rows.length - 1].p;
      }
    });
    const exported = await timed(async () => {
      const log = await prepareLogExport(pool, {});
      await pipeline(Readable.from(log.chunks(), { objectMode: false }), fs.createWriteStream(exportFile));
    });
    console.log(
      `  export: ${events.toLocaleString('en-US')} events, ${(fs.statSync(exportFile).size / 2 ** 20).toFixed(1)} MiB in ${exported.seconds.toFixed(2)} s: ` +
        `${rate(events, exported.seconds)} events/s; peak RSS ${exported.peakRssMb} MiB ` +
        `(baseline, a bare paged read of the rows: ${rate(readBaseline.result, readBaseline.seconds)} events/s)`,
    );
    const copyBaseline = await timed(async () => {
      await pool.query('CREATE TABLE events_copy (LIKE events)');
      await pool.query('INSERT INTO events_copy SELECT * FROM events');
      await pool.query('DROP TABLE events_copy');
    });
    await app.close();

    const restoreApp = await appOn(target);
    const restored = await timed(async () => restoreApp.get(LogRestorer).restore(exportFile));
    const rebuilt = await timed(async () => {
      const rebuilds = restoreApp.get(ProjectionRebuilds);
      while ((await rebuilds.progress(restored.result.rebuildJobId))?.state !== 'completed')
        await new Promise((resolve) => setTimeout(resolve, 100));
    });
    console.log(
      `  restore: ${restored.result.events.toLocaleString('en-US')} events of ${restored.result.streams.toLocaleString('en-US')} streams in ` +
        `${restored.seconds.toFixed(1)} s: ${rate(restored.result.events, restored.seconds)} events/s ` +
        `(digest check, insert, commitment_status from the folds, one transaction); read-model rebuild ${rebuilt.seconds.toFixed(1)} s; ` +
        `${rate(restored.result.events, restored.seconds + rebuilt.seconds)} events/s in all; peak RSS ${restored.peakRssMb} MiB ` +
        `(baseline, a server-side INSERT … SELECT of the same rows: ${rate(events, copyBaseline.seconds)} events/s); load ${load()}`,
    );
    await restoreApp.close();
  } finally {
    await Promise.all([source.drop(), target.drop(), baseline.drop()]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
