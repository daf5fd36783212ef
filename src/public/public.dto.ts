import { ApiProperty, OmitType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { CreateCaseDto } from '../cases/cases.dto';

/** SPEC §4 case number: `{committeeCode}-{year}-{seq}`, checked after upper-casing. */
export const CASE_NO_PATTERN = /^[A-Z0-9]{2,12}-\d{4}-\d{5}$/;

/**
 * A worker's online application (SPEC §10, §15): the staff intake body with the same nested DTOs and the same
 * validation, without what only staff decide — the source (always `online`), when it was received (now), the
 * origin of court- and arbitration-sent cases, and the coordinator's `separateDispute` — and with the
 * committee required.
 */
export class PublicApplicationDto extends OmitType(CreateCaseDto, [
  'committeeId',
  'source',
  'applicationReceivedAt',
  'originOrganisationId',
  'originReference',
  'procedure',
  'separateDispute',
] as const) {
  @ApiProperty({ description: 'The committee applied to (GET /public/committees)' })
  @IsUUID(undefined, { message: 'must be the id of a committee' })
  committeeId!: string;
}

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** SPEC §10/§15 status check. The code's own normalisation (case, spaces, hyphens) happens in the service. */
export class CaseStatusRequestDto {
  @ApiProperty({ example: 'CSZGH-2026-00042' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @IsString()
  @Matches(CASE_NO_PATTERN, { message: 'must be a case number such as CSZGH-2026-00042' })
  caseNo!: string;

  @ApiProperty({ example: '7K3M9QXD', description: '8 characters; case, spaces and hyphens do not matter' })
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty({ message: 'is required' })
  @MaxLength(32)
  @Matches(/^[-A-Za-z0-9 ]*$/, { message: 'must be letters and digits (spaces and hyphens are ignored)' })
  accessCode!: string;
}
