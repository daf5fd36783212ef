import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  Equals,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CASE_SOURCES, CASE_STATUSES, CLAIM_TYPES, ID_TYPES } from '../common/domain';
import type { CaseSource, CaseStatus, ClaimType, IdType } from '../common/domain';
import {
  IsContactPhone,
  IsCreditCode,
  IsDivisionCode,
  IsFen,
  IsIdNumber,
  IsLocalDate,
  IsOffsetDateTime,
  IsWorkerPhone,
} from '../common/validation/decorators';
import { PageQuery } from '../common/paging';

export class WorkerDto {
  @ApiProperty({ example: '王小明' }) @IsString() @MinLength(1) @MaxLength(50) name!: string;
  @ApiPropertyOptional({ enum: ID_TYPES, default: 'resident_id' })
  @IsOptional()
  @IsIn(ID_TYPES)
  idType?: IdType;
  @ApiProperty({ example: '11010519491231002X' }) @IsIdNumber('idType') idNumber!: string;
  @ApiProperty({ example: '13800138000' }) @IsWorkerPhone() phone!: string;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsEmail() @MaxLength(200) email?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(300) address?: string | null;
}

export class EmployerDto {
  @ApiProperty({ example: '某某快递有限公司' }) @IsString() @MinLength(1) @MaxLength(200) name!: string;
  @ApiPropertyOptional({
    example: '91350100M000100Y43',
    description: 'Absent for an individual contractor (包工头)',
  })
  // null is absent (the case answer shows `creditCode: null` for a contractor, `idNumber: null` for a company).
  @ValidateIf((o: EmployerDto) => o.creditCode != null || o.idNumber == null)
  @IsCreditCode()
  creditCode?: string | null;
  @ApiPropertyOptional({ enum: ID_TYPES, description: 'Individual contractor without a credit code' })
  @IsOptional()
  @IsIn(ID_TYPES)
  idType?: IdType | null;
  @ApiPropertyOptional({ description: 'Individual contractor without a credit code: the person’s ID' })
  @ValidateIf((o: EmployerDto) => o.idNumber != null || o.creditCode == null)
  @IsIdNumber('idType')
  idNumber?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(300) address?: string | null;
  @ApiPropertyOptional({ example: '350102' }) @IsOptional() @IsDivisionCode() domicileDivisionCode?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() whereaboutsUnknown?: boolean;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(50) contactName?:
    string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsContactPhone() contactPhone?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsEmail() @MaxLength(200) contactEmail?:
    string | null;
}

export class EmploymentDto {
  @ApiProperty({ example: '2024-03-01' }) @IsLocalDate() startDate!: string;
  @ApiPropertyOptional({ example: '2026-01-31', nullable: true }) @IsOptional() @IsLocalDate() endDate?:
    string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) position?: string | null;
}

export class ClaimDto {
  @ApiProperty({ enum: CLAIM_TYPES }) @IsIn(CLAIM_TYPES) type!: ClaimType;
  @ApiProperty({ example: 1250000, description: 'Integer fen' }) @IsFen() amountFen!: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) description?: string | null;
}

