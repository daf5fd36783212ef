/* global crypto, document, fetch, sessionStorage */
// The JSON API with the signed-in user's bearer token (kept in sessionStorage: gone when the tab closes).
import { el, t } from './dom.js';

const TOKEN = 'mediation.console.token';
const USER = 'mediation.console.user';

export function session() {
  const token = sessionStorage.getItem(TOKEN);
  const user = sessionStorage.getItem(USER);
  return token && user ? { token, user: JSON.parse(user) } : null;
}

export function saveSession(token, user) {
  sessionStorage.setItem(TOKEN, token);
  sessionStorage.setItem(USER, JSON.stringify(user));
}

export function clearSession() {
  sessionStorage.removeItem(TOKEN);
  sessionStorage.removeItem(USER);
}

let onUnauthorized = () => {};
export function whenUnauthorized(fn) {
  onUnauthorized = fn;
}

/** A refusal from the API: its problem+json body (status, code, detail, errors[]). */
export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || { status, errors: [] };
  }
}

/** A holder of an Idempotency-Key for one form: `{ key }`, renewed after a refusal. */
export function idempotency() {
  return { key: newKey() };
}

function newKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * One call: `opts.ifMatch` sends the case version; `opts.idem` (from idempotency()) makes a retried create safe.
 * Answers the parsed JSON (or a Blob with `opts.blob`); throws ApiError on any refusal.
 */
export async function api(method, path, body, opts = {}) {
  const s = session();
  const res = await send(method, path, body, opts, s);
  // An expired sign-in is renewed in place (the page and what was typed stay), then the call is made again.
  if (res.status === 401 && s && path !== '/auth/login') {
    if (await renewSession(s.user)) return api(method, path, body, opts);
    clearSession();
    onUnauthorized();
  }
  return answer(res, opts);
}

async function send(method, path, body, opts, s) {
  const headers = { accept: 'application/json' };
  if (s) headers.authorization = `Bearer ${s.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (opts.ifMatch !== undefined && opts.ifMatch !== null) headers['if-match'] = String(opts.ifMatch);
  if (opts.idem) headers['idempotency-key'] = opts.idem.key;
  let res;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, { status: 0, code: 'NETWORK', errors: [] });
  }
  return res;
}

async function answer(res, opts) {
  if (res.status === 204) return null;
  if (res.ok && opts.blob) return res.blob();
  const text = await res.text();
  let parsed = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  // A refusal is stored under its key and would be replayed: the corrected retry needs a new key. A server failure
  // releases the key, so a retry of the very same request keeps it.
  if (res.status >= 400 && res.status < 500 && opts.idem) opts.idem.key = newKey();
  if (!res.ok) throw new ApiError(res.status, parsed);
  return parsed;
}

let renewing = null;

/** Asks for the password again in a dialog over the page; calls that fail meanwhile wait for the same answer. */
function renewSession(user) {
  if (!renewing) renewing = askPassword(user).finally(() => (renewing = null));
  return renewing;
}

function askPassword(user) {
  return new Promise((resolve) => {
    const error = el('p', { className: 'summary', role: 'alert', hidden: true });
    const password = el('input', {
      id: 'renew-password',
      type: 'password',
      autocomplete: 'current-password',
      required: true,
    });
    const cancel = el('button', { type: 'button', className: 'secondary', text: t('signin.cancel') });
    const form = el('form', { method: 'dialog' }, [
      el('h2', { id: 'renew-title', text: t('signin.renewTitle') }),
      el('p', { text: t('signin.renewText', { name: user.displayName || user.username }) }),
      el('label', { for: 'renew-password', text: t('signin.password') }),
      password,
      error,
      el('div', { className: 'actions' }, [
        el('button', { type: 'submit', text: t('signin.submit') }),
        cancel,
      ]),
    ]);
    const dialog = el('dialog', { id: 'renew-session', 'aria-labelledby': 'renew-title' }, [form]);
    const done = (ok) => {
      dialog.close();
      dialog.remove();
      resolve(ok);
    };
    cancel.addEventListener('click', () => done(false));
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      done(false);
    });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const res = await send(
        'POST',
        '/auth/login',
        { username: user.username, password: password.value },
        {},
        null,
      ).catch(() => null);
      if (res && res.ok) {
        const body = await res.json();
        saveSession(body.accessToken, { ...user, ...body.user, displayName: user.displayName });
        done(true);
        return;
      }
      error.hidden = false;
      error.textContent = t(res && res.status === 401 ? 'error.UNAUTHORIZED' : 'error.generic');
      password.select();
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    password.focus();
  });
}

/** Like api(), but a 404 answers null (an optional part of a case: no agreement yet, no referrals route). */
export async function optional(method, path) {
  try {
    return await api(method, path);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 403)) return null;
    throw e;
  }
}
