import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsUrl, Matches, ValidateNested } from 'class-validator';
import {
  IsCalendarDate,
  IsDateOrDateTime,
  IsNotMoreThanADayAhead,
  MaxChars,
  PARTY_CODE,
  Text,
} from './validators.js';

export const PARTY_MESSAGE = '$property must be a party code such as US, VN, ASEAN (^[A-Z][A-Z0-9-]{1,15}$)';

/** Where a fact comes from: the report, its publisher and date, and at most a sentence quoted from it. */
export class SourceDto {
  @ApiProperty({ example: 'Vietnam proposes key directions for strengthening ASEAN-US cooperation' })
  @Text(500)
  readonly title!: string;

  @ApiPropertyOptional({ example: 'VOV.VN' })
  @IsOptional()
  @Text(200)
  readonly publisher?: string;

  @ApiPropertyOptional({ example: 'https://english.vov.vn/' })
  @IsOptional()
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true },
    { message: '$property must be an http(s) URL' },
  )
  @MaxChars(2000)
  readonly url?: string;

  @ApiPropertyOptional({ example: '2025-10-26', format: 'date' })
  @IsOptional()
  @IsCalendarDate()
  readonly publishedAt?: string;

  @ApiPropertyOptional({ maxLength: 1000, description: 'Word for word from the source' })
  @IsOptional()
  @Text(1000)
  readonly quote?: string;
}

/** The fields every world fact carries (API.md "Shared fields"). */
export abstract class WorldFactDto {
  @ApiProperty({
    description:
      'When it happened in the world: a date, or a date-time with offset (stored as UTC); at most 1 day ahead',
    example: '2025-10-26',
  })
  @IsDateOrDateTime()
  @IsNotMoreThanADayAhead()
  readonly occurredAt!: string;

  @ApiProperty({ type: SourceDto })
  @IsObject({ message: '$property is required: an object with at least a title' })
  @ValidateNested()
  @Type(() => SourceDto)
  readonly source!: SourceDto;

  @ApiPropertyOptional({ example: '13th ASEAN–US Summit, Kuala Lumpur' })
  @IsOptional()
  @Text(300)
  readonly meeting?: string;
}

/** Like {@link WorldFactDto}, for developments where API.md makes `occurredAt` and `source` optional. */
export abstract class OptionalWorldFactDto {
  @ApiPropertyOptional({ description: 'Defaults to the time of the request', example: '2025-10-26' })
  @IsOptional()
  @IsDateOrDateTime()
  @IsNotMoreThanADayAhead()
  readonly occurredAt?: string;

  @ApiPropertyOptional({ type: SourceDto })
  @IsOptional()
  @IsObject({ message: '$property must be an object with at least a title' })
  @ValidateNested()
  @Type(() => SourceDto)
  readonly source?: SourceDto;

  @ApiPropertyOptional()
  @IsOptional()
  @Text(300)
  readonly meeting?: string;
}

export const PartyCode = () => Matches(PARTY_CODE, { message: PARTY_MESSAGE });
