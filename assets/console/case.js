/* global URL, URLSearchParams, document, location, setTimeout */
// The case page: everything about one case, and the actions the signed-in user may take now (the API's
// `allowedActions`: exactly those, no more) as forms that show the API's own field errors in place.
import { api, ApiError, idempotency, optional } from './api.js';
import { flash, navigate, render } from './nav.js';
import {
  CLAIM_TYPES,
  clear,
  daysFromToday,
  el,
  formatDate,
  formatDateTime,
  formatFen,
  link,
  localDate,
  nextId,
  section,
  statusText,
  t,
  table,
  toLocalInput,
  tOr,
} from './dom.js';
import { actionForm, field } from './forms.js';
import { CASE_HEAD, caseRows, daysLeft } from './home.js';
import { referralRows, REFERRAL_HEAD } from './referrals.js';

const SESSION_MODES = ['in_person', 'online', 'phone'];
const OUTCOMES = ['continued', 'postponed', 'no_show_worker', 'no_show_employer', 'agreement', 'failed'];

let revealFor = null;

async function quiet(path) {
  try {
    return await api('GET', path);
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------ list and search

export async function renderCaseList(s) {
  const params = new URLSearchParams(location.search);
  const q = params.get('q') || '';
  const status = params.get('status') || '';
  const query = new URLSearchParams({ limit: '100' });
  if (q) query.set('q', q);
  if (status) query.set('status', status);
  if (s.user.role === 'mediator' && !params.get('all')) query.set('mediatorId', s.user.id);
  const list = await api('GET', `/cases?${query}`);
  const qId = nextId('q');
  const stId = nextId('st');
  const form = el('form', { className: 'search', role: 'search' }, [
    el('div', { className: 'field' }, [
      el('label', { for: qId, text: t('cases.search') }),
      el('input', { id: qId, name: 'q', type: 'search', value: q }),
    ]),
    el('div', { className: 'field' }, [
      el('label', { for: stId, text: t('case.status') }),
      el('select', { id: stId, name: 'status' }, [
        el('option', { value: '', text: t('cases.anyStatus') }),
        ...['submitted', 'accepted', 'in_mediation', 'performing', 'defaulted', 'referred', 'closed'].map(
          (v) => el('option', { value: v, selected: v === status, text: t(`statusShort.${v}`) }),
        ),
      ]),
    ]),
    el('button', { type: 'submit', className: 'primary', text: t('cases.searchButton') }),
  ]);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const next = new URLSearchParams();
    if (form.q.value.trim()) next.set('q', form.q.value.trim());
    if (form.status.value) next.set('status', form.status.value);
    navigate(`/console/cases${next.toString() ? `?${next}` : ''}`);
  });
  return el('div', {}, [
    el('h1', { text: t(s.user.role === 'court_liaison' ? 'nav.courtCases' : 'nav.cases') }),
    form,
    table(CASE_HEAD, caseRows(list.items), { id: 'case-list' }),
  ]);
}

// ------------------------------------------------------------------ the case page

