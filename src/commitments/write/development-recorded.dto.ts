import { ApiProperty } from '@nestjs/swagger';

/** The answer of every write route (201, and the same answer to a replay). */
export class DevelopmentRecordedDto {
  @ApiProperty() readonly commitmentId!: string;
  @ApiProperty({ format: 'uuid' }) readonly eventId!: string;
  @ApiProperty({ description: 'Stream version after the append (first event = 1)' })
  readonly version!: number;
}
