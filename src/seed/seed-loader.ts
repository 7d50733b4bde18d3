import { createHash, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { RecordDevelopment } from '../commitments/write/record-development.command.js';
import {
  DEVELOPMENT_ACTIONS,
  developmentRequest,
  type DevelopmentAction,
} from '../commitments/write/development-actions.js';
import { createValidationPipe } from '../http/validation.js';
import { SourcesService } from '../sources/sources.service.js';
import corpusJson from './seed-corpus.json' with { type: 'json' };

export interface SeedDevelopment {
  readonly commitmentId: string;
  readonly action: DevelopmentAction;
  readonly body: Readonly<Record<string, unknown>>;
  /** A retraction names the development it retracts by its place in the corpus. */
  readonly retracts?: number;
}

export interface SeedSource {
  readonly title: string;
  readonly publisher: string;
  readonly publishedAt: string;
  readonly url?: string;
  /** The seed report's file (beside the project, not shipped with it). */
  readonly file?: string;
  /** The digest of the report's text, registered in place of the text. */
  readonly sha256?: string;
}

export interface SeedCorpus {
  readonly sources: Readonly<Record<string, SeedSource>>;
  /** Sources registered (POST /sources) under their key, by metadata and digest. */
  readonly registrations?: readonly string[];
  readonly developments: readonly SeedDevelopment[];
}

export const SEED_CORPUS = corpusJson as unknown as SeedCorpus;

/** The API key name the seed's events are recorded by. */
export const SEED_RECORDER = 'seed';

export interface SeedReport {
  readonly sourcesRegistered: number;
  readonly appended: number;
  readonly alreadyPresent: number;
  readonly failed: readonly {
    readonly index: number;
    readonly commitmentId: string;
    readonly reason: string;
  }[];
}

/**
 * Loads the seed corpus through the API's own path: every body is validated by the endpoint's DTO and
 * recorded by the same command handler. Each development carries an Idempotency-Key derived from its
 * content, so a restart, or a second instance loading at the same moment, appends nothing twice.
 */
@Injectable()
export class SeedLoader {
  private readonly logger = new Logger('Seed');

  constructor(
    private readonly commands: CommandBus,
    private readonly sources: SourcesService,
  ) {}

  async load(corpus: SeedCorpus = SEED_CORPUS): Promise<SeedReport> {
    const run = randomUUID();
    const sourcesRegistered = await this.registerSources(corpus, run);
    const pipe = createValidationPipe();
    let appended = 0;
    let alreadyPresent = 0;
    const failed: SeedReport['failed'][number][] = [];
    // The event each development recorded (or recorded on an earlier load), for the retractions after it.
    const eventIds = new Map<number, string>();
    for (const [index, development] of corpus.developments.entries()) {
      const { commitmentId, action, retracts } = development;
      try {
        const target = retracts === undefined ? undefined : eventIds.get(retracts);
        if (retracts !== undefined && target === undefined) {
          throw new Error(`it retracts development #${retracts}, which was not recorded`);
        }
        const given = target === undefined ? development.body : { ...development.body, eventId: target };
        const dto = DEVELOPMENT_ACTIONS[action].dto;
        const body: unknown = await pipe.transform(given, { type: 'body', metatype: dto });
        const { command } = developmentRequest(action, commitmentId, body as never);
        const hash = createHash('sha256')
          .update(
            JSON.stringify(
              retracts === undefined
                ? [commitmentId, action, development.body]
                : [commitmentId, action, development.body, retracts],
            ),
          )
          .digest('hex');
        const result = await this.commands.execute(
          new RecordDevelopment(command, {
            idempotency: { key: `seed:${hash}`, requestHash: hash },
            metadata: { recordedBy: SEED_RECORDER, correlationId: run },
          }),
        );
        eventIds.set(index, result.eventId);
        if (result.replayed) alreadyPresent++;
        else appended++;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        failed.push({ index, commitmentId, reason });
        this.logger.error(`seed development #${index} (${action} on ${commitmentId}) refused: ${reason}`);
      }
    }
    this.logger.log(
      `seed corpus: ${sourcesRegistered} sources registered, ${appended} developments appended, ` +
        `${alreadyPresent} already present, ${failed.length} refused`,
    );
    return { sourcesRegistered, appended, alreadyPresent, failed };
  }

  /** The reports the corpus cites by id, registered by metadata and digest (their text is not shipped). */
  private async registerSources(corpus: SeedCorpus, run: string): Promise<number> {
    let registered = 0;
    for (const id of corpus.registrations ?? []) {
      if (await this.sources.get(id)) continue;
      const { title, publisher, publishedAt, url, sha256 } = corpus.sources[id];
      const { created } = await this.sources.register(
        { id, title, publisher, publishedAt, ...(url ? { url } : {}), ...(sha256 ? { sha256 } : {}) },
        { recordedBy: SEED_RECORDER, correlationId: run },
      );
      if (created) registered++;
    }
    return registered;
  }
}
