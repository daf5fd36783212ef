/**
 * The notifications feature's parts (SPEC §7), listed once for the two processes: the API writes events into
 * the outbox inside each change's transaction and serves the inbox, webhooks and the delivery log; the worker
 * relays committed deliveries to BullMQ and sends them.
 */
import { InboxService } from './inbox.service';
import { NotificationsController } from './notifications.controller';
import { Notifier } from './notifier';

/** Both processes. */
export const NOTIFICATION_PROVIDERS = [InboxService, Notifier];

export const NOTIFICATION_API_PROVIDERS = [...NOTIFICATION_PROVIDERS];
export const NOTIFICATION_CONTROLLERS = [NotificationsController];

/** The worker only. */
export const NOTIFICATION_WORKER_PROVIDERS = [...NOTIFICATION_PROVIDERS];
