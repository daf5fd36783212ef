import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CaseTransition, CaseTransitionListener } from '../cases/case-transitions';
import { CaseTransitions } from '../cases/case-transitions';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DeadlineKinds } from './deadline-kinds';
import { DeadlineScheduler } from './deadline-scheduler';
import { DeadlinesService } from './deadlines.service';

/**
 * Every case change, in its transaction (SPEC §5: "its deadlines … are written in one transaction"):
 * 1. the kinds that the action meets have their pending deadlines `met`;
 * 2. each kind creates, moves or ends its own deadlines;
 * 3. a case that closes cancels whatever is still pending, except what step 2 just planned (the limitation
 *    that restarts when mediation fails).
 * After the commit, the case's reminders within the horizon are enqueued.
 */
@Injectable()
export class DeadlinesListener implements CaseTransitionListener, OnModuleInit {
  constructor(
    private readonly transitions: CaseTransitions,
    private readonly kinds: DeadlineKinds,
    private readonly deadlines: DeadlinesService,
    private readonly scheduler: DeadlineScheduler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.transitions.register(this);
  }

  async onTransition(m: EntityManager, t: CaseTransition): Promise<void> {
    const w = await this.deadlines.writer(m, t.at);
    const caseId = t.row.id;
    for (const kind of this.kinds.all()) {
      if (!(kind.metBy as readonly string[] | undefined)?.includes(t.action)) continue;
      for (const d of await w.find(caseId, kind.kind)) await w.close(d, 'met');
    }
    for (const kind of this.kinds.all()) await kind.onTransition?.({ t, w, config: this.config });
    if (t.to === 'closed') await w.cancelPendingOf(caseId);
  }

  async afterCommit(t: CaseTransition): Promise<void> {
    await this.scheduler.enqueueCase(t.row.id);
  }
}
