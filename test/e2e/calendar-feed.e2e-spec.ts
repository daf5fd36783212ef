/** The mediators' calendar feed (SPEC §8, §11): RFC 5545, revocable, only their own cases' sessions. */
import ICAL from 'ical.js';
import { startApi, TestEnv } from '../support/app';
import { caseBody, seedWorld, World } from '../support/fixtures';
import { client, request } from '../support/http';

let env: TestEnv;
let w: World;

beforeAll(async () => {
  env = await startApi();
  w = await seedWorld(env);
});
afterAll(() => env?.close());

async function caseInMediation(mediatorId: string, over: Record<string, any> = {}) {
  const coord = client(env.url, w.coordinator);
  const created = await coord.post('/api/v1/cases', caseBody(over));
  expect(created.status).toBe(201);
  expect((await coord.post(`/api/v1/cases/${created.body.id}/accept`, {})).status).toBe(200);
  expect((await coord.post(`/api/v1/cases/${created.body.id}/assign`, { mediatorId })).status).toBe(200);
  return created.body as { id: string; caseNo: string };
}

/** An instant some days from now at a given Beijing wall-clock time, written with +08:00. */
function beijing(daysAhead: number, hhmm: string): string {
  const d = new Date(Date.now() + 8 * 3600_000 + daysAhead * 86_400_000);
  return `${d.toISOString().slice(0, 10)}T${hhmm}:00+08:00`;
}

const pathOf = (url: string) => new URL(url).pathname;

function parse(text: string) {
  const cal = new ICAL.Component(ICAL.parse(text));
  for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  return cal;
}