export async function renderCase(s, id) {
  const reveal = revealFor === id;
  const c = await api('GET', `/cases/${id}${reveal ? '?reveal=idNumber' : ''}`);
  const role = s.user.role;
  const [events, deadlines, sessions, agreement, mediators, mediator] = await Promise.all([
    api('GET', `/cases/${id}/events`),
    api('GET', `/cases/${id}/deadlines`),
    api('GET', `/cases/${id}/sessions`),
    optional('GET', `/cases/${id}/agreement`),
    role === 'coordinator' ? api('GET', '/users?role=mediator') : Promise.resolve(null),
    c.mediatorId ? optional('GET', `/users/${c.mediatorId}`) : Promise.resolve(null),
  ]);
  // This case's referrals, as far as the caller may see them (scoped by the API).
  const caseReferrals = await quiet(`/referrals?caseId=${encodeURIComponent(id)}&limit=200`);
  const referrals = { items: caseReferrals && Array.isArray(caseReferrals.items) ? caseReferrals.items : [] };
  // A defaulted case's answer carries its payment-order eligibility (SPEC §9); ask for it otherwise only then.
  const eligibility =
    c.paymentOrderEligibility ||
    (c.status === 'defaulted' ? await quiet(`/cases/${id}/payment-order-eligibility`) : null);
  const allowed = new Set(Array.isArray(c.allowedActions) ? c.allowedActions : []);
  const ctx = {
    s,
    c,
    id,
    allowed,
    sessions: sessions.items,
    agreement,
    mediators: mediators ? mediators.items : [],
    eligibility,
  };

  return el('div', { className: 'case-page' }, [
    el('p', { className: 'crumbs' }, [link('/console/cases', t('nav.cases'))]),
    el('h1', { id: 'page-title' }, [
      `${t('case.title')} ${c.caseNo} `,
      el('span', {
        className: `badge s-${c.status}`,
        id: 'case-status',
        text: statusText(c.status, c.closureReason),
      }),
    ]),
    el(
      'dl',
      { className: 'facts' },
      [
        ...pair('case.source', t(`source.${c.source}`)),
        ...pair('case.received', formatDateTime(c.applicationReceivedAt)),
        ...pair('case.mediator', mediator ? mediator.displayName : c.mediatorId ? '—' : t('case.unassigned')),
        c.originReference ? pair('case.originReference', c.originReference) : null,
        c.mediationOverdue ? pair('case.mediationOverdue', t('common.yes')) : null,
      ]
        .flat()
        .filter(Boolean),
    ),
    actionsSection(ctx),
    partiesSection(c, role, id),
    section('case.claims', [
      table(
        ['claim.type', 'claim.amount', 'claim.description'],
        c.claims.map((cl) =>
          el('tr', {}, [
            el('td', { text: t(`claimType.${cl.type}`) }),
            el('td', { className: 'num', text: formatFen(cl.amountFen) }),
            el('td', { text: cl.description || '' }),
          ]),
        ),
      ),
      el('p', { className: 'total', text: `${t('case.claimed')}: ${formatFen(c.claimedTotalFen)}` }),
      c.facts ? el('p', { className: 'facts-text', text: c.facts }) : null,
    ]),
    deadlinesSection(deadlines.items),
    sessionsSection(ctx),
    agreementSection(ctx),
    referralsSection(ctx, referrals),
    Array.isArray(c.agencyOutcomes) && c.agencyOutcomes.length
      ? section('case.agencyOutcomes', [
          table(
            [
              'agency.organisation',
              'agency.kind',
              'agency.decidedOn',
              'agency.reference',
              'agency.amount',
              'payment.note',
            ],
            c.agencyOutcomes.map((o) =>
              el('tr', {}, [
                el('td', { text: o.organisationName || '' }),
                el('td', { text: tOr(`agencyOutcome.${o.kind}`, o.kind) }),
                el('td', { className: 'date', text: formatDate(o.decidedOn) }),
                el('td', { text: o.reference || '' }),
                el('td', {
                  className: 'num',
                  text:
                    o.amountAwardedFen === null || o.amountAwardedFen === undefined
                      ? ''
                      : formatFen(o.amountAwardedFen),
                }),
                el('td', { text: o.note || '' }),
              ]),
            ),
            { id: 'agency-outcomes' },
          ),
        ])
      : null,
    timelineSection(events.items),
  ]);
}

function pair(key, value) {
  return [el('dt', { text: t(key) }), el('dd', { text: value })];
}

function done(messageKey, extra) {
  flash(t(messageKey) + (extra ? ` ${extra}` : ''));
  return render();
}

function partiesSection(c, role, id) {
  const w = c.worker;
  const e = c.employer;
  const revealButton =
    role === 'coordinator' && revealFor !== id
      ? el('button', {
          type: 'button',
          className: 'secondary',
          id: 'reveal-id',
          text: t('case.reveal'),
          onclick: () => {
            revealFor = id;
            render({ keepFocus: true });
          },
        })
      : null;
  return section('case.parties', [
    el('div', { className: 'two' }, [
      el('div', {}, [
        el('h3', { text: t('case.workerSection') }),
        el(
          'dl',
          { className: 'facts' },
          [
            ...pair('party.name', w.name),
            ...pair('party.idType', t(`idType.${w.idType}`)),
            ...pair('party.idNumber', w.idNumber),
            ...pair('party.phone', w.phone),
            w.email ? pair('party.email', w.email) : [],
            w.address ? pair('party.address', w.address) : [],
          ].flat(),
        ),
      ]),
      el('div', {}, [
        el('h3', { text: t('case.employerSection') }),
        el(
          'dl',
          { className: 'facts' },
          [
            ...pair('party.name', e.name),
            e.creditCode ? pair('party.creditCode', e.creditCode) : pair('party.idNumber', e.idNumber || ''),
            e.address ? pair('party.address', e.address) : [],
            e.contactName ? pair('party.contact', `${e.contactName} ${e.contactPhone || ''}`) : [],
          ].flat(),
        ),
      ]),
    ]),
    revealButton
      ? el('p', {}, [revealButton, ' ', el('span', { className: 'hint', text: t('case.revealAudited') })])
      : null,
  ]);
}

