import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  Equals,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { IsOffsetDateTime } from '../common/validation/decorators';

export const SESSION_MODES = ['in_person', 'online', 'phone'] as const;
export type SessionMode = (typeof SESSION_MODES)[number];

export const SESSION_OUTCOMES = [
  'continued',
  'postponed',
  'no_show_worker',
  'no_show_employer',
  'agreement',
  'failed',
] as const;
export type SessionOutcome = (typeof SESSION_OUTCOMES)[number];

export class ScheduleSessionDto {
  @ApiProperty({
    example: '2026-03-06T14:00:00+08:00',
    description: 'A past start logs a session after the fact',
  })
  @IsOffsetDateTime()
  startsAt!: string;
  @ApiProperty({ minimum: 15, maximum: 480, example: 90 })
  @IsInt()
  @Min(15)
  @Max(480)
  durationMinutes!: number;
  @ApiProperty({ enum: SESSION_MODES }) @IsIn(SESSION_MODES) mode!: SessionMode;
  @ApiPropertyOptional({ example: '芙蓉区调解室一', nullable: true })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  location?: string | null;
}

/** Any of the schedule's fields; at least one (checked by the service, which names the body). */
export class RescheduleSessionDto {
  @ApiPropertyOptional({ example: '2026-03-09T14:00:00+08:00' })
  @IsOptional()
  @IsOffsetDateTime()
  startsAt?: string;
  @ApiPropertyOptional({ minimum: 15, maximum: 480 })
  @IsOptional()
  @IsInt()
  @Min(15)
  @Max(480)
  durationMinutes?: number;
  @ApiPropertyOptional({ enum: SESSION_MODES }) @IsOptional() @IsIn(SESSION_MODES) mode?: SessionMode;
  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  location?: string | null;
}

export class CancelSessionDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(2) @MaxLength(1000) reason?: string;
}

export class RecordSessionDto {
  @ApiProperty({ example: ['worker', 'employer'], description: 'Who attended: roles or names' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  attendees!: string[];
  @ApiProperty({ description: 'Confidential: shown only to the committee’s staff (SPEC §8)' })
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  notes!: string;
  @ApiProperty({ enum: SESSION_OUTCOMES }) @IsIn(SESSION_OUTCOMES) outcome!: SessionOutcome;
  @ApiProperty({ example: '2026-03-06T15:30:00+08:00' }) @IsOffsetDateTime() endedAt!: string;
}

export class ExtendDto {
  @ApiProperty({ minimum: 1, maximum: 30, example: 10 }) @IsInt() @Min(1) @Max(30) days!: number;
  @ApiProperty() @IsString() @MinLength(2) @MaxLength(1000) reason!: string;
  @ApiProperty({ description: 'Both parties’ consent to the extension; must be true' })
  @IsBoolean()
  @Equals(true, { message: 'must be true: an extension needs both parties’ consent' })
  bothPartiesConsented!: boolean;
}
