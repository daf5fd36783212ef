import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { IsLocalDate } from '../common/validation/decorators';

export const REPORT_FORMATS = ['json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export class ReportSummaryQuery {
  @ApiPropertyOptional({ description: 'Required except for coordinators (their own committee)' })
  @IsOptional()
  @IsUUID()
  committeeId?: string;

  @ApiProperty({ example: '2026-03-01', description: 'First local date (Asia/Shanghai), inclusive' })
  @IsLocalDate()
  from!: string;

  @ApiProperty({ example: '2026-03-31', description: 'Last local date, inclusive; at most 366 days in all' })
  @IsLocalDate()
  to!: string;

  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;
}
