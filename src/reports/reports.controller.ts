import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { reportCsv, reportFilename } from './report-csv';
import { ReportSummaryQuery } from './reports.dto';
import { ReportsService } from './reports.service';

/** The periodic two-way report on demand (SPEC §7, §11), as JSON or as CSV for a spreadsheet. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('summary')
  @Roles('coordinator', 'admin', 'agency_observer', 'court_liaison')
  @ApiProduces('application/json', 'text/csv')
  async summary(@CurrentUser() user: AuthUser, @Query() q: ReportSummaryQuery) {
    const report = await this.reports.summary(user, q);
    if (q.format !== 'csv') return report;
    const csv = reportCsv(report);
    const name = reportFilename(report);
    return new StreamableFile(csv, {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="${name.ascii}"; filename*=UTF-8''${encodeURIComponent(name.utf8)}`,
      length: csv.length,
    });
  }
}
