import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequireRole } from '../../../auth/access.decorators.js';
import { ApiProblems } from '../../../http/api-problems.decorator.js';
import type { AppConfig } from '../../../config/app-config.js';
import { APP_CONFIG } from '../../../config/config.module.js';
import { ATOM_CONTENT_TYPE, toAtom } from '../../../http/atom.js';
import { replyWithCsv, toCsv } from '../../../http/csv.js';
import { decodeCursor, encodeCursor } from '../../../http/cursor.js';
import { IsDateOrDateTime, PageLimit, Text } from '../../../http/field-validators.js';
import { FormatQuery, responseFormat, type ResponseFormat } from '../../../http/response-format.js';
import { CORRECTION_REASONS } from '../../domain/corrections/corrections.development-rules.js';
import { COMMITMENT_ID } from '../../dto/patterns.js';
import { type CorrectionEntry, CorrectionsQueries } from './corrections.queries.js';

const DEFAULT_PAGE_SIZE = 50;
const CORRECTIONS_FORMATS: readonly ResponseFormat[] = ['json', 'csv', 'atom'];

export class CorrectionsQueryDto {
  @ApiPropertyOptional({ description: 'Only corrections recorded at or after this date or date-time' })
  @IsOptional()
  @IsDateOrDateTime()
  readonly since?: string;

  @ApiPropertyOptional({ description: "Only this commitment's corrections" })
  @IsOptional()
  @Matches(COMMITMENT_ID, { message: '$property must be a commitment id' })
  readonly commitment?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @PageLimit()
  readonly limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of a previous page' })
  @IsOptional()
  @Text(200)
  readonly cursor?: string;

  @FormatQuery(CORRECTIONS_FORMATS)
  readonly format?: ResponseFormat;
}

export class CorrectedEntryDto {
  @ApiProperty({ format: 'uuid' }) readonly eventId!: string;
  @ApiProperty({ example: 'StatementRecorded' }) readonly type!: string;
  @ApiProperty({ format: 'date-time' }) readonly occurredAt!: string;
  @ApiProperty() readonly summary!: string;
}

export class CorrectionDto {
  @ApiProperty({ format: 'uuid' }) readonly eventId!: string;
  @ApiProperty() readonly commitmentId!: string;
  @ApiProperty({ enum: ['retraction', 'proposal-correction'] }) readonly kind!: string;
  @ApiProperty({ enum: CORRECTION_REASONS }) readonly reason!: string;
  @ApiProperty({ type: String, nullable: true }) readonly note!: string | null;
  @ApiProperty({ format: 'date-time' }) readonly recordedAt!: string;
  @ApiProperty({ type: String, nullable: true }) readonly recordedBy!: string | null;
  @ApiProperty({ type: CorrectedEntryDto, description: 'The retracted entry, or the corrected proposal' })
  readonly corrected!: CorrectedEntryDto;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'The new values' })
  readonly corrections?: Record<string, unknown>;
}

export class CorrectionsDto {
  @ApiProperty({ type: [CorrectionDto], description: 'Newest first' }) readonly items!: CorrectionDto[];
  @ApiProperty({ type: String, nullable: true }) readonly nextCursor!: string | null;
}

const CSV_COLUMNS = [
  'recordedAt',
  'commitmentId',
  'kind',
  'reason',
  'note',
  'correctedType',
  'correctedOccurredAt',
  'correctedSummary',
  'recordedBy',
  'eventId',
  'correctedEventId',
];

/**
 * The public corrections log: JSON, CSV (`Accept: text/csv`) or an Atom feed (`Accept: application/atom+xml`),
 * or the same chosen with `?format=`.
 */
@ApiTags('corrections')
@Controller('corrections')
export class CorrectionsController {
  constructor(
    private readonly corrections: CorrectionsQueries,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @RequireRole('reader')
  @ApiOperation({
    summary: 'Every correction of the record — retractions and corrected proposals — newest first',
    description:
      'Each with its coded reason, note, who recorded it and when, and what it corrected. Accept: text/csv ' +
      '(or ?format=csv) for CSV, application/atom+xml (or ?format=atom) for an Atom feed, whose links are ' +
      'absolute (PUBLIC_BASE_URL) and lead to the web app’s page of each commitment.',
  })
  @ApiOkResponse({ type: CorrectionsDto })
  @ApiProduces('application/json', 'text/csv', 'application/atom+xml')
  @ApiProblems(400)
  async list(
    @Query() query: CorrectionsQueryDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CorrectionsDto | string> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.corrections.list({
      since: query.since,
      commitmentId: query.commitment,
      before:
        query.cursor === undefined ? undefined : decodeCursor(query.cursor, (key) => /^\d{1,19}$/.test(key)),
      limit,
    });
    const page = rows.slice(0, limit);
    const nextCursor = rows.length > limit ? encodeCursor(page[page.length - 1].position) : null;
    const items = page.map((row) => row.entry);
    const format = responseFormat(query.format, req.headers.accept, CORRECTIONS_FORMATS);
    if (format === 'csv') {
      replyWithCsv(reply, 'corrections.csv', nextCursor);
      return toCsv(CSV_COLUMNS, items.map(csvRow));
    }
    if (format === 'atom') {
      const base = this.config.publicBaseUrl;
      void reply.header('content-type', ATOM_CONTENT_TYPE);
      return toAtom({
        id: 'urn:commitment-tracker:corrections',
        title: 'Corrections to the commitments record',
        selfLink: `${base}${req.url}`,
        updated: items[0]?.recordedAt ?? new Date(0).toISOString(),
        entries: items.map((item) => ({
          id: `urn:uuid:${item.eventId}`,
          title: `${item.commitmentId}: ${item.reason.replace(/_/g, ' ')} — ${item.corrected.summary}`,
          updated: item.recordedAt,
          author: item.recordedBy ?? 'unknown',
          link: `${base}/commitment/${encodeURIComponent(item.commitmentId)}`,
          content: [
            `${item.kind === 'retraction' ? 'Retracted' : 'Corrected'} ${item.corrected.type} of ${item.corrected.occurredAt.slice(0, 10)}.`,
            item.note ? `Note: ${item.note}` : '',
            item.corrections ? `New values: ${JSON.stringify(item.corrections)}` : '',
          ]
            .filter(Boolean)
            .join(' '),
        })),
      });
    }
    return { items, nextCursor };
  }
}

function csvRow(item: CorrectionEntry): string[] {
  return [
    item.recordedAt,
    item.commitmentId,
    item.kind,
    item.reason,
    item.note ?? '',
    item.corrected.type,
    item.corrected.occurredAt,
    item.corrected.summary,
    item.recordedBy ?? '',
    item.eventId,
    item.corrected.eventId,
  ];
}
