import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { RequireRole } from '../../../auth/access.decorators.js';
import { PG_POOL } from '../../../database/database.module.js';
import { ApiProblems } from '../../../http/api-problems.decorator.js';
import { SOURCE_ID } from '../../../sources/sources.dto.js';
import { SourceNotFoundError } from '../../../sources/sources.errors.js';
import { SourcesService } from '../../../sources/sources.service.js';
import { COMMITMENT_STREAM_PREFIX } from '../../stream/commitment.stream.js';

export class CitationDto {
  @ApiProperty() readonly commitmentId!: string;
  @ApiProperty({ format: 'uuid' }) readonly eventId!: string;
  @ApiProperty({ example: 'StatementRecorded' }) readonly type!: string;
  @ApiProperty({ format: 'date-time' }) readonly occurredAt!: string;
  @ApiProperty({ format: 'date-time' }) readonly recordedAt!: string;
  @ApiPropertyOptional() readonly quote?: string;
  @ApiPropertyOptional() readonly locator?: string;
  @ApiProperty({ description: "Whether the quote was found in the source's text when recorded" })
  readonly quoteVerified!: boolean;
  @ApiProperty({ description: 'The development was retracted since (it stays in the record)' })
  readonly retracted!: boolean;
}

export class CitationsDto {
  @ApiProperty() readonly sourceId!: string;
  @ApiProperty({ type: [CitationDto], description: 'In world order' }) readonly citations!: CitationDto[];
}

interface CitationRow {
  stream_id: string;
  event_id: string;
  type: string;
  occurred_at: Date;
  recorded_at: Date;
  source: { quote?: string; locator?: string; quoteVerified?: boolean };
  retracted: boolean;
}

/** Which developments cite a registered source: a query of the log itself, by an index on the citation. */
@ApiTags('sources')
@Controller('sources')
export class CitationsController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly sources: SourcesService,
  ) {}

  @Get(':id/citations')
  @RequireRole('reader')
  @ApiOperation({ summary: 'Every development citing the source, with its quote' })
  @ApiOkResponse({ type: CitationsDto })
  @ApiProblems(404)
  async citations(@Param('id') id: string): Promise<CitationsDto> {
    if (!SOURCE_ID.test(id) || !(await this.sources.get(id))) throw new SourceNotFoundError(id);
    const { rows } = await this.pool.query<CitationRow>({
      name: 'source_citations',
      text: `SELECT e.stream_id, e.event_id, e.type, e.occurred_at, e.recorded_at, e.data -> 'source' AS source,
               EXISTS (SELECT 1 FROM events r WHERE r.stream_id = e.stream_id AND r.type = 'EntryRetracted'
                       AND r.data ->> 'eventId' = e.event_id::text) AS retracted
             FROM events e
             WHERE e.data -> 'source' ->> 'sourceId' = $1 AND starts_with(e.stream_id, $2)
             ORDER BY e.occurred_at, e.global_position`,
      values: [id, COMMITMENT_STREAM_PREFIX],
    });
    return {
      sourceId: id,
      citations: rows.map((row) => ({
        commitmentId: row.stream_id.slice(COMMITMENT_STREAM_PREFIX.length),
        eventId: row.event_id,
        type: row.type,
        occurredAt: row.occurred_at.toISOString(),
        recordedAt: row.recorded_at.toISOString(),
        ...(row.source.quote === undefined ? {} : { quote: row.source.quote }),
        ...(row.source.locator === undefined ? {} : { locator: row.source.locator }),
        quoteVerified: row.source.quoteVerified === true,
        retracted: row.retracted,
      })),
    };
  }
}
