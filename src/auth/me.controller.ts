import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ROLES, type Role } from '../config/app-config.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { RequireRole } from './access.decorators.js';
import type { ApiPrincipal } from './api-keys.service.js';
import { Principal } from './principal.decorator.js';

export class PrincipalDto {
  @ApiProperty({ example: 'alice', description: 'The key’s name, recorded as recordedBy on what it appends' })
  readonly name!: string;

  @ApiProperty({ enum: ROLES, example: 'analyst' })
  readonly role!: Role;
}

/** Who the presented key is: lets a client (the web app) show it and offer only what the role allows. */
@ApiTags('auth')
@Controller('me')
export class MeController {
  @Get()
  @RequireRole('reader')
  @ApiOperation({ summary: 'The name and role of the API key sending the request' })
  @ApiOkResponse({ type: PrincipalDto })
  @ApiProblems(401)
  me(@Principal() principal: ApiPrincipal): PrincipalDto {
    return { name: principal.name, role: principal.role };
  }
}
