import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CaseStatus, ClosureReason } from '../common/domain';
import type { CaseAction } from './case-lifecycle';
import type { CaseRow } from './case-view';

/** One change of a case, as every listener sees it (after the case row and its event were written). */
export interface CaseTransition {
  action: CaseAction | 'correct';
  from: CaseStatus | null;
  to: CaseStatus;
  closureReason: ClosureReason | null;
  /** The case row as it is now, inside the transaction. */
  row: CaseRow;
  actorUserId: string | null;
  payload: Record<string, unknown>;
  /** The reason the actor gave (rejection, failure, withdrawal), as the case event records it. */
  reason?: string | null;
  at: Date;
}

export interface CaseTransitionListener {
  /** Runs inside the action's transaction: what it writes commits or rolls back with the change (SPEC §5). */
  onTransition(m: EntityManager, t: CaseTransition): Promise<void>;
  /** Runs after the commit (e.g. to enqueue near-horizon jobs); failures here must not undo anything. */
  afterCommit?(t: CaseTransition): Promise<void>;
}

/**
 * Features that follow a case's changes (deadlines, notifications) register here, so that `cases/` calls
 * them without importing them and every action goes through one path.
 */
@Injectable()
export class CaseTransitions {
  private readonly listeners: CaseTransitionListener[] = [];

  register(listener: CaseTransitionListener): void {
    this.listeners.push(listener);
  }

  async inTransaction(m: EntityManager, t: CaseTransition): Promise<void> {
    for (const l of this.listeners) await l.onTransition(m, t);
  }

  async committed(t: CaseTransition): Promise<void> {
    for (const l of this.listeners) {
      if (l.afterCommit) await l.afterCommit(t).catch(() => undefined);
    }
  }
}