function deadlinesSection(items) {
  const shown = items.filter((d) => d.status !== 'superseded');
  return section('case.deadlines', [
    table(
      ['deadline.kind', 'deadline.lastDay', 'deadline.left', 'deadline.status', 'deadline.basis'],
      shown.map((d) => {
        const left = d.status === 'pending' ? daysFromToday(d.lastDay) : null;
        return el('tr', { className: left !== null && left < 0 ? 'overdue' : '' }, [
          el('td', { text: tOr(`deadline.${d.kind}`, d.kind) }),
          el('td', { className: 'date', text: formatDate(d.lastDay) }),
          el('td', { className: 'num' }, [left === null ? '' : daysLeft(left)]),
          el('td', { text: tOr(`deadlineStatus.${d.status}`, d.status) }),
          el('td', { className: 'basis', text: d.legalBasis }),
        ]);
      }),
      { id: 'deadlines' },
    ),
  ]);
}

function timelineSection(items) {
  return section('case.timeline', [
    el(
      'ol',
      { className: 'timeline', id: 'timeline' },
      items.map((e) =>
        el('li', {}, [
          el('span', { className: 'when', text: formatDateTime(e.at) }),
          el('span', { className: 'what', text: tOr(`event.${e.action}`, e.action) }),
          e.actorName ? el('span', { className: 'who', text: e.actorName }) : null,
          e.reason ? el('span', { className: 'why', text: e.reason }) : null,
        ]),
      ),
    ),
  ]);
}

// ------------------------------------------------------------------ sessions

function sessionsSection(ctx) {
  const { allowed, sessions } = ctx;
  const now = Date.now();
  const rows = [];
  for (const ss of sessions) {
    const started = Date.parse(ss.startsAt) <= now;
    const controls = [];
    if (ss.status === 'scheduled' && !started && allowed.has('reschedule_session'))
      controls.push(disclosure('session.reschedule', () => rescheduleForm(ctx, ss)));
    if (ss.status === 'scheduled' && !started && allowed.has('cancel_session'))
      controls.push(disclosure('session.cancel', () => cancelForm(ctx, ss)));
    if (ss.status === 'scheduled' && started && allowed.has('record_session'))
      controls.push(disclosure('session.record', () => recordForm(ctx, ss)));
    rows.push(
      el('tr', { className: ss.status === 'cancelled' ? 'muted' : '' }, [
        el('td', { text: formatDateTime(ss.startsAt) }),
        el('td', { text: `${ss.durationMinutes} ${t('common.minutes')}` }),
        el('td', { text: t(`sessionMode.${ss.mode}`) }),
        el('td', { text: ss.location || '' }),
        el('td', {
          text: `${t(`sessionStatus.${ss.status}`)}${ss.outcome ? ` · ${t(`outcome.${ss.outcome}`)}` : ''}`,
        }),
        el('td', {}, [ss.notes ? el('span', { className: 'notes', text: ss.notes }) : '']),
        el('td', { className: 'row-actions' }, controls),
      ]),
    );
  }
  return section('case.sessions', [
    table(
      [
        'session.startsAt',
        'session.duration',
        'session.mode',
        'session.location',
        'session.status',
        'session.notes',
        'common.actions',
      ],
      rows,
      { id: 'sessions' },
    ),
  ]);
}

