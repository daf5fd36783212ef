import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/decorators';
import { CasesService } from '../cases/cases.service';
import { IdPipe } from '../common/params';
import { DeadlinesService } from './deadlines.service';

/** GET /cases/{id}/deadlines (SPEC §6): scoped like every case read; reminders are part of their deadline. */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CaseDeadlinesController {
  constructor(
    private readonly db: DataSource,
    private readonly cases: CasesService,
    private readonly deadlines: DeadlinesService,
    private readonly audit: AuditService,
  ) {}

  @Get(':id/deadlines')
  async list(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    const row = await this.cases.findVisible(this.db.manager, user, id);
    if (user.role === 'admin') {
      await this.audit.record({
        userId: user.id,
        action: 'admin_case_read',
        entity: 'case',
        entityId: row.id,
      });
    }
    return this.deadlines.listForCase(row.id);
  }
}
