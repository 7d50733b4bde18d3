import { ApiProperty, OmitType } from '@nestjs/swagger';
import { COMMITMENT_STATUSES, type CommitmentStatus } from '../../domain/status-rules.js';
import { ListCommitmentsQueryDto } from '../dto/queries.dto.js';

/** The filters of `GET /commitments`, less the status (it is what is counted) and the paging. */
export class CommitmentStatisticsQueryDto extends OmitType(ListCommitmentsQueryDto, [
  'status',
  'limit',
  'cursor',
] as const) {}

export class CommitmentStatisticsDto {
  @ApiProperty({ example: 21, description: 'Commitments matching the filters' })
  readonly total!: number;

  @ApiProperty({
    description: 'How many of them have each status today; every status is listed, 0 included',
    example: Object.fromEntries(COMMITMENT_STATUSES.map((status) => [status, 0])),
    type: 'object',
    additionalProperties: { type: 'integer' },
  })
  readonly byStatus!: Record<CommitmentStatus, number>;
}
