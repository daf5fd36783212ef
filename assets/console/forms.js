/* global CSS, document */
// Forms: labelled fields, values collected by their API field path (`data-field`), and the API's problem+json
// errors shown next to the fields they name (`errors: [{field, message}]`), announced by an aria-live summary.
import { ApiError } from './api.js';
import { clear, el, fromLocalInput, nextId, parseYuan, t, tOr } from './dom.js';

/**
 * One labelled field. spec: { name (API path), label (message key), type: text|textarea|select|date|datetime|
 * number|money|checkbox|email|tel, required, options: [[value, text]], hint, value, attrs, check(value) }.
 */
export function field(spec) {
  const id = nextId('f');
  const errId = `${id}-err`;
  const hintId = spec.hint ? `${id}-hint` : null;
  const describedBy = [hintId, errId].filter(Boolean).join(' ');
  const common = {
    id,
    name: spec.name,
    'data-field': spec.name,
    'data-kind': spec.type || 'text',
    'aria-describedby': describedBy,
    required: spec.required || null,
    ...(spec.attrs || {}),
  };
  let input;
  if (spec.type === 'textarea') {
    input = el('textarea', { ...common, rows: spec.rows || 3 });
    if (spec.value) input.value = spec.value;
  } else if (spec.type === 'select') {
    input = el(
      'select',
      common,
      (spec.options || []).map(([value, text]) => el('option', { value, text })),
    );
    if (spec.value !== undefined) input.value = spec.value;
  } else if (spec.type === 'checkbox') {
    input = el('input', { ...common, type: 'checkbox', 'aria-describedby': describedBy });
    input.checked = !!spec.value;
    const wrap = el('div', { className: 'field check' }, [
      input,
      el('label', { for: id, text: t(spec.label) }),
      hintId ? el('p', { className: 'hint', id: hintId, text: t(spec.hint) }) : null,
      el('p', { className: 'err', id: errId, hidden: true }),
    ]);
    return wrap;
  } else {
    const type =
      spec.type === 'datetime' ? 'datetime-local' : spec.type === 'money' ? 'text' : spec.type || 'text';
    input = el('input', {
      ...common,
      type,
      inputmode: spec.type === 'money' ? 'decimal' : spec.type === 'number' ? 'numeric' : null,
      autocomplete: spec.autocomplete || 'off',
      spellcheck: 'false',
    });
    if (spec.value !== undefined && spec.value !== null) input.value = spec.value;
  }
  const err = el('p', { className: 'err', id: errId, hidden: true });
  const status = spec.check
    ? el('p', { className: 'check-status', id: `${id}-check`, 'aria-live': 'polite' })
    : null;
  if (status) input.setAttribute('aria-describedby', `${describedBy} ${id}-check`);
  if (spec.check) {
    const run = () => {
      const verdict = spec.check(input.value);
      status.className = `check-status ${verdict ? (verdict.ok ? 'ok' : 'bad') : ''}`;
      status.textContent = verdict ? verdict.text : '';
    };
    input.addEventListener('input', run);
    input.addEventListener('change', run);
  }
  return el('div', { className: `field${spec.wide ? ' wide' : ''}` }, [
    el('label', { for: id }, [
      t(spec.label),
      spec.required ? el('span', { className: 'req', text: ` ${t('form.required')}` }) : null,
    ]),
    hintId ? el('p', { className: 'hint', id: hintId, text: t(spec.hint) }) : null,
    input,
    status,
    err,
  ]);
}

function setPath(target, path, value) {
  const parts = path.split('.');
  let node = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const key = /^\d+$/.test(parts[i]) ? Number(parts[i]) : parts[i];
    const nextIsIndex = /^\d+$/.test(parts[i + 1]);
    if (node[key] === undefined) node[key] = nextIsIndex ? [] : {};
    node = node[key];
  }
  const last = parts[parts.length - 1];
  node[/^\d+$/.test(last) ? Number(last) : last] = value;
}

/**
 * The body a form stands for. Empty optional fields are left out; a money field that is not an amount is sent as
 * the text typed, so the API names it; dates with time are Beijing wall time (+08:00).
 */
export function collect(form) {
  const body = {};
  for (const input of form.querySelectorAll('[data-field]')) {
    if (input.disabled || input.closest('[hidden]')) continue;
    const name = input.getAttribute('data-field');
    const kind = input.getAttribute('data-kind');
    if (kind === 'checkbox') {
      setPath(body, name, input.checked);
      continue;
    }
    const raw = input.value.trim();
    if (raw === '') {
      if (input.hasAttribute('data-null-when-empty')) setPath(body, name, null);
      continue;
    }
    let value = raw;
    if (kind === 'number') value = /^-?\d+$/.test(raw) ? Number(raw) : raw;
    else if (kind === 'money') {
      const fen = parseYuan(raw);
      value = fen === null ? raw : fen;
    } else if (kind === 'datetime') value = fromLocalInput(raw);
    else if (kind === 'list')
      value = raw
        .split(/[,，、\n]/)
        .map((s) => s.trim())
        .filter(Boolean);
    setPath(body, name, value);
  }
  return body;
}

