import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { CLAIM_TYPES, type ClaimType } from '../common/domain';
import { IsFen, IsLocalDate, IsOffsetDateTime } from '../common/validation/decorators';

/** When each party signed and the committee sealed; the agreement takes effect when the last is on it. */
export class SignaturesDto {
  @ApiProperty({ example: '2026-03-10T15:00:00+08:00' }) @IsOffsetDateTime() worker!: string;
  @ApiProperty({ example: '2026-03-10T15:05:00+08:00' }) @IsOffsetDateTime() employer!: string;
  @ApiProperty({ example: '2026-03-10T15:10:00+08:00' }) @IsOffsetDateTime() mediator!: string;
  @ApiProperty({ example: '2026-03-10T16:00:00+08:00' }) @IsOffsetDateTime() committeeSeal!: string;
}

export class AgreementItemDto {
  @ApiProperty({ enum: CLAIM_TYPES, description: 'The type of one of the case’s claims' })
  @IsIn(CLAIM_TYPES)
  claimType!: ClaimType;
  @ApiProperty({ example: 1000000, description: 'Integer fen' }) @IsFen() amountFen!: number;
  @ApiPropertyOptional({ example: '2025年11月至2026年1月工资' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;
}

export class InstalmentDto {
  @ApiProperty({ example: '2026-03-31', description: 'Local date (Asia/Shanghai), not before signing' })
  @IsLocalDate()
  dueOn!: string;
  @ApiProperty({ example: 500000, description: 'Integer fen, more than 0' })
  @IsFen()
  @Min(1, { message: 'must be at least 1 fen' })
  amountFen!: number;
}

export class RecordAgreementDto {
  @ApiProperty({ example: '2026-03-10T15:00:00+08:00' }) @IsOffsetDateTime() signedAt!: string;
  @ApiPropertyOptional({
    type: SignaturesDto,
    description: 'Left out: all four are taken as given at signedAt',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SignaturesDto)
  signatures?: SignaturesDto | null;
  @ApiProperty({ type: [AgreementItemDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsObject({ each: true, message: 'each item must be an object' })
  @ValidateNested({ each: true })
  @Type(() => AgreementItemDto)
  items!: AgreementItemDto[];
  @ApiPropertyOptional({
    type: [InstalmentDto],
    description: 'Must add up to the items’ total; may be left out when paidAtSigning',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(120)
  @IsObject({ each: true, message: 'each instalment must be an object' })
  @ValidateNested({ each: true })
  @Type(() => InstalmentDto)
  instalments?: InstalmentDto[];
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() accelerationOnDefault?: boolean;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() paidAtSigning?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(5000) otherTerms?: string | null;
  @ApiPropertyOptional({
    description: 'What the worker undertakes in return (e.g. returning equipment); a payment order then is not available',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  workerObligations?: string | null;
}

export class RecordPaymentDto {
  @ApiProperty({ example: 500000, description: 'Integer fen, more than 0' })
  @IsFen()
  @Min(1, { message: 'must be at least 1 fen' })
  amountFen!: number;
  @ApiProperty({ example: '2026-03-30', description: 'Local date (Asia/Shanghai), not in the future' })
  @IsLocalDate()
  paidOn!: string;
  @ApiPropertyOptional({ description: 'Pay this instalment first; the rest goes to the oldest unpaid' })
  @IsOptional()
  @IsUUID()
  instalmentId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(500) note?: string;
}