/** A button that opens (and closes) the form it guards, right below itself. */
function disclosure(labelKey, makeForm, attrs) {
  const panelId = nextId('panel');
  const panel = el('div', { id: panelId, className: 'panel', hidden: true });
  const button = el('button', {
    type: 'button',
    className: 'secondary',
    'aria-expanded': 'false',
    'aria-controls': panelId,
    'data-action': (attrs && attrs.action) || null,
    text: t(labelKey),
  });
  button.addEventListener('click', () => {
    const open = button.getAttribute('aria-expanded') === 'true';
    button.setAttribute('aria-expanded', String(!open));
    panel.hidden = open;
    if (!open && !panel.firstChild) panel.appendChild(makeForm());
    if (!open) {
      const first = panel.querySelector('input, select, textarea, button[type=submit]');
      if (first) first.focus();
    }
  });
  return el('div', { className: 'disclosure' }, [button, panel]);
}

function sessionFields(defaults) {
  const d = defaults || {};
  return [
    field({
      name: 'startsAt',
      label: 'session.startsAt',
      type: 'datetime',
      required: true,
      value: d.startsAt,
      hint: 'session.startsAtHint',
    }),
    field({
      name: 'durationMinutes',
      label: 'session.durationMinutes',
      type: 'number',
      required: true,
      value: d.durationMinutes || '90',
      attrs: { min: '15', max: '480' },
    }),
    field({
      name: 'mode',
      label: 'session.mode',
      type: 'select',
      value: d.mode || 'in_person',
      options: SESSION_MODES.map((m) => [m, t(`sessionMode.${m}`)]),
    }),
    field({ name: 'location', label: 'session.location', value: d.location || '' }),
  ];
}

function scheduleForm(ctx) {
  const idem = idempotency();
  return actionForm({
    title: 'action.schedule_session',
    fields: sessionFields(),
    submitLabel: 'session.scheduleSubmit',
    submit: async (body) => {
      await api('POST', `/cases/${ctx.id}/sessions`, body, { ifMatch: ctx.c.version, idem });
      await done('done.scheduled');
    },
  });
}

function rescheduleForm(ctx, ss) {
  return actionForm({
    fields: sessionFields({
      startsAt: toLocalInput(new Date(ss.startsAt)),
      durationMinutes: String(ss.durationMinutes),
      mode: ss.mode,
      location: ss.location,
    }),
    submitLabel: 'session.rescheduleSubmit',
    submit: async (body) => {
      await api('PATCH', `/cases/${ctx.id}/sessions/${ss.id}`, body, { ifMatch: ctx.c.version });
      await done('done.rescheduled');
    },
  });
}

function cancelForm(ctx, ss) {
  return actionForm({
    fields: [field({ name: 'reason', label: 'common.reason', type: 'textarea' })],
    submitLabel: 'session.cancelSubmit',
    danger: true,
    submit: async (body) => {
      await api('POST', `/cases/${ctx.id}/sessions/${ss.id}/cancel`, body, { ifMatch: ctx.c.version });
      await done('done.cancelled');
    },
  });
}

function recordFields(ss) {
  const ended = ss ? new Date(Math.min(Date.parse(ss.endsAt), Date.now())) : new Date();
  return [
    field({
      name: 'attendees',
      label: 'session.attendees',
      type: 'list',
      value: t('session.attendeesDefault'),
      required: true,
      hint: 'session.attendeesHint',
    }),
    field({
      name: 'outcome',
      label: 'session.outcome',
      type: 'select',
      value: 'continued',
      options: OUTCOMES.map((o) => [o, t(`outcome.${o}`)]),
    }),
    field({
      name: 'endedAt',
      label: 'session.endedAt',
      type: 'datetime',
      required: true,
      value: toLocalInput(ended),
    }),
    field({
      name: 'notes',
      label: 'session.notes',
      type: 'textarea',
      required: true,
      hint: 'session.notesHint',
      wide: true,
    }),
  ];
}

function recordForm(ctx, ss) {
  return actionForm({
    fields: recordFields(ss),
    submitLabel: 'session.recordSubmit',
    submit: async (body) => {
      await api('POST', `/cases/${ctx.id}/sessions/${ss.id}/record`, body, { ifMatch: ctx.c.version });
      await done('done.recorded');
    },
  });
}

// ------------------------------------------------------------------ agreement and payments

