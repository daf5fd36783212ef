import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsFen, IsLocalDate } from '../common/validation/decorators';

/** What an agency can report about a case after it left mediation (SPEC §2, §7). */
export const AGENCY_OUTCOME_KINDS = [
  'arbitration_award',
  'arbitration_mediation',
  'court_mediation',
  'judgment',
  'withdrawal',
  'other',
] as const;
export type AgencyOutcomeKind = (typeof AGENCY_OUTCOME_KINDS)[number];

/** The kinds that award the worker an amount; the others carry none. */
export const AWARDING_KINDS: readonly AgencyOutcomeKind[] = [
  'arbitration_award',
  'arbitration_mediation',
  'court_mediation',
  'judgment',
  'other',
];

export class RecordAgencyOutcomeDto {
  @ApiProperty({
    enum: AGENCY_OUTCOME_KINDS,
    description:
      '仲裁裁决 arbitration_award; 仲裁调解书 arbitration_mediation; 民事调解书 court_mediation; 判决 judgment; 撤诉/撤回 withdrawal',
  })
  @IsIn(AGENCY_OUTCOME_KINDS)
  kind!: AgencyOutcomeKind;

  @ApiProperty({ example: '2026-05-20', description: 'Local date of the decision; not in the future' })
  @IsLocalDate()
  decidedOn!: string;

  @ApiPropertyOptional({ example: '(2026)湘0102民初123号', description: 'The document number' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  reference?: string;

  @ApiPropertyOptional({
    example: 1250000,
    description: 'Integer fen awarded to the worker (not for withdrawal)',
  })
  @IsOptional()
  @IsFen()
  amountAwardedFen?: number;

  @ApiPropertyOptional({ description: 'Free text; no ID numbers' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  note?: string;
}
