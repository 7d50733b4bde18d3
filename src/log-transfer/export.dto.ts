import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID, Matches } from 'class-validator';
import { COMMITMENT_ID } from '../commitments/dto/patterns.js';

export class ExportQueryDto {
  @ApiPropertyOptional({ description: "Only this commitment's events", pattern: COMMITMENT_ID.source })
  @IsOptional()
  @Matches(COMMITMENT_ID, { message: '$property must be a commitment id' })
  readonly commitment?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'Only events after this one in commit-safe order (e.g. the last event of an earlier export): ' +
      'event ids are kept by a restore, so this works across databases',
  })
  @IsOptional()
  @IsUUID('all', { message: '$property must be an event id (UUID)' })
  readonly after?: string;
}
