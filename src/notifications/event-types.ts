/** The webhook event types of SPEC §7 (the `type` of every webhook body; webhooks subscribe to these). */
export const EVENT_TYPES = [
  'case.submitted',
  'case.accepted',
  'case.rejected',
  'case.assigned',
  'session.scheduled',
  'session.recorded',
  'mediation.deadline_approaching',
  'mediation.deadline_lapsed',
  'agreement.recorded',
  'instalment.due_soon',
  'instalment.overdue',
  'payment.recorded',
  'case.settled',
  'case.failed',
  'case.withdrawn',
  'referral.created',
  'referral.acknowledged',
  'referral.decided',
  'referral.outcome_recorded',
  'referral.ack_overdue',
  'report.published',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const DELIVERY_CHANNELS = ['webhook', 'email', 'sms'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** The Postgres NOTIFY channel on which a committed outbox write wakes the relay (delivered at commit only). */
export const OUTBOX_CHANNEL = 'outbox';