export class CreateCaseDto {
  @ApiPropertyOptional({ description: 'Optional for a coordinator: their own committee' })
  @IsOptional()
  @IsUUID()
  committeeId?: string;
  @ApiPropertyOptional({ enum: CASE_SOURCES }) @IsOptional() @IsIn(CASE_SOURCES) source?: CaseSource;
  @ApiPropertyOptional({ example: '2026-03-02T10:00:00+08:00' })
  @IsOptional()
  @IsOffsetDateTime()
  applicationReceivedAt?: string;
  @ApiProperty({ type: WorkerDto })
  @ValidateNested()
  @Type(() => WorkerDto)
  @IsNotEmptyObject()
  worker!: WorkerDto;
  @ApiProperty({ type: EmployerDto })
  @ValidateNested()
  @Type(() => EmployerDto)
  @IsNotEmptyObject()
  employer!: EmployerDto;
  @ApiProperty({ type: EmploymentDto })
  @ValidateNested()
  @Type(() => EmploymentDto)
  @IsNotEmptyObject()
  employment!: EmploymentDto;
  @ApiProperty({ type: [ClaimDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsObject({ each: true, message: 'each claim must be an object' })
  @ValidateNested({ each: true })
  @Type(() => ClaimDto)
  claims!: ClaimDto[];
  @ApiPropertyOptional({ example: '2026-02-01' }) @IsOptional() @IsLocalDate() knewOfInfringementOn?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(10000) facts?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() originOrganisationId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(100) originReference?: string;
  @ApiPropertyOptional({ enum: ['ordinary', 'simplified'] })
  @IsOptional()
  @IsIn(['ordinary', 'simplified'])
  procedure?: 'ordinary' | 'simplified';
  @ApiPropertyOptional() @IsOptional() @IsBoolean() separateDispute?: boolean;
}

/** Corrections before an agreement exists (SPEC §4): any part of the parties and claims, with a reason. */
export class CorrectCaseDto {
  @ApiProperty() @IsString() @MinLength(2) @MaxLength(500) reason!: string;
  @ApiPropertyOptional({ type: WorkerDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => WorkerDto)
  worker?: WorkerDto;
  @ApiPropertyOptional({ type: EmployerDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EmployerDto)
  employer?: EmployerDto;
  @ApiPropertyOptional({ type: EmploymentDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EmploymentDto)
  employment?: EmploymentDto;
  @ApiPropertyOptional({ type: [ClaimDto] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsObject({ each: true, message: 'each claim must be an object' })
  @ValidateNested({ each: true })
  @Type(() => ClaimDto)
  claims?: ClaimDto[];
  @ApiPropertyOptional() @IsOptional() @IsLocalDate() knewOfInfringementOn?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(10000) facts?: string;
}

export class ListCasesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: CASE_STATUSES }) @IsOptional() @IsIn(CASE_STATUSES) status?: CaseStatus;
  @ApiPropertyOptional() @IsOptional() @IsUUID() mediatorId?: string;
  @ApiPropertyOptional({ enum: CASE_SOURCES }) @IsOptional() @IsIn(CASE_SOURCES) source?: CaseSource;
  @ApiPropertyOptional({ description: 'Case number or party name' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  q?: string;
  @ApiPropertyOptional({ description: 'Exact ID number (blind index)' })
  @IsOptional()
  @IsString()
  @MinLength(5)
  @MaxLength(30)
  idNumber?: string;
}

export class GetCaseQuery {
  @ApiPropertyOptional({ enum: ['idNumber'] }) @IsOptional() @IsIn(['idNumber']) reveal?: 'idNumber';
}

export class RejectDto {
  @ApiProperty() @IsString() @MinLength(2) @MaxLength(1000) reason!: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() respondentRefused?: boolean;
}

export class AssignDto {
  @ApiProperty() @IsUUID() mediatorId!: string;
}

export class FailDto {
  @ApiProperty() @IsString() @MinLength(2) @MaxLength(1000) reason!: string;
  @ApiProperty({ enum: ['arbitration', 'origin', 'none'] })
  @IsIn(['arbitration', 'origin', 'none'])
  referTo!: 'arbitration' | 'origin' | 'none';
}

export class WithdrawDto {
  @ApiProperty() @IsString() @MinLength(2) @MaxLength(1000) reason!: string;
}

/** A body with no fields: any field sent is refused (the one marker property keeps class-validator's metadata). */
export class EmptyDto {
  @ValidateIf((o: object) => '__empty' in o)
  @Equals(undefined, { message: 'should not exist' })
  private readonly __empty?: undefined;
}

/** Present and a JSON object: ValidateNested alone lets an array through (`"worker": []`), and the service then fails. */
function IsNotEmptyObject(): PropertyDecorator {
  return (target, key) => {
    IsNotEmpty({ message: 'is required' })(target, key);
    IsObject({ message: 'must be an object' })(target, key);
  };
}
