/**
 * The periodic two-way report (SPEC §7): the API answers it on demand (GET /reports/summary, JSON or CSV); the
 * worker publishes last month's to each committee's partner agencies on the 1st at 08:00 Asia/Shanghai.
 */
import { ReportPublisher, ReportsProcessor, ReportsScheduler } from './report-publisher';
import { ReportService } from './report.service';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

export { REPORTS_QUEUE } from './report-publisher';

export const REPORT_CONTROLLERS = [ReportsController];
export const REPORT_API_PROVIDERS = [ReportService, ReportsService];
/** The worker only (it also needs the Notifier, which the notifications feature provides). */
export const REPORT_WORKER_PROVIDERS = [ReportService, ReportPublisher, ReportsProcessor, ReportsScheduler];