function agreementSection(ctx) {
  const a = ctx.agreement;
  if (!a) return section('case.agreement', [el('p', { className: 'empty', text: t('agreement.none') })]);
  const tot = a.totals;
  const pdf = el('button', {
    type: 'button',
    className: 'secondary',
    id: 'print-agreement',
    text: t('agreement.print'),
  });
  pdf.addEventListener('click', async () => {
    const blob = await api('GET', `/cases/${ctx.id}/agreement.pdf`, undefined, { blob: true });
    const url = URL.createObjectURL(blob);
    const a2 = el('a', { href: url, download: `agreement-${ctx.c.caseNo}.pdf` });
    document.body.appendChild(a2);
    a2.click();
    a2.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  });
  return section('case.agreement', [
    el('dl', { className: 'facts totals', id: 'ledger-totals' }, [
      ...pair('agreement.agreed', formatFen(tot.agreedFen)),
      ...pair('agreement.paid', formatFen(tot.paidFen)),
      ...pair('agreement.outstanding', formatFen(tot.outstandingFen)),
      ...pair('agreement.overdue', formatFen(tot.overdueFen)),
      ...pair('agreement.signedOn', formatDate(a.signedOn)),
      ...pair('agreement.acceleration', a.accelerationOnDefault ? t('common.yes') : t('common.no')),
    ]),
    el('h3', { text: t('agreement.instalments') }),
    table(
      [
        'instalment.seq',
        'instalment.dueOn',
        'instalment.amount',
        'instalment.paid',
        'instalment.outstanding',
        'instalment.status',
      ],
      a.instalments.map((i) =>
        el('tr', { className: i.overdue ? 'overdue' : '' }, [
          el('td', { text: String(i.seq) }),
          el('td', { text: formatDate(i.dueOn) }),
          el('td', { className: 'num', text: formatFen(i.amountFen) }),
          el('td', { className: 'num', text: formatFen(i.paidFen) }),
          el('td', { className: 'num', text: formatFen(i.outstandingFen) }),
          el('td', {}, [
            el('span', {
              className: i.overdue ? 'late' : '',
              text: i.overdue ? t('instalment.overdue') : t(`instalmentStatus.${i.status}`),
            }),
          ]),
        ]),
      ),
      { id: 'instalments' },
    ),
    el('h3', { text: t('agreement.payments') }),
    table(
      ['payment.paidOn', 'payment.amount', 'payment.note', 'payment.recordedBy'],
      a.payments.map((p) =>
        el('tr', {}, [
          el('td', { text: formatDate(p.paidOn) }),
          el('td', { className: 'num', text: formatFen(p.amountFen) }),
          el('td', { text: p.note || '' }),
          el('td', { text: p.recordedByName || '' }),
        ]),
      ),
      { id: 'payments' },
    ),
    el('p', {}, [pdf]),
  ]);
}

function agreementFields(ctx, prefix) {
  const c = ctx.c;
  const p = prefix || '';
  const items = el('fieldset', { className: 'rows', 'data-group': `${p}items` }, [
    el('legend', { text: t('agreement.items') }),
    el('p', { className: 'err group-err', role: 'alert', hidden: true }),
  ]);
  c.claims.forEach((cl, i) => {
    items.appendChild(
      el('div', { className: 'row' }, [
        field({
          name: `${p}items.${i}.claimType`,
          label: 'claim.type',
          type: 'select',
          value: cl.type,
          options: c.claims.map((x) => [x.type, t(`claimType.${x.type}`)]),
        }),
        field({
          name: `${p}items.${i}.amountFen`,
          label: 'agreement.itemAmount',
          type: 'money',
          required: true,
          value: (cl.amountFen / 100).toFixed(2),
        }),
      ]),
    );
  });
  const instalments = el(
    'fieldset',
    { className: 'rows', id: nextId('inst'), 'data-group': `${p}instalments` },
    [
      el('legend', { text: t('agreement.instalments') }),
      el('p', { className: 'hint', text: t('agreement.instalmentsHint') }),
      el('p', { className: 'err group-err', role: 'alert', hidden: true }),
    ],
  );
  let count = 0;
  const addRow = () => {
    const i = count++;
    const row = el('div', { className: 'row' }, [
      field({ name: `${p}instalments.${i}.dueOn`, label: 'instalment.dueOn', type: 'date', required: true }),
      field({
        name: `${p}instalments.${i}.amountFen`,
        label: 'instalment.amount',
        type: 'money',
        required: true,
      }),
    ]);
    instalments.insertBefore(row, addButton);
    return row;
  };
  const addButton = el('button', {
    type: 'button',
    className: 'secondary',
    text: t('agreement.addInstalment'),
  });
  addButton.addEventListener('click', () => {
    const row = addRow();
    row.querySelector('input').focus();
  });
  instalments.appendChild(addButton);
  addRow();
  return [
    field({
      name: `${p}signedAt`,
      label: 'agreement.signedAt',
      type: 'datetime',
      required: true,
      value: toLocalInput(new Date()),
    }),
    items,
    instalments,
    field({ name: `${p}accelerationOnDefault`, label: 'agreement.accelerationOnDefault', type: 'checkbox' }),
    field({ name: `${p}otherTerms`, label: 'agreement.otherTerms', type: 'textarea', wide: true }),
    field({
      name: `${p}workerObligations`,
      label: 'agreement.workerObligations',
      hint: 'agreement.workerObligationsHint',
      type: 'textarea',
      wide: true,
    }),
  ];
}

