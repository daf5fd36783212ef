import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { CasesService } from '../cases/cases.service';
import type { ExtendDto } from './sessions.dto';
import { caseRef } from './sessions.service';

interface ExtensionRow {
  id: string;
  case_id: string;
  days: number;
  reason: string;
  both_parties_consented: boolean;
  created_by: string | null;
  created_at: Date;
}

function extensionView(e: ExtensionRow) {
  return {
    id: e.id,
    caseId: e.case_id,
    days: e.days,
    reason: e.reason,
    bothPartiesConsented: e.both_parties_consented,
    createdBy: e.created_by,
    createdAt: e.created_at.toISOString(),
  };
}

/**
 * Extensions of the mediation period (SPEC §5 extend row). This records them; the deadlines feature moves the
 * mediation deadline by `days` from its current last day when it sees the 'extend' transition (payload
 * `{ extensionId, days, reason }`).
 */
@Injectable()
export class ExtensionsService {
  constructor(
    private readonly db: DataSource,
    private readonly cases: CasesService,
  ) {}

  async extend(user: AuthUser, caseId: string, dto: ExtendDto, ifMatch?: number) {
    let ext!: ExtensionRow;
    const c = await this.cases.act(user, caseId, 'extend', ifMatch, async ({ row, manager }) => {
      const rows: ExtensionRow[] = await manager.query(
        `INSERT INTO case_extensions (case_id, days, reason, both_parties_consented, created_by)
         VALUES ($1, $2, $3, true, $4) RETURNING *`,
        [row.id, dto.days, dto.reason, user.id],
      );
      ext = rows[0];
      return {
        reason: dto.reason,
        payload: { extensionId: ext.id, days: dto.days, reason: dto.reason, bothPartiesConsented: true },
      };
    });
    return { ...extensionView(ext), case: caseRef(c) };
  }

  async list(user: AuthUser, caseId: string) {
    const row = await this.cases.findVisible(this.db.manager, user, caseId);
    const rows: ExtensionRow[] = await this.db.query(
      `SELECT * FROM case_extensions WHERE case_id = $1 ORDER BY created_at, id`,
      [row.id],
    );
    return { items: rows.map(extensionView), nextCursor: null };
  }
}
