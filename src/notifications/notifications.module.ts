/**
 * The notifications feature's parts (SPEC §7), listed once for the two processes: the API writes events into
 * the outbox inside each change's transaction and serves the inbox, webhooks and the delivery log; the worker
 * relays committed deliveries to BullMQ and sends them.
 */
import { PublicStatusReader } from '../public/public-status.reader';
import { EmailSender } from './channels/email-sender';
import { SmsProviderFactory } from './channels/sms-provider';
import { WebhookSender } from './channels/webhook-sender';
import { DeliveriesController } from './deliveries.controller';
import { DeliveriesService } from './deliveries.service';
import { DeliveryAttempts } from './delivery-attempts';
import { DeliveryQueue } from './delivery-queue';
import { DeliveryRelay } from './delivery-relay';
import { DeliveryProcessor } from './delivery.processor';
import { InboxService } from './inbox.service';
import { NotificationsController } from './notifications.controller';
import { NotificationsListener } from './notifications.listener';
import { Notifier } from './notifier';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/** Both processes. */
export const NOTIFICATION_PROVIDERS = [
  InboxService,
  Notifier,
  NotificationsListener,
  WebhookSender,
  EmailSender,
  SmsProviderFactory,
];

export const NOTIFICATION_API_PROVIDERS = [...NOTIFICATION_PROVIDERS, WebhooksService, DeliveriesService];
export const NOTIFICATION_CONTROLLERS = [NotificationsController, WebhooksController, DeliveriesController];

/** The worker only. */
export const NOTIFICATION_WORKER_PROVIDERS = [
  ...NOTIFICATION_PROVIDERS,
  DeliveryQueue,
  DeliveryRelay,
  DeliveryAttempts,
  DeliveryProcessor,
  // The worker's SMS ends with the next step the status page would show.
  PublicStatusReader,
];
