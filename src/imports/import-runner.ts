import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Readable } from 'node:stream';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Pool } from 'pg';
import type { SequencedOutcome } from '../commitments/write/command-sequence.js';
import { CommitmentWriter } from '../commitments/write/commitment-writer.js';
import { BACKGROUND_POOL } from '../database/database.module.js';
import { createValidationPipe } from '../http/validation.js';
import { columnOfField } from './csv-columns.js';
import { importedDevelopment, type ImportedDevelopment, type LineRefusal } from './import-development.js';
import {
  HEARTBEAT_MS,
  type ImportCounts,
  type ImportFormat,
  ImportJobs,
  type ImportRefusal,
  type ImportState,
} from './import-jobs.js';
import { ImportFileError, importLines, type ReadPosition } from './import-lines.js';

/**
 * Lines decided and appended together, up to this many or this much of the file: a commitment's lines
 * in a batch share one append, and a round trip costs far more than a line, so a batch reaches far
 * enough into a file sorted by date (a commitment's lines spread out) to gather several of each. Both
 * bounds keep the memory of a batch fixed, whatever the file's size; a smaller batch would split
 * interleaved commitments' lines over more appends.
 */
const BATCH_LINES = 20_000;
const BATCH_BYTES = 32 * 1024 * 1024;

export interface ImportRequest {
  readonly format: ImportFormat;
  /** The importing key's name: every event is recorded by it, and explicit idempotency keys are scoped to it. */
  readonly recordedBy: string;
  /** The file's size in bytes, for the progress. */
  readonly bytes: number;
}

/** Stops a job between two batches (the instance is shutting down, or the job was declared interrupted). */
class JobStopped extends Error {}

/**
 * Runs import jobs: reads the file line by line, validates each line as its POST would be, and hands
 * the lines to the commitments' writer (a {@link CommitmentWriter.sequence} per job) a batch at a time,
 * validating the next batch while the last one is being appended. Progress, refusals and a heartbeat
 * go to the job's row after every batch and at least every {@link HEARTBEAT_MS}, so any instance can
 * answer for the job and a job whose instance died shows as interrupted. An instance shutting down
 * interrupts its jobs between two batches.
 */
@Injectable()
export class ImportRunner implements OnModuleDestroy {
  private readonly logger = new Logger('Imports');
  private readonly instance = `${os.hostname().slice(0, 24)}:${process.pid}`;
  private readonly running = new Map<string, { stop: AbortController; done: Promise<ImportState> }>();

  private readonly writer: CommitmentWriter;

  /**
   * Jobs read and append on the background pool: a batch's statements may take longer than a request's
   * limit, and a long import must not take the connections requests need.
   */
  constructor(
    @Inject(BACKGROUND_POOL) pool: Pool,
    writer: CommitmentWriter,
    private readonly jobs: ImportJobs,
  ) {
    this.writer = writer.through(pool);
  }

  /** Records a new job as running here and returns its id. */
  async create(request: ImportRequest): Promise<string> {
    const jobId = randomUUID();
    await this.jobs.create({
      jobId,
      instance: this.instance,
      format: request.format,
      requestedBy: request.recordedBy,
      bytes: request.bytes,
    });
    return jobId;
  }

  /** Runs a created job to its end and returns its final state; `onProgress` sees every batch. */
  run(
    jobId: string,
    input: Readable,
    request: ImportRequest,
    onProgress?: (counts: ImportCounts, position: ReadPosition) => void,
  ): Promise<ImportState> {
    const stop = new AbortController();
    const done = this.runToEnd(jobId, input, request, stop.signal, onProgress).finally(() =>
      this.running.delete(jobId),
    );
    this.running.set(jobId, { stop, done });
    return done;
  }

  async onModuleDestroy(): Promise<void> {
    const jobs = [...this.running.values()];
    for (const job of jobs) job.stop.abort();
    await Promise.allSettled(jobs.map((job) => job.done));
  }

