import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth-user';
import { CalendarService } from './calendar.service';
import { DeadlineScheduler } from './deadline-scheduler';
import { DeadlinesService } from './deadlines.service';

/**
 * PUT /calendar/days/{date} (SPEC §6, admins): sets one day, audited, and recomputes the pending deadlines
 * whose period it touches, in one transaction; then the moved reminders within the horizon are enqueued.
 *
 * Entering a day of a year that had no data makes that year covered (the admin is entering its arrangement),
 * so /health stops warning about it.
 */
@Injectable()
export class CalendarEditor {
  constructor(
    private readonly db: DataSource,
    private readonly calendar: CalendarService,
    private readonly deadlines: DeadlinesService,
    private readonly scheduler: DeadlineScheduler,
    private readonly audit: AuditService,
  ) {}

  async setDay(user: AuthUser, date: string, working: boolean, note: string | null) {
    const result = await this.db.transaction(async (m) => {
      // One edit at a time: each recomputes on the calendar the previous one left.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('calendar_days'))`);
      const before: Array<{ working: boolean; note: string | null }> = await m.query(
        `SELECT working, note FROM calendar_days WHERE date = $1`,
        [date],
      );
      await m.query(
        `INSERT INTO calendar_days (date, working, note, source, updated_by, updated_at)
         VALUES ($1, $2, $3, 'admin', $4, now())
         ON CONFLICT (date) DO UPDATE SET working = $2, note = $3, source = 'admin', updated_by = $4, updated_at = now()`,
        [date, working, note, user.id],
      );
      await m.query(
        `INSERT INTO calendar_years (year, source) VALUES ($1, 'admin') ON CONFLICT (year) DO NOTHING`,
        [Number(date.slice(0, 4))],
      );
      await m.query(`UPDATE calendar_state SET version = version + 1`);
      const { cal } = await this.calendar.load(m);
      const recomputed = await this.deadlines.recomputeForCalendarEdit(m, date, cal);
      await this.audit.record(
        {
          userId: user.id,
          action: 'calendar_day_set',
          entity: 'calendar_day',
          entityId: date,
          detail: {
            date,
            working,
            note,
            previous: before[0] ?? null,
            recomputedDeadlines: recomputed.deadlines,
          },
        },
        m,
      );
      return { recomputed };
    });
    this.calendar.invalidate();
    await this.scheduler.enqueueCases(result.recomputed.cases);
    const [day] = (await this.calendar.days(date, date)).items;
    return { ...day, recomputedDeadlines: result.recomputed.deadlines };
  }
}