function agreementForm(ctx) {
  const idem = idempotency();
  return actionForm({
    title: 'action.record_agreement',
    fields: agreementFields(ctx),
    submitLabel: 'agreement.submit',
    className: 'wide-form',
    submit: async (body) => {
      await api('POST', `/cases/${ctx.id}/agreement`, body, { ifMatch: ctx.c.version, idem });
      await done('done.agreement');
    },
  });
}

/**
 * A walk-in settled at the table: the session that just took place and the agreement reached in it, in one form
 * (the mediator's part of the one-sitting flow; the coordinator's part is the intake form's "accept and assign").
 */
function settleNowForm(ctx) {
  const keys = { session: idempotency(), agreement: idempotency() };
  const started = new Date(Date.now() - 60 * 60_000);
  started.setSeconds(0, 0);
  const sessionPart = el('fieldset', { className: 'rows' }, [
    el('legend', { text: t('settle.sessionPart') }),
    ...sessionFields({ startsAt: toLocalInput(started), durationMinutes: '60' }).map((f) =>
      prefixField(f, 'session.'),
    ),
    ...recordFields(null)
      .filter((f) => !f.querySelector('[data-field="outcome"]'))
      .map((f) => prefixField(f, 'record.')),
  ]);
  const agreementPart = el('fieldset', { className: 'rows' }, [
    el('legend', { text: t('settle.agreementPart') }),
    ...agreementFields(ctx, 'agreement.'),
  ]);
  let sessionId = null;
  let recorded = false;
  return actionForm({
    title: 'settle.title',
    intro: 'settle.intro',
    fields: [sessionPart, agreementPart],
    submitLabel: 'settle.submit',
    className: 'wide-form',
    submit: async (body) => {
      let version = ctx.c.version;
      if (!sessionId) {
        const s = await api('POST', `/cases/${ctx.id}/sessions`, body.session, {
          ifMatch: version,
          idem: keys.session,
        });
        sessionId = s.id;
        version = s.case.version;
      }
      if (!recorded) {
        const r = await api(
          'POST',
          `/cases/${ctx.id}/sessions/${sessionId}/record`,
          { ...body.record, outcome: 'agreement' },
          {},
        ).catch((e) => {
          throw prefixed(e, 'record.');
        });
        recorded = true;
        version = r.case.version;
      }
      await api('POST', `/cases/${ctx.id}/agreement`, body.agreement, { idem: keys.agreement }).catch((e) => {
        throw prefixed(e, 'agreement.');
      });
      await done('done.settled');
    },
  });
}

/** Field errors of one part of a combined form, renamed to that part's fields. */
function prefixed(e, prefix) {
  if (e instanceof ApiError && e.problem && Array.isArray(e.problem.errors)) {
    e.problem.errors = e.problem.errors.map((x) => ({
      ...x,
      field: x.field ? `${prefix}${x.field}` : x.field,
    }));
  }
  return e;
}

function prefixField(wrapper, prefix) {
  for (const input of wrapper.querySelectorAll('[data-field]')) {
    input.setAttribute('data-field', `${prefix}${input.getAttribute('data-field')}`);
    input.name = input.getAttribute('data-field');
  }
  return wrapper;
}

