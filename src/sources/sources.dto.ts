import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { HttpUrl, IsCalendarDate, NotWith, PageLimit, Text } from '../http/field-validators.js';
import { DIGEST_NORMALISATION } from './source-text.js';

/** A source's text may be long (a whole report); the request carrying it may be 16 MiB. */
export const MAX_SOURCE_TEXT_CHARACTERS = 10_000_000;
export const SOURCE_BODY_LIMIT_BYTES = 16 * 1024 * 1024;

export const SOURCE_ID = /^[a-z0-9][a-z0-9-]{2,79}$/;

export class RegisterSourceDto {
  @ApiPropertyOptional({
    pattern: SOURCE_ID.source,
    description: 'Default: s- and the first 16 hex digits of the digest (random for a source without text)',
  })
  @IsOptional()
  @Matches(SOURCE_ID, {
    message: '$property must be 3–80 characters of a-z, 0-9 and -, starting with a letter or digit',
  })
  readonly id?: string;

  @ApiProperty({ example: 'Vietnam proposes key directions for strengthening ASEAN-US cooperation' })
  @Text(500)
  readonly title!: string;

  @ApiPropertyOptional({ example: 'VOV.VN (Voice of Vietnam)' })
  @IsOptional()
  @Text(200)
  readonly publisher?: string;

  @ApiPropertyOptional({ example: 'https://english.vov.vn/' })
  @IsOptional()
  @HttpUrl()
  readonly url?: string;

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsCalendarDate()
  readonly publishedAt?: string;

  @ApiPropertyOptional({ example: 'en', description: 'A language tag (BCP 47)' })
  @IsOptional()
  @Matches(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/, {
    message: '$property must be a language tag such as en or vi',
  })
  readonly language?: string;

  @ApiPropertyOptional({
    description:
      `The document's text as captured (UTF-8, at most ${MAX_SOURCE_TEXT_CHARACTERS.toLocaleString('en-US')} ` +
      `characters). Its digest is taken after: ${DIGEST_NORMALISATION}. The same text again is the same source.`,
  })
  @IsOptional()
  @Text(MAX_SOURCE_TEXT_CHARACTERS)
  readonly text?: string;

  @ApiPropertyOptional({
    description: 'Without text only: the SHA-256 (hex) of a text kept elsewhere, normalised as above',
  })
  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/, { message: '$property must be a SHA-256 digest in lower-case hex' })
  @NotWith(['text'], 'sha256 is computed from text: give one or the other')
  readonly sha256?: string;

  @ApiPropertyOptional({ description: 'The registered source this one corrects or replaces' })
  @IsOptional()
  @Matches(SOURCE_ID, { message: '$property must be the id of a registered source' })
  readonly supersedes?: string;
}

export class SourceViewDto {
  @ApiProperty() readonly id!: string;
  @ApiProperty() readonly title!: string;
  @ApiProperty({ type: String, nullable: true }) readonly publisher!: string | null;
  @ApiProperty({ type: String, nullable: true }) readonly url!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) readonly publishedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) readonly language!: string | null;
  @ApiProperty({ type: String, nullable: true, description: `SHA-256 (hex) after: ${DIGEST_NORMALISATION}` })
  readonly sha256!: string | null;
  @ApiProperty({ description: 'Whether the tracker holds the text, and checks quotes against it' })
  readonly hasText!: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'In characters' }) readonly textLength!:
    number | null;
  @ApiProperty({ type: String, nullable: true }) readonly supersedes!: string | null;
  @ApiProperty({ type: [String], description: 'Sources registered as corrections of this one' })
  readonly supersededBy!: string[];
  @ApiProperty({ format: 'date-time' }) readonly registeredAt!: string;
  @ApiProperty() readonly registeredBy!: string;
  @ApiPropertyOptional({ description: 'With ?include=text' }) readonly text?: string;
}

export class SourceListDto {
  @ApiProperty({ type: [SourceViewDto] }) readonly items!: SourceViewDto[];
  @ApiProperty({ type: String, nullable: true }) readonly nextCursor!: string | null;
}

export class SourceQueryDto {
  @ApiPropertyOptional({ enum: ['text'], description: "include=text adds the source's text" })
  @IsOptional()
  @IsIn(['text'], { message: '$property must be text' })
  readonly include?: 'text';
}

export class ListSourcesQueryDto {
  @ApiPropertyOptional() @IsOptional() @Text(200) readonly publisher?: string;

  @ApiPropertyOptional({ description: 'Words in the title or publisher' })
  @IsOptional()
  @Text(200)
  readonly q?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @PageLimit()
  readonly limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of a previous page' })
  @IsOptional()
  @Text(200)
  readonly cursor?: string;
}
