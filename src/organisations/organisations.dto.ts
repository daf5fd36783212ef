import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { ORGANISATION_KINDS, OrganisationKind } from '../common/domain';

export class CreateOrganisationDto {
  @ApiProperty({ enum: ORGANISATION_KINDS }) @IsIn(ORGANISATION_KINDS) kind!: OrganisationKind;
  @ApiProperty() @IsString() @MinLength(2) @MaxLength(200) name!: string;
  @ApiPropertyOptional({ description: 'Committee code used in case numbers, e.g. CSZGH' })
  @ValidateIf((o: CreateOrganisationDto) => o.kind === 'committee' || o.code !== undefined)
  @Matches(/^[A-Z][A-Z0-9]{1,11}$/, {
    message: 'must be 2–12 capital letters or digits, starting with a letter',
  })
  code?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(300) address?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(50) phone?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) hours?: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  partnerCourtIds?: string[];
  @ApiPropertyOptional() @IsOptional() @IsUUID() partnerArbitrationCommissionId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() partnerJusticeBureauId?: string;
  @ApiPropertyOptional({ type: [String], description: 'GB/T 2260 division codes of a court’s jurisdiction' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @Matches(/^\d{6}$/, { each: true, message: 'each must be a 6-digit division code' })
  jurisdictionDivisionCodes?: string[];
}

/** Everything but the kind and the code, which never change (case numbers carry the code). */
export class UpdateOrganisationDto extends PartialType(
  OmitType(CreateOrganisationDto, ['kind', 'code'] as const),
) {}

export class ListOrganisationsQuery {
  @ApiPropertyOptional({ enum: ORGANISATION_KINDS })
  @IsOptional()
  @IsIn(ORGANISATION_KINDS)
  kind?: OrganisationKind;
}
