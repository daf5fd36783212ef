import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { IsFen, IsLocalDate } from '../common/validation/decorators';
import {
  DECISIONS,
  type Decision,
  OUTCOMES,
  type Outcome,
  REFERRAL_KINDS,
  REFERRAL_STATUSES,
  type ReferralKind,
  type ReferralStatus,
} from './referral-steps';
import { PageQuery } from '../common/paging';

export class CreateReferralDto {
  @ApiProperty({ enum: REFERRAL_KINDS }) @IsIn(REFERRAL_KINDS) kind!: ReferralKind;
  @ApiPropertyOptional({
    description:
      'The court to address. Payment order: only when no court of the service has jurisdiction over the ' +
      'employer’s domicile (the answer then warns it may decline). Judicial confirmation: defaults to the court ' +
      'that sent the case, else the committee’s partner court.',
  })
  @IsOptional()
  @IsUUID()
  courtId?: string;
  @ApiPropertyOptional({
    description: 'Judicial confirmation only: both parties apply jointly (must be true)',
  })
  @IsOptional()
  @IsBoolean()
  jointApplication?: boolean;
}

export class DecisionDto {
  @ApiProperty({ enum: DECISIONS }) @IsIn(DECISIONS) decision!: Decision;
  @ApiPropertyOptional({ example: '(2026)湘0102民督45号', description: 'Required when accepted' })
  @ValidateIf((o: DecisionDto) => o.decision === 'accepted' || o.courtCaseNo !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  courtCaseNo?: string;
  @ApiPropertyOptional({
    example: '2026-05-08',
    description: 'Local date of the decision; defaults to today',
  })
  @IsOptional()
  @IsLocalDate()
  on?: string;
  @ApiPropertyOptional({ description: 'Required when rejected' })
  @ValidateIf((o: DecisionDto) => o.decision === 'rejected' || o.reason !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason?: string;
}

/** Outcomes that need a reason (§9: dismissed with its reason; a refusal or withdrawal is worth saying why). */
const NEEDS_REASON: readonly Outcome[] = ['dismissed'];

export class OutcomeDto {
  @ApiProperty({ enum: OUTCOMES }) @IsIn(OUTCOMES) outcome!: Outcome;
  @ApiPropertyOptional({ example: '2026-05-20', description: 'Local date of the step; defaults to today' })
  @IsOptional()
  @IsLocalDate()
  on?: string;
  @ApiPropertyOptional({ description: 'paid: required, more than 0; enforcement_concluded: optional' })
  @ValidateIf(
    (o: OutcomeDto) =>
      o.outcome === 'paid' || (o.amountRecoveredFen !== undefined && o.amountRecoveredFen !== null),
  )
  @IsFen()
  @Min(0)
  amountRecoveredFen?: number;
  @ApiPropertyOptional({ description: 'Required for dismissed' })
  @ValidateIf((o: OutcomeDto) => NEEDS_REASON.includes(o.outcome) || o.reason !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class ListReferralsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: REFERRAL_STATUSES })
  @IsOptional()
  @IsIn(REFERRAL_STATUSES)
  status?: ReferralStatus;
  @ApiPropertyOptional({ enum: REFERRAL_KINDS }) @IsOptional() @IsIn(REFERRAL_KINDS) kind?: ReferralKind;
  @ApiPropertyOptional({ description: 'Only the referrals of this case' }) @IsOptional() @IsUUID() caseId?: string;
}
