import { Foundation1764000000000 } from './1764000000000-Foundation';
import { MediationWork1764000000001 } from './1764000000001-MediationWork';
import { Deadlines1764000000002 } from './1764000000002-Deadlines';
import { Notifications1764000000003 } from './1764000000003-Notifications';
import { Referrals1764000000004 } from './1764000000004-Referrals';
import { AgencyOutcomes1764000000005 } from './1764000000005-AgencyOutcomes';
import { CalendarFeeds1764000000006 } from './1764000000006-CalendarFeeds';
import { AgreementWorkerObligations1764000000007 } from './1764000000007-AgreementWorkerObligations';
import { WebhookSecretOverlap1764000000008 } from './1764000000008-WebhookSecretOverlap';

/** Every migration, in order. Listed explicitly so that compiled and test runs load the same set. */
export const MIGRATIONS = [
  Foundation1764000000000,
  MediationWork1764000000001,
  Deadlines1764000000002,
  Notifications1764000000003,
  Referrals1764000000004,
  AgencyOutcomes1764000000005,
  CalendarFeeds1764000000006,
  AgreementWorkerObligations1764000000007,
  WebhookSecretOverlap1764000000008,
];
