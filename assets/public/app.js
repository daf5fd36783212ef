/*
 * The workers' page (SPEC §10): apply online and check a case's status. Plain script, no build step, no
 * inline code (the service's CSP is default-src 'self'). Everything typed by people or sent by the server is
 * put on the page with textContent, never as HTML. Strings come from the service's message catalogue
 * (/assets/messages.json); the HTML arrives already rendered in the language the browser prefers.
 */
/* global window, document, navigator, location, history, fetch, setTimeout */
(function () {
  'use strict';

  var API = '/api/v1/public';
  var ZONE = 'Asia/Shanghai';
  var version = document.body.getAttribute('data-version') || '';
  var state = {
    lang: document.documentElement.lang === 'en' ? 'en' : 'zh',
    messages: null,
    committees: [],
    claimCount: 0,
    applyKey: null,
    applyBody: null,
    receipt: null,
    lastCheck: null,
    lastStatus: null,
  };

  // ------------------------------------------------------------------ helpers

  function $(id) {
    return document.getElementById(id);
  }

  function t(key, params) {
    var table = state.messages && state.messages[state.lang];
    var text = table && Object.prototype.hasOwnProperty.call(table, key) ? table[key] : key;
    if (params) {
      text = text.replace(/\{(\w+)\}/g, function (whole, name) {
        return Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole;
      });
    }
    return text;
  }

  /** Builds an element; strings become text nodes, so nothing is ever parsed as HTML. */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        if (attrs[name] === null || attrs[name] === undefined || attrs[name] === false) return;
        if (name === 'text') node.textContent = attrs[name];
        else if (name === 'className') node.className = attrs[name];
        else node.setAttribute(name, attrs[name] === true ? '' : attrs[name]);
      });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function locale() {
    return state.lang === 'en' ? 'en-GB' : 'zh-CN';
  }

  function formatDate(localDate) {
    var p = /^(\d{4})-(\d{2})-(\d{2})/.exec(localDate || '');
    if (!p) return localDate || '';
    var d = new Date(Date.UTC(+p[1], +p[2] - 1, +p[3], 12));
    return new Intl.DateTimeFormat(locale(), {
      timeZone: 'UTC',
      year: 'numeric',
      month: 'long',
      day: 'numeric',
    }).format(d);
  }

  function formatInstant(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return iso || '';
    return new Intl.DateTimeFormat(locale(), {
      timeZone: ZONE,
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    }).format(d);
  }

  /** Integer fen as ¥1,234.50, on integers only. */
  function formatFen(fen) {
    var n = Math.abs(Math.trunc(Number(fen) || 0));
    var yuan = String(Math.floor(n / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    var cents = String(n % 100);
    if (cents.length < 2) cents = '0' + cents;
    return (fen < 0 ? '-' : '') + '¥' + yuan + '.' + cents;
  }

  /** "12,500.5" or "12500元" → 1250050 fen; null when it is not an amount. */
  function parseYuan(text) {
    var s = String(text || '')
      .replace(/[,，\s¥￥元]/g, '')
      .replace(/。/g, '.');
    var m = /^(\d{1,10})(?:\.(\d{1,2}))?$/.exec(s);
    if (!m) return null;
    var cents = (m[2] || '').length === 1 ? m[2] + '0' : m[2] || '00';
    return Number(m[1]) * 100 + Number(cents);
  }

  function randomKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return (b < 16 ? '0' : '') + b.toString(16);
      })
      .join('');
  }

  function normaliseCode(code) {
    return String(code || '')
      .toUpperCase()
      .replace(/[\s-]/g, '');
  }

  function groupCode(code) {
    return code.length === 8 ? code.slice(0, 4) + ' ' + code.slice(4) : code;
  }

  function setBusy(button, busy) {
    if (!button.getAttribute('data-idle')) button.setAttribute('data-idle', button.getAttribute('data-i18n'));
    button.setAttribute('aria-disabled', busy ? 'true' : 'false');
    button.setAttribute(
      'data-i18n',
      busy ? button.getAttribute('data-busy') : button.getAttribute('data-idle'),
    );
    button.textContent = t(button.getAttribute('data-i18n'));
  }

  function isBusy(button) {
    return button.getAttribute('aria-disabled') === 'true';
  }

  function showMessage(box, text, isError) {
    box.className = 'message' + (isError ? ' error' : '');
    box.textContent = text || '';
  }

  /** POST JSON; resolves with {status, body, headers} or rejects on a network failure. */
  function post(path, body, headers) {
    var h = { 'content-type': 'application/json', 'accept-language': state.lang };
    Object.keys(headers || {}).forEach(function (k) {
      h[k] = headers[k];
    });
    return fetch(API + path, { method: 'POST', headers: h, body: body, credentials: 'omit' }).then(
      function (res) {
        return res
          .json()
          .catch(function () {
            return null;
          })
          .then(function (json) {
            return { status: res.status, body: json, headers: res.headers };
          });
      },
    );
  }

  function retryMinutes(res) {
    var seconds = Number(res.headers.get('retry-after')) || 60;
    return Math.max(1, Math.ceil(seconds / 60));
  }

  /** The catalogue's hint for a field the server refused, by the field's dotted path. */
  function fieldHint(field) {
    if (/idNumber$/.test(field)) return t('errIdNumber');
    if (field === 'worker.phone') return t('errPhone');
    if (field === 'employer.creditCode') return t('errCreditCode');
    if (/(Date|On)$/.test(field)) return t('errDate');
    if (/email$|Email$/.test(field)) return t('errEmail');
    if (/^claims\.\d+\.amountFen$/.test(field)) return t('errAmount');
    if (field === 'caseNo') return t('errCaseNo');
    if (field === 'accessCode') return t('errAccessCode');
    return t('errField');
  }

  // ------------------------------------------------------------------ language

  function applyI18n(root) {
    Array.prototype.forEach.call(root.querySelectorAll('[data-i18n]'), function (node) {
      node.textContent = t(node.getAttribute('data-i18n'));
    });
  }

  function switchLanguage(lang) {
    state.lang = lang;
    document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
    var other = lang === 'en' ? 'zh' : 'en';
    var link = $('lang-switch');
    link.setAttribute('href', '/?lang=' + other + location.hash);
    link.setAttribute('lang', other === 'zh' ? 'zh-CN' : 'en');
    document.title = t('title');
    applyI18n(document);
    renumberClaims();
    renderCommitteeInfo();
    Array.prototype.forEach.call(document.querySelectorAll('[data-hint-field]'), function (node) {
      node.textContent = fieldHint(node.getAttribute('data-hint-field'));
    });
    if (state.receipt) renderReceipt(state.receipt, false);
    // The server's labels come in the language asked for: ask again (a right code costs no attempt).
    if (state.lastCheck) checkStatus(state.lastCheck.caseNo, state.lastCheck.accessCode, false);
    try {
      history.replaceState(null, '', '/?lang=' + lang + location.hash);
    } catch {
      /* an old browser keeps its URL */
    }
  }

  // ------------------------------------------------------------------ navigation

  function route(focus) {
    var name = location.hash.replace('#', '');
    if (name !== 'apply' && name !== 'status') name = 'home';
    ['home', 'apply', 'status'].forEach(function (id) {
      $(id).hidden = id !== name;
    });
    if (name === 'apply' && state.receipt === null) {
      $('apply-panel').hidden = false;
      $('applied').hidden = true;
    }
    if (focus) {
      var heading = name === 'home' ? $('home-title') : $(name + '-title');
      if (heading) {
        if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
        heading.focus();
      }
    }
  }

  // ------------------------------------------------------------------ field errors

  function fieldError(input, errNode, text, field) {
    if (input) input.setAttribute('aria-invalid', text ? 'true' : 'false');
    if (!errNode) return;
    errNode.textContent = text || '';
    errNode.hidden = !text;
    if (text && field) errNode.setAttribute('data-hint-field', field);
    else errNode.removeAttribute('data-hint-field');
  }

  function clearErrors(form) {
    Array.prototype.forEach.call(form.querySelectorAll('[aria-invalid="true"]'), function (node) {
      node.setAttribute('aria-invalid', 'false');
    });
    Array.prototype.forEach.call(form.querySelectorAll('.err'), function (node) {
      node.textContent = '';
      node.hidden = true;
      node.removeAttribute('data-hint-field');
    });
  }

  function errNodeFor(input) {
    if (!input) return null;
    if (input.id && $(input.id + '-err')) return $(input.id + '-err');
    var field = input.closest('.field');
    return field ? field.querySelector('.err') : null;
  }

  // ------------------------------------------------------------------ committees

  function loadCommittees() {
    fetch(API + '/committees', { credentials: 'omit' })
      .then(function (res) {
        if (!res.ok) throw new Error(String(res.status));
        return res.json();
      })
      .then(function (body) {
        state.committees = body.items || [];
        var select = $('a-committee');
        state.committees.forEach(function (c) {
          select.appendChild(el('option', { value: c.id, text: c.name }));
        });
        if (state.committees.length === 1) select.value = state.committees[0].id;
        renderCommitteeInfo();
      })
      .catch(function () {
        showMessage($('apply-message'), t('loadFailed'), true);
      });
  }

  function placeLines(place) {
    var lines = [];
    if (place.address) lines.push(el('p', { text: t('committeeAddress', { address: place.address }) }));
    if (place.phone) {
      lines.push(
        el('p', null, [
          t('committeePhone', { phone: '' }),
          el('a', { href: 'tel:' + place.phone.replace(/[^\d+]/g, ''), text: place.phone }),
        ]),
      );
    }
    if (place.hours) lines.push(el('p', { text: t('committeeHours', { hours: place.hours }) }));
    return lines;
  }

  function renderCommitteeInfo() {
    var box = $('a-committee-info');
    clear(box);
    var id = $('a-committee').value;
    var c = state.committees.filter(function (x) {
      return x.id === id;
    })[0];
    if (!c) return;
    placeLines(c).forEach(function (line) {
      box.appendChild(line);
    });
  }

  // ------------------------------------------------------------------ claims

  function addClaim() {
    var container = $('a-claims');
    if (container.children.length >= 20) return;
    var fragment = $('claim-template').content.cloneNode(true);
    var claim = fragment.querySelector('fieldset');
    var n = state.claimCount++;
    ['type', 'amount', 'description'].forEach(function (part) {
      var input = claim.querySelector('select[data-part="' + part + '"], input[data-part="' + part + '"]');
      var label = claim.querySelector('label[data-part="' + part + '"]');
      input.id = 'a-claim-' + n + '-' + part;
      label.setAttribute('for', input.id);
      var err = claim.querySelector('[data-part="' + part + '-err"]');
      if (err) {
        err.id = input.id + '-err';
        input.setAttribute('aria-describedby', err.id);
      }
    });
    claim.querySelector('.remove-claim').addEventListener('click', function () {
      container.removeChild(claim);
      renumberClaims();
      var first = container.querySelector('select');
      if (first) first.focus();
    });
    applyI18n(claim);
    container.appendChild(claim);
    renumberClaims();
    return claim;
  }

  /** Names follow the position (claims.0.amount …) so that the server's field paths find their inputs. */
  function renumberClaims() {
    var claims = $('a-claims').querySelectorAll('fieldset.claim');
    Array.prototype.forEach.call(claims, function (claim, i) {
      claim.querySelector('.claim-legend').textContent = t('claimLegend', { n: i + 1 });
      claim.querySelector('[data-part="type"]:not(label)').name = 'claims.' + i + '.type';
      claim.querySelector('input[data-part="amount"]').name = 'claims.' + i + '.amount';
      claim.querySelector('input[data-part="description"]').name = 'claims.' + i + '.description';
      claim.querySelector('.remove-claim').hidden = claims.length === 1;
    });
  }

  // ------------------------------------------------------------------ application

  function value(form, name) {
    var node = form.elements.namedItem(name);
    return node && typeof node.value === 'string' ? node.value.trim() : '';
  }

  /** The request body, or the client-side problems (empty required fields, amounts that are not amounts). */
  function collectApplication(form) {
    var problems = [];
    Array.prototype.forEach.call(form.querySelectorAll('[required]'), function (input) {
      if (input.closest('[hidden]')) return;
      if (!input.value.trim()) problems.push({ input: input, text: t('errRequired') });
    });
    var person = $('a-employer-person').checked;
    var optional = function (name) {
      return value(form, name) || undefined;
    };
    var claims = [];
    Array.prototype.forEach.call($('a-claims').querySelectorAll('fieldset.claim'), function (claim, i) {
      var amountInput = claim.querySelector('input[data-part="amount"]');
      var fen = parseYuan(amountInput.value);
      if (amountInput.value.trim() && fen === null)
        problems.push({ input: amountInput, text: t('errAmount') });
      claims.push({
        type: value(form, 'claims.' + i + '.type'),
        amountFen: fen === null ? undefined : fen,
        description: optional('claims.' + i + '.description'),
      });
    });
    var body = {
      committeeId: value(form, 'committeeId'),
      worker: {
        name: value(form, 'worker.name'),
        idType: value(form, 'worker.idType'),
        idNumber: value(form, 'worker.idNumber'),
        phone: value(form, 'worker.phone').replace(/[\s-]/g, ''),
        email: optional('worker.email'),
        address: optional('worker.address'),
      },
      employer: {
        name: value(form, 'employer.name'),
        creditCode: person ? undefined : value(form, 'employer.creditCode').toUpperCase(),
        idNumber: person ? value(form, 'employer.idNumber') : undefined,
        address: optional('employer.address'),
        contactName: optional('employer.contactName'),
        contactPhone: optional('employer.contactPhone'),
      },
      employment: {
        startDate: value(form, 'employment.startDate'),
        endDate: optional('employment.endDate'),
        position: optional('employment.position'),
      },
      claims: claims,
      knewOfInfringementOn: optional('knewOfInfringementOn'),
      facts: optional('facts'),
    };
    return { body: body, problems: problems };
  }

  function inputForField(form, field) {
    var name = field.replace(/^(claims\.\d+)\.amountFen$/, '$1.amount');
    var node = form.elements.namedItem(name);
    if (node && node.nodeType === 1) return node;
    if (/^claims(\.\d+)?$/.test(field)) return form.querySelector('input[data-part="amount"]');
    return null;
  }

  function labelText(input) {
    var label = input && input.id ? document.querySelector('label[for="' + input.id + '"]') : null;
    if (!label) return '';
    var first = label.querySelector('[data-i18n]');
    return (first || label).textContent;
  }

  function showApplyErrors(form, problems) {
    var summary = $('apply-errors');
    var list = $('apply-errors-list');
    clear(list);
    $('apply-errors-title').textContent = t('errValidation');
    problems.forEach(function (p) {
      fieldError(p.input, errNodeFor(p.input), p.text, p.field);
      var label = p.input ? labelText(p.input) : '';
      var text = label ? t('errorItem', { label: label, message: p.text }) : p.text;
      var item = p.input && p.input.id ? el('a', { href: '#' + p.input.id, text: text }) : text;
      if (p.input && p.input.id) {
        item.addEventListener('click', function (event) {
          event.preventDefault();
          p.input.focus();
        });
      }
      list.appendChild(el('li', null, [item]));
    });
    summary.hidden = problems.length === 0;
    if (problems.length) summary.focus();
  }

  function submitApplication(event) {
    event.preventDefault();
    var form = $('apply-form');
    var button = form.querySelector('button[type="submit"]');
    if (isBusy(button)) return;
    clearErrors(form);
    showMessage($('apply-message'), '');
    var collected = collectApplication(form);
    if (collected.problems.length) {
      showApplyErrors(form, collected.problems);
      return;
    }
    showApplyErrors(form, []);
    var json = JSON.stringify(collected.body);
    // One key per body: a retry of the same answers sends the same key and can never create a second case.
    if (json !== state.applyBody) {
      state.applyBody = json;
      state.applyKey = randomKey();
    }
    setBusy(button, true);
    sendApplication(form, json, 0).then(
      function () {
        setBusy(button, false);
      },
      function () {
        setBusy(button, false);
        showMessage($('apply-message'), t('errNetwork'), true);
      },
    );
  }

  function sendApplication(form, json, attempt) {
    return post('/applications', json, { 'idempotency-key': state.applyKey }).then(function (res) {
      var box = $('apply-message');
      var code = res.body && res.body.code;
      if (res.status === 201 || res.status === 200) {
        state.receipt = res.body;
        state.applyBody = null;
        state.applyKey = null;
        renderReceipt(res.body, true);
        return;
      }
      if (code === 'IDEMPOTENCY_IN_PROGRESS' && attempt < 5) {
        return new Promise(function (resolve) {
          setTimeout(resolve, 1000);
        }).then(function () {
          return sendApplication(form, json, attempt + 1);
        });
      }
      if (res.status === 400 && res.body && res.body.errors) {
        showApplyErrors(
          form,
          res.body.errors.map(function (e) {
            return { input: inputForField(form, e.field), text: fieldHint(e.field), field: e.field };
          }),
        );
        return;
      }
      if (code === 'IDEMPOTENCY_KEY_REUSED') state.applyBody = null;
      if (code === 'DUPLICATE_OPEN_CASE') showMessage(box, t('errDuplicate'), true);
      else if (res.status === 429)
        showMessage(box, t('errRateLimited', { minutes: retryMinutes(res) }), true);
      else if (res.status === 503) showMessage(box, t('errUnavailable'), true);
      else showMessage(box, t('errGeneric'), true);
    });
  }

  function renderReceipt(r, focus) {
    var box = $('applied');
    clear(box);
    var heading = el('h2', { id: 'applied-title', tabindex: '-1', className: 'ok', text: t('appliedTitle') });
    var copy = null;
    if (navigator.clipboard && window.isSecureContext) {
      copy = el('button', { type: 'button', className: 'secondary', text: t('copy') });
      copy.addEventListener('click', function () {
        navigator.clipboard.writeText(r.accessCode).then(function () {
          copy.textContent = t('copied');
        });
      });
    }
    var go = el('a', { href: '#status', className: 'choice', text: t('goCheck') });
    go.addEventListener('click', function () {
      $('s-caseNo').value = r.caseNo;
      $('s-accessCode').value = r.accessCode;
    });
    box.appendChild(
      el('div', { className: 'card receipt' }, [
        heading,
        el('div', { className: 'code-box' }, [
          el('span', { className: 'label', text: t('appliedCaseNo') }),
          el('span', { className: 'value case-no', id: 'applied-case-no', text: r.caseNo }),
        ]),
        el('div', { className: 'code-box' }, [
          el('span', { className: 'label', text: t('appliedCode') }),
          el('span', {
            className: 'value',
            id: 'applied-code',
            'data-code': r.accessCode,
            text: groupCode(r.accessCode),
          }),
        ]),
        copy,
        el('p', { className: 'keep', text: t('appliedKeep') }),
        el('p', {
          id: 'applied-parties',
          text: t('appliedParties', {
            worker: r.worker.name,
            employer: r.employer.name,
            amount: formatFen(r.claimedTotalFen),
          }),
        }),
        el('p', { text: t('appliedNext') }),
        el(
          'div',
          { className: 'info' },
          [el('p', { text: r.committee.name })].concat(placeLines(r.committee)),
        ),
        go,
      ]),
    );
    $('apply-panel').hidden = true;
    box.hidden = false;
    if (focus) heading.focus();
  }

  // ------------------------------------------------------------------ status check

  function submitStatus(event) {
    event.preventDefault();
    var form = $('status-form');
    clearErrors(form);
    var caseNo = $('s-caseNo').value.trim().toUpperCase();
    var code = normaliseCode($('s-accessCode').value);
    var bad = false;
    if (!/^[A-Z0-9]{2,12}-\d{4}-\d{5}$/.test(caseNo)) {
      fieldError($('s-caseNo'), $('s-caseNo-err'), caseNo ? t('errCaseNo') : t('errRequired'), 'caseNo');
      bad = true;
    }
    if (code.length !== 8) {
      fieldError(
        $('s-accessCode'),
        $('s-accessCode-err'),
        code ? t('errAccessCode') : t('errRequired'),
        'accessCode',
      );
      bad = true;
    }
    if (bad) {
      form.querySelector('[aria-invalid="true"]').focus();
      return;
    }
    checkStatus(caseNo, $('s-accessCode').value.trim(), true);
  }

  function checkStatus(caseNo, accessCode, focus) {
    var button = $('status-form').querySelector('button[type="submit"]');
    var box = $('status-message');
    if (isBusy(button)) return;
    setBusy(button, true);
    showMessage(box, t('checking'));
    post('/case-status', JSON.stringify({ caseNo: caseNo, accessCode: accessCode }))
      .then(function (res) {
        setBusy(button, false);
        if (res.status === 200) {
          showMessage(box, '');
          state.lastCheck = { caseNo: caseNo, accessCode: accessCode };
          state.lastStatus = res.body;
          renderStatus(res.body, focus);
          return;
        }
        state.lastCheck = null;
        clear($('status-result'));
        var code = res.body && res.body.code;
        if (res.status === 404) showMessage(box, t('errNotFound'), true);
        else if (code === 'RATE_LIMITED')
          showMessage(box, t('errRateLimited', { minutes: retryMinutes(res) }), true);
        else if (res.status === 503) showMessage(box, t('errUnavailable'), true);
        else if (res.status === 400 && res.body && res.body.errors) {
          res.body.errors.forEach(function (e) {
            var input = e.field === 'caseNo' ? $('s-caseNo') : $('s-accessCode');
            fieldError(input, errNodeFor(input), fieldHint(e.field), e.field);
          });
          showMessage(box, t('errValidation'), true);
        } else showMessage(box, t('errGeneric'), true);
      })
      .catch(function () {
        setBusy(button, false);
        showMessage(box, t('errNetwork'), true);
      });
  }

  function row(list, label, content) {
    if (!content) return;
    list.appendChild(el('dt', { text: label }));
    list.appendChild(el('dd', null, Array.isArray(content) ? content : [content]));
  }

  function renderStatus(s, focus) {
    var out = $('status-result');
    clear(out);
    var heading = el('h2', {
      id: 'result-title',
      tabindex: '-1',
      text: t('resultTitle', { caseNo: s.caseNo }),
    });

    var next = el('div', { className: 'next' }, [
      el('h3', { text: t('resultNextStep') }),
      el('p', { id: 'result-next-step', text: s.nextStep.text }),
      s.nextStep.by ? el('p', { text: t('resultNextStepBy', { date: formatDate(s.nextStep.by) }) }) : null,
    ]);
    // Where to go, unless it is the committee itself, whose details follow anyway.
    var where = s.nextStep.where;
    if (where && where.name !== s.committee.name) {
      next.appendChild(el('p', { text: t('resultNextStepWhere', { name: where.name }) }));
      placeLines(where).forEach(function (line) {
        next.appendChild(line);
      });
    }

    var facts = el('dl', { className: 'facts' });
    row(facts, t('resultCommittee'), [el('p', { text: s.committee.name })].concat(placeLines(s.committee)));
    row(facts, t('resultMediator'), s.mediator || t('none'));
    if (s.nextSession) {
      row(facts, t('resultSession'), [
        el('p', { text: formatInstant(s.nextSession.startsAt) }),
        el('p', { text: s.nextSession.location || s.nextSession.modeLabel }),
      ]);
    }
    if (s.mediationDeadline) {
      row(
        facts,
        t('resultDeadline'),
        t('resultDeadlineValue', { date: formatDate(s.mediationDeadline.lastDay) }),
      );
    }
    if (s.agreement) {
      var a = s.agreement;
      row(facts, t('resultAgreement'), [
        el('div', { className: 'money' }, [
          el('span', { text: t('agreed') }),
          el('span', { text: formatFen(a.agreedFen) }),
          el('span', { text: t('paid') }),
          el('span', { text: formatFen(a.paidFen) }),
          el('span', { text: t('outstanding') }),
          el('span', { text: formatFen(a.outstandingFen) }),
        ]),
        a.nextInstalment
          ? el('p', {
              text: t('nextInstalment', {
                date: formatDate(a.nextInstalment.dueOn),
                amount: formatFen(a.nextInstalment.amountFen),
              }),
            })
          : null,
      ]);
    }
    if (s.referrals && s.referrals.length) {
      row(
        facts,
        t('resultReferrals'),
        el(
          'ul',
          null,
          s.referrals.map(function (r) {
            return el('li', { text: t('referralItem', { kind: r.kindLabel, status: r.statusLabel }) });
          }),
        ),
      );
    }

    var timeline = el(
      'ol',
      { className: 'timeline' },
      s.timeline
        .slice()
        .reverse()
        .map(function (e) {
          return el('li', null, [el('time', { datetime: e.at, text: formatInstant(e.at) }), e.label]);
        }),
    );

    out.appendChild(
      el('article', { className: 'card', 'aria-labelledby': 'result-title' }, [
        heading,
        el('p', { className: 'label', text: t('resultStatus') }),
        el('p', {
          className: 'badge' + (s.status === 'closed' ? ' closed' : ''),
          id: 'result-status',
          text: s.statusLabel,
        }),
        next,
        facts,
        el('h3', { text: t('resultTimeline') }),
        timeline,
      ]),
    );
    if (focus) heading.focus();
  }

  // ------------------------------------------------------------------ start

  function start() {
    $('lang-switch').addEventListener('click', function (event) {
      if (!state.messages) return;
      event.preventDefault();
      switchLanguage(state.lang === 'en' ? 'zh' : 'en');
    });
    window.addEventListener('hashchange', function () {
      route(true);
    });
    Array.prototype.forEach.call(document.querySelectorAll('a.back'), function (link) {
      link.addEventListener('click', function (event) {
        event.preventDefault();
        history.pushState(null, '', location.pathname + location.search);
        route(true);
      });
    });
    $('a-committee').addEventListener('change', renderCommitteeInfo);
    $('a-employer-person').addEventListener('change', function () {
      var person = $('a-employer-person').checked;
      $('a-employer-creditCode-field').hidden = person;
      $('a-employer-idNumber-field').hidden = !person;
    });
    $('a-add-claim').addEventListener('click', function () {
      var claim = addClaim();
      if (claim) claim.querySelector('select').focus();
    });
    $('apply-form').addEventListener('submit', submitApplication);
    $('status-form').addEventListener('submit', submitStatus);
    addClaim();
    loadCommittees();
    route(false);
  }

  fetch('/assets/messages.json?v=' + encodeURIComponent(version), { credentials: 'omit' })
    .then(function (res) {
      return res.json();
    })
    .then(function (messages) {
      state.messages = messages;
    })
    .catch(function () {
      /* the page is already in one language; only the switch needs the catalogue */
    })
    .then(start);
})();
