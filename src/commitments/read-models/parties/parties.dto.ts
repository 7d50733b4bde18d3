import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import {
  COMMITMENT_STATUSES,
  type CommitmentStatus,
  PARTICIPATIONS,
  type Participation,
} from '../../domain/status-rules.js';
import { PARTY_CODE } from '../../dto/patterns.js';
import { type ComplianceScore, type Stance, STANCES } from '../../domain/commitment.events.js';
import type { PartyRole } from './party-commitments.queries.js';

const PARTY_ROLES: readonly PartyRole[] = ['party', 'proposer', 'witness', 'speaker'];

export class PartyParamsDto {
  @ApiProperty({ example: 'VN', pattern: PARTY_CODE.source })
  @Matches(PARTY_CODE, { message: '$property must be a party code such as US or ASEAN' })
  readonly party!: string;
}

export class PartyCommitmentDto {
  @ApiProperty({ example: 'asean-us-plan-of-action-2021-2025' })
  readonly commitmentId!: string;

  @ApiProperty()
  readonly title!: string;

  @ApiProperty({ enum: COMMITMENT_STATUSES, description: 'The status today' })
  readonly status!: CommitmentStatus;

  @ApiPropertyOptional({
    enum: PARTICIPATIONS,
    description:
      "The party's, today; absent when it is not a party to the commitment (only a proposer, witness or speaker)",
  })
  readonly participation?: Participation;

  @ApiPropertyOptional({ enum: STANCES, description: "The party's latest stated stance" })
  readonly stance?: Stance;

  @ApiPropertyOptional({ enum: [-1, 0, 1], description: "The party's latest compliance score" })
  readonly score?: ComplianceScore;

  @ApiProperty({
    enum: PARTY_ROLES,
    isArray: true,
    example: ['party', 'proposer', 'speaker'],
    description:
      'How the party is involved, in this order: party (a party to it today, withdrawn included), proposer, ' +
      'witness (named by an adoption), speaker (made a statement on it)',
  })
  readonly roles!: PartyRole[];
}

export class PartyCommitmentsViewDto {
  @ApiProperty({ example: 'VN' })
  readonly party!: string;

  @ApiProperty({
    type: [PartyCommitmentDto],
    description:
      'Every commitment the party is a party to today (withdrawn included), proposed, witnessed or made a ' +
      'statement on, in id order',
  })
  readonly commitments!: PartyCommitmentDto[];
}