/** The summary box of a form (announced when it changes). */
export function summaryBox() {
  return el('div', {
    className: 'summary',
    role: 'alert',
    'aria-live': 'assertive',
    tabindex: '-1',
    hidden: true,
  });
}

export function clearErrors(form) {
  for (const err of form.querySelectorAll('.err, .group-err')) {
    err.hidden = true;
    err.textContent = '';
  }
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  const summary = form.querySelector('.summary');
  if (summary) {
    summary.hidden = true;
    clear(summary);
  }
}

/** The words for a refusal: its code in our catalogue, else the API's own detail. */
export function problemText(problem) {
  if (!problem) return t('error.generic');
  if (problem.code === 'NETWORK') return t('error.network');
  const known = problem.code ? tOr(`error.${problem.code}`, null) : null;
  if (known)
    return problem.detail && problem.code !== 'VALIDATION_FAILED' ? `${known}（${problem.detail}）` : known;
  return problem.detail || problem.title || t('error.generic');
}

/** Puts each field error next to its field; the rest (and a count) in the summary, which takes the focus. */
export function showProblem(form, error) {
  clearErrors(form);
  const problem = error instanceof ApiError ? error.problem : { detail: String(error && error.message) };
  const summary = form.querySelector('.summary');
  const unplaced = [];
  const placed = [];
  for (const e of (problem && problem.errors) || []) {
    const input = findInput(form, e.field);
    if (!input) {
      // A rule about a whole group of rows (instalments that must add up): shown on the group.
      const group = e.field ? form.querySelector(`[data-group="${CSS.escape(e.field)}"] > .group-err`) : null;
      if (group) {
        group.hidden = false;
        group.textContent = `${t('form.fieldInvalid')}${e.message}`;
      }
      unplaced.push(`${e.field ? `${e.field}: ` : ''}${e.message}`);
      continue;
    }
    input.setAttribute('aria-invalid', 'true');
    const err = document.getElementById(`${input.id}-err`);
    if (err) {
      err.hidden = false;
      err.textContent = err.textContent
        ? `${err.textContent}；${e.message}`
        : `${t('form.fieldInvalid')}${e.message}`;
    }
    placed.push({ input, message: e.message });
  }
  if (!summary) return;
  summary.hidden = false;
  summary.appendChild(el('p', { className: 'summary-title', text: problemText(problem) }));
  if (placed.length || unplaced.length) {
    const list = el('ul');
    for (const p of placed) {
      const label = form.querySelector(`label[for="${p.input.id}"]`);
      list.appendChild(
        el('li', {}, [
          el(
            'a',
            {
              href: `#${p.input.id}`,
              onclick: (ev) => {
                ev.preventDefault();
                p.input.focus();
              },
            },
            [`${label ? label.firstChild.textContent : p.input.name}: ${p.message}`],
          ),
        ]),
      );
    }
    for (const text of unplaced) list.appendChild(el('li', { text }));
    summary.appendChild(list);
  }
  summary.focus();
}

/** The input a dotted API path names: exact, or the closest parent (`claims.0` for `claims.0.type` rows). */
function findInput(form, path) {
  if (!path) return null;
  let p = path;
  for (;;) {
    const input = form.querySelector(`[data-field="${CSS.escape(p)}"]`);
    if (input) return input;
    const cut = p.lastIndexOf('.');
    if (cut < 0) return null;
    p = p.slice(0, cut);
  }
}

/**
 * A complete action form: fields, a submit button, an error summary; `submit(body)` calls the API. While it runs
 * the button is busy; refusals land on the fields.
 */
export function actionForm({ title, intro, fields, submitLabel, submit, className, danger }) {
  const summary = summaryBox();
  const button = el('button', {
    type: 'submit',
    className: danger ? 'danger' : 'primary',
    text: t(submitLabel),
  });
  const form = el('form', { className: `action-form ${className || ''}`, novalidate: true }, [
    title ? el('h3', { text: t(title) }) : null,
    intro ? el('p', { className: 'hint', text: typeof intro === 'string' ? t(intro) : '' }) : null,
    summary,
    el('div', { className: 'fields' }, fields),
    el('div', { className: 'buttons' }, [button]),
  ]);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (button.disabled) return;
    clearErrors(form);
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    try {
      await submit(collect(form), form);
    } catch (e) {
      showProblem(form, e);
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  });
  return form;
}