function paymentForm(ctx) {
  const idem = idempotency();
  const unpaid = (ctx.agreement ? ctx.agreement.instalments : []).filter((i) => i.outstandingFen > 0);
  return actionForm({
    title: 'action.record_payment',
    fields: [
      field({
        name: 'amountFen',
        label: 'payment.amount',
        type: 'money',
        required: true,
        hint: 'payment.amountHint',
      }),
      field({
        name: 'paidOn',
        label: 'payment.paidOn',
        type: 'date',
        required: true,
        value: localDate(new Date()),
      }),
      field({
        name: 'instalmentId',
        label: 'payment.instalment',
        type: 'select',
        options: [
          ['', t('payment.oldestFirst')],
          ...unpaid.map((i) => [i.id, `${i.seq} · ${formatDate(i.dueOn)} · ${formatFen(i.outstandingFen)}`]),
        ],
      }),
      field({ name: 'note', label: 'payment.note' }),
    ],
    submitLabel: 'payment.submit',
    submit: async (body) => {
      await api('POST', `/cases/${ctx.id}/payments`, body, { ifMatch: ctx.c.version, idem });
      await done('done.payment');
    },
  });
}

// ------------------------------------------------------------------ referrals

function referralsSection(ctx, referrals) {
  const e = ctx.eligibility;
  const parts = [];
  if (e) {
    parts.push(
      el('div', { className: `eligibility ${e.eligible ? 'ok' : 'no'}`, id: 'eligibility' }, [
        el('p', {
          className: 'strong',
          text: e.eligible
            ? t('referral.eligible', { amount: formatFen(e.amountClaimedFen || 0) })
            : t('referral.notEligible'),
        }),
        e.court ? el('p', { text: `${t('referral.court')}: ${e.court.name || ''}` }) : null,
        Array.isArray(e.reasons) && e.reasons.length
          ? el(
              'ul',
              {},
              e.reasons.map((r) => el('li', { text: r })),
            )
          : null,
        e.alternative ? el('p', { className: 'hint', text: e.alternative }) : null,
      ]),
    );
  }
  const items = referrals && Array.isArray(referrals.items) ? referrals.items : [];
  parts.push(
    items.length
      ? table(REFERRAL_HEAD, referralRows(items))
      : el('p', { className: 'empty', text: t('referral.none') }),
  );
  return section('case.referrals', parts);
}

function referForm(ctx, kind) {
  const idem = idempotency();
  return actionForm({
    title: `action.refer_${kind}`,
    intro: kind === 'judicial_confirmation' ? 'referral.jcIntro' : 'referral.poIntro',
    fields:
      kind === 'judicial_confirmation'
        ? [field({ name: 'jointApplication', label: 'referral.jointApplication', type: 'checkbox' })]
        : [],
    submitLabel: 'referral.submit',
    submit: async (body) => {
      await api('POST', `/cases/${ctx.id}/referrals`, { kind, ...body }, { ifMatch: ctx.c.version, idem });
      await done('done.referred');
    },
  });
}

// ------------------------------------------------------------------ the case's own actions

function simpleForm(ctx, action, path, fields, opts = {}) {
  return actionForm({
    title: `action.${action}`,
    intro: opts.intro,
    fields,
    submitLabel: `submit.${action}`,
    danger: opts.danger,
    submit: async (body) => {
      const answer = await api(opts.method || 'POST', path, opts.body ? opts.body(body) : body, {
        ifMatch: ctx.c.version,
      });
      await done(`done.${action}`, opts.after ? opts.after(answer) : '');
    },
  });
}

function assignFields(ctx) {
  const courtSent = ['court_delegated', 'court_entrusted'].includes(ctx.c.source);
  const candidates = ctx.mediators.filter((m) => m.active !== false && (!courtSent || m.courtRostered));
  return [
    field({
      name: 'mediatorId',
      label: 'assign.mediator',
      type: 'select',
      required: true,
      value: ctx.c.mediatorId || '',
      hint: courtSent ? 'assign.rosteredOnly' : null,
      options: [
        ['', t('assign.choose')],
        ...candidates.map((m) => [
          m.id,
          `${m.displayName}${m.courtRostered ? ` · ${t('assign.rostered')}` : ''}`,
        ]),
      ],
    }),
  ];
}