describe('the calendar feed', () => {
  let mine: { id: string; caseNo: string };
  let feedUrl: string;
  const sessions: Record<string, string> = {};

  beforeAll(async () => {
    mine = await caseInMediation(w.mediatorId);
    const other = await caseInMediation(w.unrosteredMediatorId);
    const med = client(env.url, w.mediator);
    const mk = async (caseId: string, token: string, startsAt: string, location: string | null) => {
      const r = await client(env.url, token).post(`/api/v1/cases/${caseId}/sessions`, {
        startsAt,
        durationMinutes: 90,
        mode: 'in_person',
        location,
      });
      expect(r.status).toBe(201);
      return r.body.id as string;
    };
    sessions.first = await mk(mine.id, w.mediator, beijing(2, '09:30'), '芙蓉区调解室一, 二楼; 东侧');
    sessions.second = await mk(mine.id, w.mediator, beijing(5, '14:00'), null);
    sessions.cancelled = await mk(mine.id, w.mediator, beijing(6, '10:00'), 'x');
    expect(
      (
        await med.post(`/api/v1/cases/${mine.id}/sessions/${sessions.cancelled}/cancel`, {
          reason: '当事人请假',
        })
      ).status,
    ).toBe(200);
    sessions.others = await mk(other.id, w.unrosteredMediator, beijing(3, '10:00'), '别人的调解');
  });

  it('is only for mediators', async () => {
    for (const token of [w.coordinator, w.liaison, w.admin, w.observer]) {
      expect((await client(env.url, token).post('/api/v1/users/me/calendar-feed', {})).status).toBe(403);
    }
    expect((await client(env.url).post('/api/v1/users/me/calendar-feed', {})).status).toBe(401);
  });

  it("serves the mediator's sessions as RFC 5545 with Asia/Shanghai times", async () => {
    const created = await client(env.url, w.mediator).post('/api/v1/users/me/calendar-feed', {});
    expect(created.status).toBe(201);
    feedUrl = created.body.url;
    expect(feedUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/calendar-feeds\/[A-Za-z0-9_-]{43}\.ics$/);
    // Only a hash is stored.
    const stored = await env.db.query(`SELECT token_hash FROM calendar_feeds`);
    expect(stored.rows).toHaveLength(1);
    expect(feedUrl).not.toContain(stored.rows[0].token_hash);

    const res = await request(env.url, 'GET', pathOf(feedUrl));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const text = res.body as string;
    // CRLF everywhere, no line over 75 octets.
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);

    const cal = parse(text);
    expect(cal.getFirstPropertyValue('version')).toBe('2.0');
    expect(cal.getFirstPropertyValue('prodid')).toBeTruthy();
    expect(cal.getFirstPropertyValue('x-wr-timezone')).toBe('Asia/Shanghai');
    const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(events.map((e) => e.uid).sort()).toEqual(
      [`session-${sessions.first}@labour-mediation`, `session-${sessions.second}@labour-mediation`].sort(),
    );
    const first = events.find((e) => e.uid.includes(sessions.first))!;
    expect(first.startDate.toJSDate().toISOString()).toBe(new Date(beijing(2, '09:30')).toISOString());
    expect(first.endDate.toJSDate().getTime() - first.startDate.toJSDate().getTime()).toBe(90 * 60_000);
    expect(first.startDate.zone?.tzid).toBe('Asia/Shanghai');
    expect(`${first.startDate.hour}:${first.startDate.minute}`).toBe('9:30');
    expect(first.summary).toContain(mine.caseNo);
    expect(first.location).toBe('芙蓉区调解室一, 二楼; 东侧');
    expect(first.component.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(first.component.getFirstPropertyValue('dtstamp')).toBeTruthy();
    // No party's ID number, no other mediator's sessions.
    expect(text).not.toMatch(/\d{17}[\dX]/);
    expect(text).not.toContain('别人的调解');
  });

  it('keeps UIDs stable and leaves notes out once a session is recorded', async () => {
    const med = client(env.url, w.mediator);
    const past = await med.post(`/api/v1/cases/${mine.id}/sessions`, {
      startsAt: beijing(-1, '10:00'),
      durationMinutes: 60,
      mode: 'phone',
      location: '电话',
    });
    expect(past.status).toBe(201);
    const recorded = await med.post(`/api/v1/cases/${mine.id}/sessions/${past.body.id}/record`, {
      attendees: ['worker', 'employer'],
      notes: 'SECRET-NOTES-9931',
      outcome: 'continued',
      endedAt: beijing(-1, '10:50'),
    });
    expect(recorded.status).toBe(200);
    const text = (await request(env.url, 'GET', pathOf(feedUrl))).body as string;
    expect(text).toContain(`UID:session-${past.body.id}@labour-mediation`);
    expect(text).not.toContain('SECRET-NOTES-9931');
    const again = (await request(env.url, 'GET', pathOf(feedUrl))).body as string;
    const uids = (s: string) => s.split('\r\n').filter((l) => l.startsWith('UID:'));
    expect(uids(again)).toEqual(uids(text));
  });

  it('a new token replaces the old; a revoked or unknown token answers 404', async () => {
    const med = client(env.url, w.mediator);
    const renewed = await med.post('/api/v1/users/me/calendar-feed', {});
    expect(renewed.status).toBe(201);
    expect(renewed.body.url).not.toBe(feedUrl);
    expect((await request(env.url, 'GET', pathOf(feedUrl))).status).toBe(404);
    expect((await request(env.url, 'GET', pathOf(renewed.body.url))).status).toBe(200);

    expect((await med.del('/api/v1/users/me/calendar-feed')).status).toBe(204);
    const revoked = await request(env.url, 'GET', pathOf(renewed.body.url));
    expect(revoked.status).toBe(404);
    expect(revoked.headers.get('content-type')).toContain('application/problem+json');
    expect((await request(env.url, 'GET', '/calendar-feeds/nonsense.ics')).status).toBe(404);
    expect((await request(env.url, 'GET', `/calendar-feeds/${'A'.repeat(43)}.ics`)).status).toBe(404);
    const audit = await env.db.query(
      `SELECT action FROM audit_log WHERE action LIKE 'calendar_feed_%' ORDER BY at, id`,
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'calendar_feed_created',
      'calendar_feed_created',
      'calendar_feed_revoked',
    ]);
  });

  it('stops working when its mediator is deactivated', async () => {
    const created = await client(env.url, w.unrosteredMediator).post('/api/v1/users/me/calendar-feed', {});
    expect(created.status).toBe(201);
    const body = (await request(env.url, 'GET', pathOf(created.body.url))).body as string;
    expect(body).toContain('别人的调解');
    expect(
      (await client(env.url, w.admin).patch(`/api/v1/users/${w.unrosteredMediatorId}`, { active: false }))
        .status,
    ).toBe(200);
    expect((await request(env.url, 'GET', pathOf(created.body.url))).status).toBe(404);
  });
});
