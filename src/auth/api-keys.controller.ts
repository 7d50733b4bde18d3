import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblem } from '../http/api-problems.decorator.js';
import { RequireRole } from './access.decorators.js';
import { type ApiPrincipal, ApiKeysService } from './api-keys.service.js';
import { ApiKeyListDto, ApiKeyNameParamsDto, CreateApiKeyDto, CreatedApiKeyDto } from './api-keys.dto.js';
import { Principal } from './principal.decorator.js';

const FROM_ENVIRONMENT = 'The keys come from API_KEYS: change it and restart instead';

@ApiTags('admin')
@Controller('admin/keys')
@RequireRole('admin')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  @ApiOperation({ summary: 'Every API key, active and revoked, with its role (never a secret)' })
  @ApiOkResponse({ type: ApiKeyListDto })
  list(): Promise<ApiKeyListDto> {
    return this.keys.list();
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create an API key; its secret is in this answer and nowhere else',
    description:
      'Only the SHA-256 digest of the secret is stored. Every instance accepts the key within a second.',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiProblem(409, `The name is taken (names of revoked keys too). ${FROM_ENVIRONMENT}`)
  async create(
    @Body() body: CreateApiKeyDto,
    @Principal() who: ApiPrincipal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CreatedApiKeyDto> {
    void reply.header('cache-control', 'no-store');
    return this.keys.create(body.name, body.role, who.name);
  }

  @Delete(':name')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Revoke an API key',
    description:
      'The key stops working on this instance at once and on every other within API_KEY_REFRESH_MS ' +
      '(5 s by default). Its name stays reserved: events it recorded carry it.',
  })
  @ApiParam({ name: 'name', example: 'ops-2' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiProblem(404, 'No key has that name, or it is already revoked')
  @ApiProblem(409, `It is the last active admin key (create another first). ${FROM_ENVIRONMENT}`)
  async revoke(@Param() params: ApiKeyNameParamsDto, @Principal() who: ApiPrincipal): Promise<void> {
    await this.keys.revoke(params.name, who.name);
  }
}