function correctFields(ctx) {
  const c = ctx.c;
  const rows = c.claims.map((cl, i) =>
    el('div', { className: 'row' }, [
      field({
        name: `claims.${i}.type`,
        label: 'claim.type',
        type: 'select',
        value: cl.type,
        options: CLAIM_TYPES.map((x) => [x, t(`claimType.${x}`)]),
      }),
      field({
        name: `claims.${i}.amountFen`,
        label: 'claim.amount',
        type: 'money',
        value: (cl.amountFen / 100).toFixed(2),
      }),
      field({ name: `claims.${i}.description`, label: 'claim.description', value: cl.description || '' }),
    ]),
  );
  return [
    field({
      name: 'reason',
      label: 'common.reason',
      type: 'textarea',
      required: true,
      hint: 'correct.reasonHint',
    }),
    el('fieldset', { className: 'rows' }, [el('legend', { text: t('case.claims') }), ...rows]),
    field({
      name: 'knewOfInfringementOn',
      label: 'intake.knewOn',
      type: 'date',
      value: c.knewOfInfringementOn || '',
    }),
    field({ name: 'facts', label: 'intake.facts', type: 'textarea', value: c.facts || '', wide: true }),
  ];
}

/** The forms for the case's allowed actions, in the lifecycle's order, each behind its own button. */
function actionsSection(ctx) {
  const { allowed, id, c } = ctx;
  const reason = () => field({ name: 'reason', label: 'common.reason', type: 'textarea', required: true });
  const forms = {
    accept: () => simpleForm(ctx, 'accept', `/cases/${id}/accept`, [], { intro: 'accept.intro' }),
    reject: () =>
      simpleForm(
        ctx,
        'reject',
        `/cases/${id}/reject`,
        [reason(), field({ name: 'respondentRefused', label: 'reject.respondentRefused', type: 'checkbox' })],
        { danger: true },
      ),
    assign: () => simpleForm(ctx, 'assign', `/cases/${id}/assign`, assignFields(ctx)),
    schedule_session: () => scheduleForm(ctx),
    extend: () =>
      simpleForm(ctx, 'extend', `/cases/${id}/extensions`, [
        field({
          name: 'days',
          label: 'extend.days',
          type: 'number',
          required: true,
          attrs: { min: '1', max: '30' },
        }),
        reason(),
        field({ name: 'bothPartiesConsented', label: 'extend.consent', type: 'checkbox' }),
      ]),
    record_agreement: () => agreementForm(ctx),
    record_payment: () => paymentForm(ctx),
    refer_payment_order: () => referForm(ctx, 'payment_order'),
    refer_judicial_confirmation: () => referForm(ctx, 'judicial_confirmation'),
    fail: () =>
      simpleForm(
        ctx,
        'fail',
        `/cases/${id}/failure`,
        [
          reason(),
          field({
            name: 'referTo',
            label: 'fail.referTo',
            type: 'select',
            value: ['court_delegated', 'court_entrusted', 'arbitration_transfer'].includes(c.source)
              ? 'origin'
              : 'arbitration',
            options: ['arbitration', 'origin', 'none'].map((x) => [x, t(`fail.${x}`)]),
          }),
        ],
        { danger: true },
      ),
    withdraw: () => simpleForm(ctx, 'withdraw', `/cases/${id}/withdrawal`, [reason()], { danger: true }),
    correct: () => simpleForm(ctx, 'correct', `/cases/${id}`, correctFields(ctx), { method: 'PATCH' }),
    reset_access_code: () =>
      simpleForm(ctx, 'reset_access_code', `/cases/${id}/access-code`, [], {
        intro: 'reset.intro',
        body: () => undefined,
        after: (a) => t('reset.newCode', { code: a.accessCode }),
      }),
  };
  const buttons = [];
  const showRefer = (kind) => kind !== 'refer_payment_order' || !ctx.eligibility || ctx.eligibility.eligible;
  // The one-sitting flow for the assigned mediator of a case with no session yet.
  if (
    allowed.has('record_agreement') &&
    allowed.has('schedule_session') &&
    allowed.has('record_session') &&
    !ctx.sessions.some((x) => x.status !== 'cancelled')
  ) {
    buttons.push(disclosure('settle.open', () => settleNowForm(ctx), { action: 'settle_now' }));
  }
  for (const action of Object.keys(forms)) {
    if (!allowed.has(action) || !showRefer(action)) continue;
    buttons.push(disclosure(`action.${action}`, forms[action], { action }));
  }
  return section('case.actions', [
    buttons.length
      ? el('div', { className: 'action-list', id: 'case-actions' }, buttons)
      : el('p', { className: 'empty', id: 'case-actions', text: t('case.noActions') }),
  ]);
}

export { clear };
