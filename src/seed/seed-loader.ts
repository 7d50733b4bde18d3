import { createHash, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { RecordDevelopment } from '../commitments/record-development.handler.js';
import {
  DEVELOPMENT_ACTIONS,
  developmentRequest,
  type DevelopmentAction,
} from '../commitments/development-actions.js';
import { createValidationPipe } from '../http/validation.js';
import corpusJson from './seed-corpus.json' with { type: 'json' };

export interface SeedDevelopment {
  readonly commitmentId: string;
  readonly action: DevelopmentAction;
  readonly body: Readonly<Record<string, unknown>>;
}

export interface SeedCorpus {
  readonly sources: Readonly<
    Record<string, { title: string; publisher: string; publishedAt: string; file?: string }>
  >;
  readonly developments: readonly SeedDevelopment[];
}

export const SEED_CORPUS = corpusJson as unknown as SeedCorpus;

/** The API key name the seed's events are recorded by. */
export const SEED_RECORDER = 'seed';

export interface SeedReport {
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

  constructor(private readonly commands: CommandBus) {}

  async load(corpus: SeedCorpus = SEED_CORPUS): Promise<SeedReport> {
    const pipe = createValidationPipe();
    const run = randomUUID();
    let appended = 0;
    let alreadyPresent = 0;
    const failed: SeedReport['failed'][number][] = [];
    for (const [index, development] of corpus.developments.entries()) {
      const { commitmentId, action } = development;
      try {
        const dto = DEVELOPMENT_ACTIONS[action].dto;
        const body: unknown = await pipe.transform(development.body, { type: 'body', metatype: dto });
        const { command } = developmentRequest(action, commitmentId, body as never);
        const hash = createHash('sha256')
          .update(JSON.stringify([commitmentId, action, development.body]))
          .digest('hex');
        const result = await this.commands.execute(
          new RecordDevelopment(command, {
            idempotency: { key: `seed:${hash}`, requestHash: hash },
            metadata: { recordedBy: SEED_RECORDER, correlationId: run },
          }),
        );
        if (result.replayed) alreadyPresent++;
        else appended++;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        failed.push({ index, commitmentId, reason });
        this.logger.error(`seed development #${index} (${action} on ${commitmentId}) refused: ${reason}`);
      }
    }
    this.logger.log(
      `seed corpus: ${appended} developments appended, ${alreadyPresent} already present, ${failed.length} refused`,
    );
    return { appended, alreadyPresent, failed };
  }
}
