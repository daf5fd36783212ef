/* global URLSearchParams, document, fetch, localStorage, location, window */
// The staff console: sign-in, the page for each path, the header, the language switch.
import { api, ApiError, clearSession, saveSession, session, whenUnauthorized } from './api.js';
import { clear, el, lang, setLang, setMessages, t } from './dom.js';
import { actionForm, field } from './forms.js';
import { renderHome } from './home.js';
import { renderCase, renderCaseList } from './case.js';
import { renderIntake } from './intake.js';
import { renderReferral, renderReferralList } from './referrals.js';
import { renderCalendarFeed } from './calendar.js';
import { flash, navigate, setRenderer } from './nav.js';

const LANG_KEY = 'mediation.console.lang';
const main = document.getElementById('main');
const version = document.body.getAttribute('data-version') || '';

/** Where each role may go, in nav order (the API decides what they may do there). */
const NAV = {
  coordinator: [
    ['/console', 'nav.home'],
    ['/console/cases', 'nav.cases'],
    ['/console/cases/new', 'nav.intake'],
  ],
  mediator: [
    ['/console', 'nav.home'],
    ['/console/cases', 'nav.cases'],
    ['/console/calendar', 'nav.calendar'],
  ],
  court_liaison: [
    ['/console', 'nav.home'],
    ['/console/referrals', 'nav.referrals'],
    ['/console/cases', 'nav.courtCases'],
    ['/console/cases/new', 'nav.delegate'],
  ],
};

function header() {
  const s = session();
  const nav = clear(document.getElementById('nav'));
  const here = location.pathname.replace(/\/$/, '') || '/console';
  if (s) {
    const list = el('ul');
    for (const [href, key] of NAV[s.user.role] || [['/console', 'nav.home']]) {
      const current =
        here === href || (href !== '/console' && here.startsWith(`${href}/`) && href !== '/console/cases');
      const exact = here === href;
      list.appendChild(
        el('li', {}, [
          el('a', { href, 'data-nav': '', 'aria-current': exact || current ? 'page' : null, text: t(key) }),
        ]),
      );
    }
    nav.appendChild(list);
    nav.setAttribute('aria-label', t('nav.label'));
  }
  document.getElementById('who-name').textContent = s
    ? `${s.user.displayName} · ${t(`role.${s.user.role}`)}`
    : '';
  const out = document.getElementById('sign-out');
  out.hidden = !s;
  out.textContent = t('nav.signOut');
  const sw = document.getElementById('lang-switch');
  sw.textContent = t('nav.otherLang');
  sw.setAttribute('lang', lang() === 'zh' ? 'en' : 'zh-CN');
  document.querySelector('.brand').textContent = t('app.title');
}

function signInPage(message) {
  const back =
    location.pathname.startsWith('/console') && location.pathname !== '/console/signin'
      ? location.pathname
      : '/console';
  const form = actionForm({
    fields: [
      field({ name: 'username', label: 'signin.username', required: true, autocomplete: 'username' }),
      field({
        name: 'password',
        label: 'signin.password',
        type: 'password',
        required: true,
        autocomplete: 'current-password',
      }),
    ],
    submitLabel: 'signin.submit',
    submit: async (body) => {
      const answer = await api('POST', '/auth/login', {
        username: body.username || '',
        password: body.password || '',
      });
      saveSession(answer.accessToken, answer.user);
      const me = await api('GET', '/users/me');
      saveSession(answer.accessToken, {
        ...answer.user,
        displayName: me.displayName,
        courtRostered: me.courtRostered,
      });
      flash('');
      navigate(back === '/console/signin' ? '/console' : back, true);
    },
  });
  form.id = 'signin-form';
  return el('div', { className: 'narrow' }, [
    el('h1', { id: 'page-title', tabindex: '-1', text: t('signin.title') }),
    message ? el('p', { className: 'notice', role: 'status', text: message }) : null,
    form,
  ]);
}

const ROUTES = [
  [/^\/console\/?$/, (s) => renderHome(s)],
  [/^\/console\/cases\/?$/, (s) => renderCaseList(s)],
  [/^\/console\/cases\/new\/?$/, (s) => renderIntake(s)],
  [/^\/console\/cases\/([0-9a-f-]{36})\/?$/i, (s, m) => renderCase(s, m[1])],
  [/^\/console\/referrals\/?$/, (s) => renderReferralList(s)],
  [/^\/console\/referrals\/([0-9a-f-]{36})\/?$/i, (s, m) => renderReferral(s, m[1])],
  [/^\/console\/calendar\/?$/, (s) => renderCalendarFeed(s)],
];

let renderSeq = 0;
async function render(options = {}) {
  const seq = ++renderSeq;
  header();
  const s = session();
  if (!s) {
    clear(main).appendChild(signInPage(options.message));
    document.title = `${t('signin.title')} · ${t('app.title')}`;
    focusTitle();
    return;
  }
  const route = ROUTES.map(([re, fn]) => [location.pathname.match(re), fn]).find(([m]) => m);
  let page;
  try {
    page = route ? await route[1](s, route[0]) : notFound();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return;
    page = failure(e);
  }
  if (seq !== renderSeq) return;
  clear(main).appendChild(page);
  const h1 = main.querySelector('h1');
  document.title = `${h1 ? h1.textContent : ''} · ${t('app.title')}`;
  if (!options.keepFocus) focusTitle();
}

function focusTitle() {
  const h1 = main.querySelector('h1');
  if (h1) {
    h1.setAttribute('tabindex', '-1');
    h1.focus();
  }
}

function notFound() {
  return el('div', {}, [
    el('h1', { text: t('error.pageNotFound') }),
    el('p', {}, [el('a', { href: '/console', 'data-nav': '', text: t('nav.home') })]),
  ]);
}

function failure(e) {
  const status = e instanceof ApiError ? e.status : 0;
  return el('div', {}, [
    el('h1', {
      text: status === 404 ? t('error.notFound') : status === 403 ? t('error.FORBIDDEN') : t('error.generic'),
    }),
    el('p', {
      role: 'alert',
      text: e instanceof ApiError ? (e.problem && e.problem.detail) || '' : String(e),
    }),
    el('p', {}, [el('a', { href: '/console', 'data-nav': '', text: t('nav.home') })]),
  ]);
}

async function start() {
  const messages = await (await fetch(`/console/assets/messages.json?v=${version}`)).json();
  setMessages(messages);
  const asked = new URLSearchParams(location.search).get('lang');
  const stored = localStorage.getItem(LANG_KEY);
  setLang(
    asked === 'en' || asked === 'zh'
      ? asked
      : stored || (document.documentElement.lang === 'en' ? 'en' : 'zh'),
  );
  whenUnauthorized(() => render({ message: t('signin.expired') }));
  document.addEventListener('click', (ev) => {
    const a = ev.target.closest && ev.target.closest('a[data-nav]');
    if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey) return;
    ev.preventDefault();
    navigate(a.getAttribute('href'));
  });
  window.addEventListener('popstate', () => render());
  document.getElementById('lang-switch').addEventListener('click', () => {
    setLang(lang() === 'zh' ? 'en' : 'zh');
    localStorage.setItem(LANG_KEY, lang());
    render({ keepFocus: true });
    document.getElementById('lang-switch').focus();
  });
  document.getElementById('sign-out').addEventListener('click', () => {
    clearSession();
    flash(t('signin.signedOut'));
    navigate('/console', true);
  });
  await render();
}

setRenderer(render);
start();