  private async runToEnd(
    jobId: string,
    input: Readable,
    request: ImportRequest,
    stop: AbortSignal,
    onProgress?: (counts: ImportCounts, position: ReadPosition) => void,
  ): Promise<ImportState> {
    const position: ReadPosition = { bytes: 0, line: 0 };
    const counts = { bytesRead: 0, linesRead: 0, appended: 0, alreadyPresent: 0, refused: 0 };
    const writer = this.writer.sequence({ recordedBy: request.recordedBy, correlationId: jobId });
    const pipe = createValidationPipe();
    let lost = false;
    const heartbeat = setInterval(() => {
      this.jobs.progress(jobId, counts, []).then(
        (running) => (lost ||= !running),
        () => undefined,
      );
    }, HEARTBEAT_MS);
    const write = async (batch: readonly (ImportedDevelopment | LineRefusal)[]) => {
      const outcomes = await writer.record(batch);
      counts.linesRead += batch.length;
      const refusals = this.tally(outcomes, counts, request.format);
      counts.bytesRead = position.bytes;
      if (!(await this.jobs.progress(jobId, counts, refusals))) lost = true;
      onProgress?.({ ...counts }, position);
    };
    try {
      let batch: (ImportedDevelopment | LineRefusal)[] = [];
      let batchStart = 0;
      let writing: Promise<void> = Promise.resolve();
      for await (const lines of importLines(input, request.format, position)) {
        for (const source of lines) {
          if (stop.aborted || lost) throw new JobStopped();
          batch.push(
            source.problem
              ? { line: source.line, commitmentId: null, problem: source.problem }
              : await importedDevelopment(source.line, source.fields, request.recordedBy, pipe, new Date()),
          );
          if (batch.length < BATCH_LINES && position.bytes - batchStart < BATCH_BYTES) continue;
          await writing;
          if (stop.aborted || lost) throw new JobStopped();
          writing = write(batch);
          batchStart = position.bytes;
          // Awaited before the next batch; marked handled now, so a failure is not an unhandled rejection meanwhile.
          writing.catch(() => undefined);
          batch = [];
        }
      }
      await writing;
      if (stop.aborted || lost) throw new JobStopped();
      if (batch.length > 0) await write(batch);
      counts.bytesRead = position.bytes;
      await this.jobs.progress(jobId, counts, []);
      await this.jobs.finish(jobId, 'completed', null);
      return 'completed';
    } catch (error) {
      return this.end(jobId, error, stop.aborted || lost);
    } finally {
      clearInterval(heartbeat);
      input.destroy();
    }
  }

  /** Counts a batch's outcomes and returns its refused lines as the job reports them. */
  private tally(
    outcomes: readonly SequencedOutcome[],
    counts: { appended: number; alreadyPresent: number; refused: number },
    format: ImportFormat,
  ): ImportRefusal[] {
    const refusals: ImportRefusal[] = [];
    for (const { line, commitmentId, outcome } of outcomes) {
      if (outcome.status === 'appended') counts.appended++;
      else if (outcome.status === 'present') counts.alreadyPresent++;
      else {
        counts.refused++;
        const field = outcome.problem.errors?.[0]?.field ?? null;
        refusals.push({
          line,
          commitmentId,
          field: field === null || format === 'ndjson' ? field : columnOfField(field),
          problem: outcome.problem,
        });
      }
    }
    return refusals;
  }

  private async end(jobId: string, error: unknown, stopped: boolean): Promise<ImportState> {
    const state: ImportState = stopped ? 'interrupted' : 'failed';
    const message = stopped
      ? 'the instance running the import stopped it (shutting down): import the file again; the lines already imported are recognised and skipped'
      : error instanceof ImportFileError
        ? `the file cannot be imported: ${error.message}`
        : `the import stopped on an error (${error instanceof Error ? error.message : String(error)}): import the file again; the lines already imported are recognised and skipped`;
    if (!stopped && !(error instanceof ImportFileError)) {
      this.logger.error(
        `import ${jobId} failed: ${message}`,
        error instanceof Error ? error.stack : undefined,
      );
    }
    await this.jobs.finish(jobId, state, message).catch((finishError: unknown) => {
      this.logger.error(`import ${jobId}: could not record its end: ${String(finishError)}`);
    });
    return state;
  }
}
