/** Small helpers for the Chinese wording of reminders. */
import { DateTime } from 'luxon';
import { LEGAL_ZONE } from '../period';

/** '2026-03-17 09:00' in Asia/Shanghai. */
export function localDateTime(instant: Date): string {
  return DateTime.fromJSDate(instant, { zone: LEGAL_ZONE }).toFormat('yyyy-LL-dd HH:mm');
}
