import { ApiProperty } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import { KEY_NAME, ROLES, type Role } from '../config/app-config.js';

const NAME_MESSAGE =
  '$property must be 1–64 characters of A–Z, a–z, 0–9, ".", "_" and "-", starting with a letter or digit';

export class CreateApiKeyDto {
  @ApiProperty({
    example: 'ops-2',
    pattern: KEY_NAME.source,
    description: 'Recorded as recordedBy on every event the key appends; never reused once revoked',
  })
  @Matches(KEY_NAME, { message: NAME_MESSAGE })
  readonly name!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: `$property must be one of ${ROLES.join(', ')}` })
  readonly role!: Role;
}

export class ApiKeyNameParamsDto {
  @Matches(KEY_NAME, { message: NAME_MESSAGE })
  readonly name!: string;
}

export class ApiKeyDto {
  @ApiProperty({ example: 'ops-2' }) readonly name!: string;
  @ApiProperty({ enum: ROLES }) readonly role!: Role;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'null for API_KEYS keys' })
  readonly createdAt!: string | null;
  @ApiProperty({ description: 'The admin key that created it, "npm run keys", "first start" or "API_KEYS"' })
  readonly createdBy!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) readonly revokedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) readonly revokedBy!: string | null;
}

export class ApiKeyListDto {
  @ApiProperty({
    enum: ['environment', 'database'],
    description: 'environment: the keys are API_KEYS and cannot be changed through the API',
  })
  readonly source!: 'environment' | 'database';

  @ApiProperty({ type: [ApiKeyDto], description: 'Active and revoked keys, by name; never a secret' })
  readonly items!: ApiKeyDto[];
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({
    description: 'The key itself (Authorization: Bearer <secret>): shown this once, never again',
  })
  readonly secret!: string;
}
