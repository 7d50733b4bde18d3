import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, Matches, ValidateIf, ValidateNested } from 'class-validator';
import {
  HttpUrl,
  IsCalendarDate,
  IsDateOrDateTime,
  IsNotMoreThanADayAhead,
  NotWith,
  Text,
} from '../../http/field-validators.js';
import { COMMITMENT_ID, PARTY_CODE } from './patterns.js';

export const PARTY_MESSAGE = '$property must be a party code such as US, VN, ASEAN (^[A-Z][A-Z0-9-]{1,15}$)';

/**
 * Where a fact comes from: a registered source by its id (`sourceId`, see POST /sources), or a source
 * described here (title, publisher, date, URL); either way at most a sentence quoted from it.
 */
export class SourceDto {
  @ApiPropertyOptional({
    description:
      'A registered source (POST /sources). The quote is then checked against its text: a quote not in ' +
      'it is a 422; a source without text takes the quote as unverified. Leave out title, publisher, url ' +
      'and publishedAt: the registration has them.',
    example: 's-3f9a2c41d07b5e68',
  })
  @IsOptional()
  @Matches(COMMITMENT_ID, { message: '$property must be the id of a registered source' })
  @NotWith(
    ['title', 'publisher', 'url', 'publishedAt'],
    'sourceId names a registered source, which has its own title, publisher, url and publishedAt: leave those out',
  )
  readonly sourceId?: string;

  @ApiPropertyOptional({
    description: 'Required unless sourceId is given',
    example: 'Vietnam proposes key directions for strengthening ASEAN-US cooperation',
  })
  @ValidateIf((source: SourceDto) => source.sourceId === undefined)
  @Text(500)
  readonly title?: string;

  @ApiPropertyOptional({ example: 'VOV.VN' })
  @IsOptional()
  @Text(200)
  readonly publisher?: string;

  @ApiPropertyOptional({ example: 'https://english.vov.vn/' })
  @IsOptional()
  @HttpUrl()
  readonly url?: string;

  @ApiPropertyOptional({ example: '2025-10-26', format: 'date' })
  @IsOptional()
  @IsCalendarDate()
  readonly publishedAt?: string;

  @ApiPropertyOptional({ maxLength: 1000, description: 'Word for word from the source' })
  @IsOptional()
  @Text(1000)
  readonly quote?: string;

  @ApiPropertyOptional({
    maxLength: 200,
    description: 'Where in a registered source: a page, paragraph or section',
    example: 'para. 10',
  })
  @IsOptional()
  @ValidateIf((source: SourceDto) => source.sourceId !== undefined || source.locator !== undefined)
  @NotWith(['title'], 'locator goes with a sourceId: it says where in a registered source the quote is')
  @Text(200)
  readonly locator?: string;
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
