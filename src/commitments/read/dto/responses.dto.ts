import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ACCESSION_ACTIONS, COMMITMENT_KINDS, RESERVATION_KINDS } from '../../domain/commitment.events.js';
import { EntryIntoForceDto } from '../../write/lifecycle.controller.js';
import { COMMITMENT_STATUSES, PARTICIPATIONS } from '../../domain/status-rules.js';

export class ConsentViewDto {
  @ApiProperty({ enum: ACCESSION_ACTIONS.filter((action) => action !== 'joining') }) readonly action!: string;
  @ApiProperty({ format: 'date' }) readonly depositedOn!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date',
    description: 'Null while the agreement awaits entry into force',
  })
  readonly effectiveOn!: string | null;
}

export class ReservationViewDto {
  @ApiProperty({ format: 'uuid', description: 'The ReservationMade event' }) readonly eventId!: string;
  @ApiProperty({ enum: RESERVATION_KINDS }) readonly kind!: string;
  @ApiProperty() readonly text!: string;
  @ApiPropertyOptional({ description: 'Objections: whose reservation' }) readonly objectsTo?: string;
  @ApiProperty({ format: 'date' }) readonly madeOn!: string;
  @ApiPropertyOptional({ format: 'date' }) readonly withdrawnOn?: string;
}

export class EntryIntoForceViewDto {
  @ApiProperty({ type: EntryIntoForceDto }) readonly rule!: EntryIntoForceDto;
  @ApiProperty() readonly instrumentsDeposited!: number;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date',
    description: 'Deposit of the N-th instrument',
  })
  readonly reachedOn!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) readonly inForceOn!: string | null;
}

export class PartyViewDto {
  @ApiProperty() readonly party!: string;
  @ApiProperty({ enum: PARTICIPATIONS }) readonly participation!: string;
  @ApiPropertyOptional() readonly stance?: string;
  @ApiPropertyOptional({ enum: [-1, 0, 1] }) readonly score?: number;
  @ApiPropertyOptional({ format: 'date' }) readonly joinedAt?: string;
  @ApiPropertyOptional({ format: 'date' }) readonly withdrewAt?: string;
  @ApiPropertyOptional({ format: 'date' }) readonly signedOn?: string;
  @ApiPropertyOptional({ type: ConsentViewDto, description: 'The latest instrument of consent deposited' })
  readonly consent?: ConsentViewDto;
  @ApiPropertyOptional({
    type: [ReservationViewDto],
    description:
      'On every party of an agreement with an entry-into-force rule, and on any party with reservations',
  })
  readonly reservations?: ReservationViewDto[];
}

export class CommitmentViewDto {
  @ApiProperty() readonly id!: string;
  @ApiProperty() readonly title!: string;
  @ApiProperty({ enum: COMMITMENT_KINDS }) readonly kind!: string;
  @ApiProperty({ enum: COMMITMENT_STATUSES }) readonly status!: string;
  @ApiProperty({ type: [PartyViewDto] }) readonly parties!: PartyViewDto[];
  @ApiPropertyOptional({
    type: EntryIntoForceViewDto,
    description: 'Only for a commitment with an entry-into-force rule',
  })
  readonly entryIntoForce?: EntryIntoForceViewDto;
  @ApiProperty() readonly proposedBy!: string;
  @ApiProperty({ type: [String] }) readonly topics!: string[];
  @ApiProperty({ nullable: true, type: String }) readonly summary!: string | null;
  @ApiProperty({ nullable: true, type: String }) readonly meeting!: string | null;
  @ApiProperty({ format: 'date-time' }) readonly proposedAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) readonly adoptedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) readonly completedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) readonly supersededBy!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) readonly dueDate!: string | null;
  @ApiProperty() readonly missedDeadlines!: number;
  @ApiProperty({
    description: 'dueDate before the reference date and not completed, superseded or withdrawn',
  })
  readonly overdue!: boolean;
  @ApiProperty({ nullable: true, type: Number, description: "Mean of the parties' latest scores" })
  readonly compliance!: number | null;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) readonly nextReviewOn!: string | null;
  @ApiProperty({ format: 'date-time' }) readonly lastDevelopmentAt!: string;
  @ApiProperty() readonly version!: number;
  @ApiProperty() readonly eventCount!: number;
}

export class CommitmentListDto {
  @ApiProperty({ type: [CommitmentViewDto] }) readonly items!: CommitmentViewDto[];
  @ApiProperty({ nullable: true, type: String }) readonly nextCursor!: string | null;
}

export class HistoryEntryDto {
  @ApiProperty({ format: 'uuid' }) readonly eventId!: string;
  @ApiProperty() readonly version!: number;
  @ApiProperty() readonly type!: string;
  @ApiProperty({ format: 'date-time' }) readonly occurredAt!: string;
  @ApiProperty({ format: 'date-time' }) readonly recordedAt!: string;
  @ApiProperty({ nullable: true, type: String }) readonly recordedBy!: string | null;
  @ApiProperty({ type: Object }) readonly data!: unknown;
  @ApiProperty() readonly retracted!: boolean;
  @ApiPropertyOptional({ format: 'uuid' }) readonly retractedBy?: string;
  @ApiPropertyOptional({
    description:
      "Present when the entry quotes its source: whether the quote was found in the cited source's " +
      'registered text (false: a source described inline, or one registered without text)',
  })
  readonly quoteVerified?: boolean;
}

export class CommitmentHistoryDto {
  @ApiProperty() readonly commitmentId!: string;
  @ApiProperty({ type: [HistoryEntryDto] }) readonly events!: HistoryEntryDto[];
}
