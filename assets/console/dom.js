/* global crypto, document */
// Small DOM, text and format helpers shared by the console's pages. Strings always become text nodes: nothing a
// user typed is ever parsed as HTML.

export const ZONE = 'Asia/Shanghai';

/** The claim types of SPEC §4, in the order forms offer them. */
export const CLAIM_TYPES = [
  'wage_arrears',
  'economic_compensation',
  'work_injury_medical',
  'work_injury_benefits',
  'damages',
  'social_insurance',
  'labour_relationship',
  'welfare',
  'other',
];

const state = { lang: 'zh', messages: { zh: {}, en: {} } };

export function setMessages(messages) {
  state.messages = messages;
}
export function setLang(lang) {
  state.lang = lang === 'en' ? 'en' : 'zh';
  document.documentElement.lang = state.lang === 'en' ? 'en' : 'zh-CN';
}
export function lang() {
  return state.lang;
}

/** The message `key` in the current language, `{name}` placeholders filled; an unknown key shows as itself. */
export function t(key, params) {
  const table = state.messages[state.lang] || {};
  let text = Object.prototype.hasOwnProperty.call(table, key) ? table[key] : key;
  if (params) {
    text = text.replace(/\{(\w+)\}/g, (whole, name) =>
      Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
    );
  }
  return text;
}

/** `t(key)` when the catalogue has it, else `fallback` (for codes the server may add later). */
export function tOr(key, fallback) {
  const table = state.messages[state.lang] || {};
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : fallback;
}

export function el(tag, attrs, children) {
  const node = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'text') node.textContent = value;
      else if (name === 'className') node.className = value;
      else if (name.startsWith('on') && typeof value === 'function')
        node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : value);
    }
  }
  for (const child of children || []) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(
      typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child,
    );
  }
  return node;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

let uid = 0;
export function nextId(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}

// ------------------------------------------------------------------ formats (Asia/Shanghai, integer fen)

export function formatFen(fen) {
  const n = Number(fen) || 0;
  const negative = n < 0;
  const abs = Math.abs(Math.trunc(n));
  const yuan = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}¥${yuan}.${String(abs % 100).padStart(2, '0')}`;
}

/** "12,500.5" → 1250050 fen, on strings only (never floating point); null when not an amount. */
export function parseYuan(text) {
  const s = String(text || '')
    .trim()
    .replace(/^¥/, '')
    .replace(/,/g, '');
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0'));
}

function locale() {
  return state.lang === 'en' ? 'en-GB' : 'zh-CN';
}

export function formatDate(localDate) {
  const p = /^(\d{4})-(\d{2})-(\d{2})/.exec(localDate || '');
  if (!p) return localDate || '';
  return new Intl.DateTimeFormat(locale(), {
    timeZone: 'UTC',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
  }).format(new Date(Date.UTC(+p[1], +p[2] - 1, +p[3], 12)));
}

export function formatDateTime(iso) {
  if (!iso) return '';
  return new Intl.DateTimeFormat(locale(), {
    timeZone: ZONE,
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));
}

export function formatTime(iso) {
  return new Intl.DateTimeFormat(locale(), {
    timeZone: ZONE,
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));
}

/** The local date (YYYY-MM-DD) in Asia/Shanghai of an instant. */
export function localDate(d) {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Whole days from today (Asia/Shanghai) to a local date: 0 today, negative when past. */
export function daysFromToday(localDateText) {
  const today = Date.parse(`${localDate(new Date())}T00:00:00Z`);
  return Math.round((Date.parse(`${localDateText.slice(0, 10)}T00:00:00Z`) - today) / 86_400_000);
}

/** A `datetime-local` value as Beijing wall time → ISO with +08:00; and back. */
export function fromLocalInput(value) {
  if (!value) return '';
  return `${value.length === 16 ? `${value}:00` : value}+08:00`;
}
export function toLocalInput(d) {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
}

export function statusText(status, closureReason) {
  return t(status === 'closed' ? `status.closed/${closureReason}` : `status.${status}`);
}

export function randomKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A section with a heading (h2) and a body. */
export function section(titleKey, children, attrs) {
  const id = nextId('sec');
  return el('section', { className: 'card', 'aria-labelledby': id, ...(attrs || {}) }, [
    el('h2', { id, text: t(titleKey) }),
    ...children,
  ]);
}

export function table(headKeys, rows, attrs) {
  if (!rows.length)
    return el('p', { className: 'empty', id: (attrs && attrs.id) || null, text: t('common.none') });
  return el('div', { className: 'table-wrap' }, [
    el('table', attrs || {}, [
      el('thead', {}, [
        el(
          'tr',
          {},
          headKeys.map((k) => el('th', { scope: 'col', text: t(k) })),
        ),
      ]),
      el('tbody', {}, rows),
    ]),
  ]);
}

export function link(href, text, attrs) {
  return el('a', { href, 'data-nav': '', ...(attrs || {}), text });
}
