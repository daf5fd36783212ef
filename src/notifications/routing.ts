/**
 * Who hears what (SPEC §7), as one table per event type:
 * - `origin`: the people of the court or arbitration commission that sent the case hear every change of its
 *   status (inbox, e-mail); their webhooks may subscribe to any event of the cases they sent;
 * - `staff`: the case's staff by role, in their inbox (the actor's own action needs no note to themselves).
 * The court a referral is addressed to, the arbitration commission of a failure referred to it and the partners
 * of a report are named by the publisher (`referralCourtId`, `organisationIds`); the worker's SMS sentences are
 * in `event-texts.ts`.
 */
import type { EventType } from './event-types';
import type { RecipientRole } from './recipients';

export interface Route {
  origin?: boolean;
  staff?: readonly RecipientRole[];
}

export const ROUTES: Partial<Record<EventType, Route>> = {
  'case.submitted': { origin: true, staff: ['coordinators'] },
  'case.accepted': { origin: true },
  'case.rejected': { origin: true },
  'case.assigned': { origin: true, staff: ['mediator'] },
  'session.scheduled': {},
  'session.recorded': {},
  'agreement.recorded': { origin: true, staff: ['coordinators'] },
  'instalment.overdue': { origin: true },
  'payment.recorded': {},
  'case.settled': { origin: true, staff: ['mediator', 'coordinators'] },
  'case.failed': { origin: true, staff: ['coordinators'] },
  'case.withdrawn': { origin: true, staff: ['mediator'] },
  'referral.created': { origin: true, staff: ['coordinators'] },
  'referral.acknowledged': { staff: ['mediator'] },
  'referral.decided': { origin: true, staff: ['mediator', 'coordinators'] },
  'referral.outcome_recorded': { origin: true, staff: ['mediator', 'coordinators'] },
  'referral.ack_overdue': { staff: ['coordinators'] },
};
