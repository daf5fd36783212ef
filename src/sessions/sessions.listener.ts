import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CaseTransition, CaseTransitionListener } from '../cases/case-transitions';
import { CaseTransitions } from '../cases/case-transitions';

/** Why the sessions a case no longer needs were cancelled (shown with each). */
export const MEDIATION_OVER = '调解已结束，未举行的调解会议自动取消';

/**
 * When a case leaves mediation (an agreement, a failure, a withdrawal) its sessions still scheduled will not be
 * held: they are cancelled in the same transaction (their reminders end with them, see the session deadline
 * kind), so no one is reminded of a meeting that will not take place and the calendar feed drops them.
 */
@Injectable()
export class SessionsListener implements CaseTransitionListener, OnModuleInit {
  constructor(private readonly transitions: CaseTransitions) {}

  onModuleInit(): void {
    this.transitions.register(this);
  }

  async onTransition(m: EntityManager, t: CaseTransition): Promise<void> {
    if (t.from !== 'in_mediation' || t.to === 'in_mediation') return;
    await m.query(
      `UPDATE sessions SET status = 'cancelled', cancelled_at = now(), cancelled_by = $2, cancel_reason = $3,
              updated_at = now()
        WHERE case_id = $1 AND status = 'scheduled'`,
      [t.row.id, t.actorUserId, MEDIATION_OVER],
    );
  }
}
