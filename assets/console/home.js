// Each role's home: what needs doing first.
import { api, optional } from './api.js';
import {
  daysFromToday,
  el,
  formatDate,
  formatDateTime,
  formatFen,
  link,
  localDate,
  section,
  statusText,
  t,
  table,
  tOr,
} from './dom.js';

export function caseRows(items) {
  return items.map((c) =>
    el('tr', {}, [
      el('td', { className: 'caseno' }, [link(`/console/cases/${c.id}`, c.caseNo)]),
      el('td', { text: c.workerName }),
      el('td', { text: c.employerName }),
      el('td', { className: 'num', text: formatFen(c.claimedTotalFen) }),
      el('td', {}, [
        el('span', { className: `badge s-${c.status}`, text: statusText(c.status, c.closureReason) }),
      ]),
      el('td', { text: formatDate(localDate(new Date(c.applicationReceivedAt))) }),
    ]),
  );
}

export const CASE_HEAD = [
  'case.no',
  'case.worker',
  'case.employer',
  'case.claimed',
  'case.status',
  'case.received',
];

function deadlineRows(items) {
  return items.map((d) => {
    const left = daysFromToday(d.lastDay);
    return el('tr', { className: left < 0 ? 'overdue' : '' }, [
      el('td', { className: 'caseno' }, [link(`/console/cases/${d.caseId}`, d.caseNo)]),
      el('td', { text: tOr(`deadline.${d.kind}`, d.kind) }),
      el('td', { text: formatDate(d.lastDay) }),
      el('td', { className: 'num' }, [daysLeft(left)]),
      el('td', { className: 'basis', text: d.legalBasis }),
    ]);
  });
}

export function daysLeft(left) {
  return el('span', {
    className: left < 0 ? 'late' : left <= 2 ? 'soon' : '',
    text:
      left < 0
        ? t('deadline.overdueBy', { n: -left })
        : left === 0
          ? t('deadline.today')
          : t('deadline.daysLeft', { n: left }),
  });
}

function sessionRows(items) {
  return items.map((s) =>
    el('tr', {}, [
      el('td', { text: formatDateTime(s.startsAt) }),
      el('td', { className: 'caseno' }, [link(`/console/cases/${s.caseId}`, s.caseNo)]),
      el('td', { text: s.workerName }),
      el('td', { text: t(`sessionMode.${s.mode}`) }),
      el('td', { text: s.location || '' }),
      el('td', { text: t(`sessionStatus.${s.status}`) }),
    ]),
  );
}

const SESSION_HEAD = [
  'session.startsAt',
  'case.no',
  'case.worker',
  'session.mode',
  'session.location',
  'session.status',
];
const DEADLINE_HEAD = ['case.no', 'deadline.kind', 'deadline.lastDay', 'deadline.left', 'deadline.basis'];

async function notifications() {
  const unread = await api('GET', '/notifications?unread=true&limit=20');
  const items = unread.items.map((n) => {
    const button = el('button', {
      type: 'button',
      className: 'link-button',
      text: t('notification.markRead'),
    });
    const row = el('li', { className: 'notification' }, [
      el('p', { className: 'n-title' }, [n.caseId ? link(`/console/cases/${n.caseId}`, n.title) : n.title]),
      n.body ? el('p', { className: 'n-body', text: n.body }) : null,
      el('p', { className: 'n-meta' }, [formatDateTime(n.createdAt), ' ', button]),
    ]);
    button.addEventListener('click', async () => {
      await api('POST', `/notifications/${n.id}/read`);
      row.remove();
    });
    return row;
  });
  return section('home.notifications', [
    items.length
      ? el('ul', { className: 'notifications' }, items)
      : el('p', { className: 'empty', text: t('home.noNotifications') }),
  ]);
}

export async function renderHome(s) {
  const role = s.user.role;
  const parts = [];
  const now = new Date();
  const todayStart = new Date(`${localDate(now)}T00:00:00+08:00`);
  if (role === 'coordinator') {
    const [queue, overdue, today] = await Promise.all([
      api('GET', '/cases?status=submitted&limit=100'),
      api('GET', '/desk/deadlines'),
      api('GET', `/desk/agenda?from=${encodeURIComponent(todayStart.toISOString())}`),
    ]);
    parts.push(
      section('home.intakeQueue', [
        el('p', { className: 'actions-line' }, [
          link('/console/cases/new', t('nav.intake'), { className: 'button primary' }),
        ]),
        table(CASE_HEAD, caseRows(queue.items), { id: 'intake-queue' }),
      ]),
      section('home.overdueDeadlines', [
        table(DEADLINE_HEAD, deadlineRows(overdue.items), { id: 'overdue-deadlines' }),
      ]),
      section('home.committeeWeek', [table(SESSION_HEAD, sessionRows(today.items))]),
    );
  } else if (role === 'mediator') {
    const weekEnd = new Date(todayStart.getTime() + 7 * 86_400_000);
    const [cases, agenda, due] = await Promise.all([
      api('GET', `/cases?mediatorId=${s.user.id}&limit=100`),
      api(
        'GET',
        `/desk/agenda?mine=true&from=${encodeURIComponent(todayStart.toISOString())}&to=${encodeURIComponent(weekEnd.toISOString())}`,
      ),
      api('GET', `/desk/deadlines?mine=true&dueBefore=${encodeURIComponent(weekEnd.toISOString())}`),
    ]);
    const tomorrow = new Date(todayStart.getTime() + 86_400_000);
    const today = agenda.items.filter((x) => new Date(x.startsAt) < tomorrow);
    const later = agenda.items.filter((x) => new Date(x.startsAt) >= tomorrow);
    parts.push(
      section('home.today', [table(SESSION_HEAD, sessionRows(today), { id: 'sessions-today' })]),
      section('home.thisWeek', [table(SESSION_HEAD, sessionRows(later), { id: 'sessions-week' })]),
      section('home.dueSoon', [table(DEADLINE_HEAD, deadlineRows(due.items), { id: 'deadlines-soon' })]),
      section('home.myCases', [
        table(CASE_HEAD, caseRows(cases.items.filter((c) => c.status !== 'closed')), { id: 'my-cases' }),
      ]),
    );
  } else if (role === 'court_liaison') {
    const referrals = await optional('GET', '/referrals?limit=200');
    const { referralDesk } = await import('./referrals.js');
    parts.push(
      section('home.referrals', [
        referrals
          ? referralDesk(referrals.items || [])
          : el('p', { className: 'notice', text: t('referral.unavailable') }),
      ]),
    );
  }
  parts.push(await notifications());
  return el('div', {}, [
    el('h1', { id: 'page-title', text: t('home.title', { name: s.user.displayName }) }),
    el('div', { className: `home home-${role}` }, parts),
  ]);
}
