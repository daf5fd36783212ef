/* global URL, document, setTimeout */
// The liaison desk (SPEC §9): referrals by status, overdue acknowledgements first; a referral's page with its
// packet (PDF) and the steps the court may record now (from the referrals' own step table).
import { api } from './api.js';
import { flash, render } from './nav.js';
import {
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
import { actionForm, field } from './forms.js';

export const REFERRAL_HEAD = [
  'case.no',
  'referral.kind',
  'referral.status',
  'referral.court',
  'referral.ackDue',
  'referral.created',
];

export function referralRows(items) {
  return items.map((r) =>
    el('tr', { className: r.acknowledgementOverdue ? 'overdue' : '' }, [
      el('td', { className: 'caseno' }, [link(`/console/referrals/${r.id}`, r.caseNo || r.id.slice(0, 8))]),
      el('td', { text: t(`referralKind.${r.kind}`) }),
      el('td', {}, [
        el('span', { className: `badge r-${r.status}`, text: tOr(`referralStatus.${r.status}`, r.status) }),
      ]),
      el('td', { text: r.court ? r.court.name : '' }),
      el('td', {}, [
        r.acknowledgementDueAt
          ? el('span', {
              className: r.acknowledgementOverdue ? 'late' : '',
              text: `${formatDateTime(r.acknowledgementDueAt)}${r.acknowledgementOverdue ? ` · ${t('referral.ackOverdue')}` : ''}`,
            })
          : '',
      ]),
      el('td', { text: formatDate(localDate(new Date(r.createdAt))) }),
    ]),
  );
}

const ORDER = [
  'sent',
  'acknowledged',
  'accepted',
  'order_issued',
  'order_served',
  'objection_filed',
  'enforceable',
  'enforcement',
];

/** Open referrals grouped by status (overdue acknowledgements first), then the closed ones. */
export function referralDesk(items) {
  const overdue = items.filter((r) => r.acknowledgementOverdue);
  const groups = [];
  if (overdue.length)
    groups.push(
      el('div', { className: 'group urgent' }, [
        el('h3', { text: t('referral.overdueFirst') }),
        table(REFERRAL_HEAD, referralRows(overdue), { id: 'referrals-overdue' }),
      ]),
    );
  for (const status of ORDER) {
    const rows = items.filter((r) => r.status === status && !r.acknowledgementOverdue);
    if (rows.length)
      groups.push(
        el('div', { className: 'group' }, [
          el('h3', { text: `${tOr(`referralStatus.${status}`, status)} (${rows.length})` }),
          table(REFERRAL_HEAD, referralRows(rows)),
        ]),
      );
  }
  const closed = items.filter((r) => !ORDER.includes(r.status));
  if (closed.length)
    groups.push(
      el('div', { className: 'group' }, [
        el('h3', { text: t('referral.closed') }),
        table(REFERRAL_HEAD, referralRows(closed)),
      ]),
    );
  return groups.length
    ? el('div', { id: 'referral-desk' }, groups)
    : el('p', { className: 'empty', id: 'referral-desk', text: t('referral.none') });
}

export async function renderReferralList(s) {
  const list = await api('GET', '/referrals?limit=200');
  void s;
  return el('div', {}, [el('h1', { id: 'page-title', text: t('nav.referrals') }), referralDesk(list.items)]);
}

function done(key) {
  flash(t(key));
  return render();
}

export async function renderReferral(_s, id) {
  const [r, steps] = await Promise.all([
    api('GET', `/referrals/${id}`),
    api('GET', `/desk/referrals/${id}/steps`),
  ]);
  const allowed = steps.steps || [];
  const decisions = allowed.filter((x) => x.startsWith('decision:')).map((x) => x.slice(9));
  const outcomes = allowed.filter((x) => x.startsWith('outcome:')).map((x) => x.slice(8));
  const today = localDate(new Date());
  const forms = [];
  if (allowed.includes('acknowledge')) {
    const f = actionForm({
      title: 'referral.acknowledge',
      intro: 'referral.acknowledgeIntro',
      fields: [],
      submitLabel: 'referral.acknowledgeSubmit',
      submit: async () => {
        await api('POST', `/referrals/${id}/acknowledge`, {});
        await done('done.acknowledged');
      },
    });
    f.id = 'acknowledge-form';
    forms.push(f);
  }
  if (decisions.length) {
    forms.push(
      actionForm({
        title: 'referral.decision',
        fields: [
          field({
            name: 'decision',
            label: 'referral.decision',
            type: 'select',
            options: decisions.map((d) => [d, t(`decision.${d}`)]),
          }),
          field({ name: 'courtCaseNo', label: 'referral.courtCaseNo', hint: 'referral.courtCaseNoHint' }),
          field({ name: 'on', label: 'referral.on', type: 'date', value: today, required: true }),
          field({ name: 'reason', label: 'common.reason', type: 'textarea', hint: 'referral.reasonHint' }),
        ],
        submitLabel: 'referral.decisionSubmit',
        submit: async (body) => {
          await api('POST', `/referrals/${id}/decision`, body);
          await done('done.decided');
        },
      }),
    );
  }
  if (outcomes.length) {
    forms.push(
      actionForm({
        title: 'referral.outcome',
        fields: [
          field({
            name: 'outcome',
            label: 'referral.outcome',
            type: 'select',
            options: outcomes.map((o) => [o, tOr(`courtOutcome.${o}`, o)]),
          }),
          field({ name: 'on', label: 'referral.on', type: 'date', value: today, required: true }),
          field({
            name: 'amountRecoveredFen',
            label: 'referral.amountRecovered',
            type: 'money',
            hint: 'referral.amountRecoveredHint',
          }),
          field({ name: 'reason', label: 'common.reason', type: 'textarea' }),
          field({ name: 'note', label: 'payment.note', type: 'textarea' }),
        ],
        submitLabel: 'referral.outcomeSubmit',
        submit: async (body) => {
          await api('POST', `/referrals/${id}/outcome`, body);
          await done('done.outcome');
        },
      }),
    );
  }
  const pdf = el('button', {
    type: 'button',
    className: 'secondary',
    id: 'packet-pdf',
    text: t('referral.packetPdf'),
  });
  pdf.addEventListener('click', async () => {
    const blob = await api('GET', `/referrals/${id}/packet.pdf`, undefined, { blob: true });
    const url = URL.createObjectURL(blob);
    const a = el('a', { href: url, download: `referral-${r.caseNo || id}.pdf` });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  });
  const p = r.packet || {};
  return el('div', {}, [
    el('p', { className: 'crumbs' }, [link('/console/referrals', t('nav.referrals'))]),
    el('h1', { id: 'page-title' }, [
      `${t(`referralKind.${r.kind}`)} · ${r.caseNo || ''} `,
      el('span', {
        className: `badge r-${r.status}`,
        id: 'referral-status',
        text: tOr(`referralStatus.${r.status}`, r.status),
      }),
    ]),
    r.acknowledgementOverdue ? el('p', { className: 'notice late', text: t('referral.ackOverdue') }) : null,
    el('dl', { className: 'facts' }, [
      el('dt', { text: t('referral.court') }),
      el('dd', { text: r.court ? r.court.name : '' }),
      el('dt', { text: t('referral.courtCaseNo') }),
      el('dd', { text: r.courtCaseNo || '—' }),
      el('dt', { text: t('referral.amountClaimed') }),
      el('dd', { text: r.amountClaimedFen === null ? '—' : formatFen(r.amountClaimedFen) }),
      el('dt', { text: t('referral.amountRecovered') }),
      el('dd', { text: formatFen(r.amountRecoveredFen || 0) }),
      el('dt', { text: t('referral.created') }),
      el('dd', { text: formatDateTime(r.createdAt) }),
      r.caseId ? el('dt', { text: t('case.title') }) : null,
      r.caseId ? el('dd', {}, [link(`/console/cases/${r.caseId}`, r.caseNo || '')]) : null,
    ]),
    r.warning ? el('p', { className: 'notice', text: r.warning }) : null,
    el('p', {}, [
      pdf,
      r.idNumbersInFull ? el('span', { className: 'hint', text: ` ${t('referral.fullIdsAudited')}` }) : null,
    ]),
    forms.length
      ? section('referral.steps', forms, { id: 'referral-actions' })
      : section('referral.steps', [
          el('p', { className: 'empty', id: 'referral-actions', text: t('case.noActions') }),
        ]),
    section('referral.packet', [
      el(
        'dl',
        { className: 'facts' },
        [
          p.applicant
            ? [
                el('dt', { text: t('case.workerSection') }),
                el('dd', { text: [p.applicant.name, p.applicant.idNumber].filter(Boolean).join(' · ') }),
              ]
            : [],
          p.respondent
            ? [
                el('dt', { text: t('case.employerSection') }),
                el('dd', {
                  text: [p.respondent.name, p.respondent.creditCode || p.respondent.idNumber]
                    .filter(Boolean)
                    .join(' · '),
                }),
              ]
            : [],
        ].flat(),
      ),
    ]),
    section('referral.history', [
      table(
        ['referral.on', 'referral.step', 'referral.status', 'common.by'],
        (r.steps || []).map((st) =>
          el('tr', {}, [
            el('td', { text: st.on ? formatDate(st.on) : formatDateTime(st.at) }),
            el('td', { text: stepLabel(st.step) }),
            el('td', { text: tOr(`referralStatus.${st.toStatus}`, st.toStatus || '') }),
            el('td', { text: st.actorName || '' }),
          ]),
        ),
      ),
    ]),
    section('case.deadlines', [
      table(
        ['deadline.kind', 'deadline.lastDay', 'deadline.status', 'deadline.basis'],
        (r.deadlines || []).map((d) =>
          el('tr', {}, [
            el('td', { text: tOr(`deadline.${d.kind}`, d.kind) }),
            el('td', { text: formatDate(d.lastDay) }),
            el('td', { text: tOr(`deadlineStatus.${d.status}`, d.status) }),
            el('td', { className: 'basis', text: d.legalBasis }),
          ]),
        ),
      ),
    ]),
  ]);
}

function stepLabel(step) {
  const name = String(step || '');
  if (name.startsWith('outcome:')) return tOr(`courtOutcome.${name.slice(8)}`, name);
  return tOr(`step.${name}`, name);
}

export { statusText };
