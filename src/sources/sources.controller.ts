import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequireRole } from '../auth/access.decorators.js';
import type { ApiPrincipal } from '../auth/api-keys.service.js';
import { Principal } from '../auth/principal.decorator.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import {
  ListSourcesQueryDto,
  RegisterSourceDto,
  SOURCE_BODY_LIMIT_BYTES,
  SOURCE_ID,
  SourceListDto,
  SourceQueryDto,
  SourceViewDto,
} from './sources.dto.js';
import { SourceNotFoundError } from './sources.errors.js';
import { SourcesService, type SourceView } from './sources.service.js';

const DEFAULT_PAGE_SIZE = 50;

@ApiTags('sources')
@Controller('sources')
export class SourcesController {
  constructor(private readonly sources: SourcesService) {}

  @Post()
  @RequireRole('analyst')
  @RouteConfig({ bodyLimit: SOURCE_BODY_LIMIT_BYTES })
  @ApiOperation({
    summary:
      'Register a source (SourceRegistered): 201, or 200 with the source already registered for that text',
    description:
      'Sources are immutable: a corrected copy is a new source with `supersedes`. This route takes bodies ' +
      'of up to 16 MiB (16,777,216 bytes).',
  })
  @ApiOkResponse({ type: SourceViewDto, description: 'The same text was registered before: that source' })
  @ApiCreatedResponse({ type: SourceViewDto, description: 'The new source' })
  @ApiProblems(409, 422)
  async register(
    @Body() body: RegisterSourceDto,
    @Req() req: FastifyRequest,
    @Principal() who: ApiPrincipal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SourceView> {
    const { source, created } = await this.sources.register(body, {
      recordedBy: who.name,
      correlationId: req.id,
    });
    void reply.status(created ? 201 : 200).header('location', `/sources/${source.id}`);
    return source;
  }

  @Get()
  @RequireRole('reader')
  @ApiOperation({ summary: 'Registered sources in id order, filtered by publisher or words (q), paged' })
  @ApiOkResponse({ type: SourceListDto })
  async list(@Query() query: ListSourcesQueryDto): Promise<SourceListDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const items = await this.sources.list({
      publisher: query.publisher,
      q: query.q,
      after: query.cursor === undefined ? undefined : decodeCursor(query.cursor, (id) => SOURCE_ID.test(id)),
      limit,
    });
    const more = items.length > limit;
    const page = more ? items.slice(0, limit) : items;
    return { items: page, nextCursor: more ? encodeCursor(page[page.length - 1].id) : null };
  }

  @Get(':id')
  @RequireRole('reader')
  @ApiOperation({ summary: "A source's registration and digest; its text with ?include=text" })
  @ApiParam({ name: 'id' })
  @ApiOkResponse({ type: SourceViewDto })
  @ApiProblems(404)
  async get(@Param('id') id: string, @Query() query: SourceQueryDto): Promise<SourceView> {
    const source = SOURCE_ID.test(id) ? await this.sources.get(id, query.include === 'text') : null;
    if (!source) throw new SourceNotFoundError(id);
    return source;
  }
}
