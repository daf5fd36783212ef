// Intake: coordinators take walk-in and hotline cases in (and may accept and assign at once: the first half of a
// walk-in settled in one sitting); court liaisons send delegated or entrusted cases to a partner committee.
import { api, ApiError, idempotency } from './api.js';
import { flash, navigate } from './nav.js';
import { CLAIM_TYPES, el, nextId, t, toLocalInput } from './dom.js';
import { actionForm, field, showProblem } from './forms.js';
import { creditCodeHint, isValidIdNumber, normaliseIdNumber, residentIdHint } from './identity.js';

const ID_TYPES = ['resident_id', 'hk_macao_taiwan_permit', 'foreign_permanent_resident', 'passport'];

function idCheck(typeSelect) {
  return (value) => {
    if (!value.trim()) return null;
    const type = typeSelect() || 'resident_id';
    if (type === 'resident_id') {
      const hint = residentIdHint(value);
      return hint === 'ok'
        ? { ok: true, text: t('check.idOk') }
        : hint === 'short'
          ? { ok: null, text: t('check.idShort', { n: normaliseIdNumber(value).length }) }
          : { ok: false, text: t(`check.id_${hint}`) };
    }
    return isValidIdNumber(type, value)
      ? { ok: true, text: t('check.idOk') }
      : { ok: false, text: t('check.idFormat') };
  };
}

function creditCheck(value) {
  const hint = creditCodeHint(value);
  if (!hint) return null;
  if (hint === 'ok') return { ok: true, text: t('check.ccOk') };
  if (hint === 'short') return { ok: null, text: t('check.ccShort', { n: value.trim().length }) };
  return { ok: false, text: t(`check.cc_${hint}`) };
}

function claimRow(i) {
  return el('div', { className: 'row claim-row' }, [
    field({
      name: `claims.${i}.type`,
      label: 'claim.type',
      type: 'select',
      options: CLAIM_TYPES.map((x) => [x, t(`claimType.${x}`)]),
    }),
    field({ name: `claims.${i}.amountFen`, label: 'claim.amountYuan', type: 'money', required: true }),
    field({ name: `claims.${i}.description`, label: 'claim.description' }),
  ]);
}

export async function renderIntake(s) {
  const role = s.user.role;
  if (role !== 'coordinator' && role !== 'court_liaison') {
    return el('div', {}, [el('h1', { text: t('error.FORBIDDEN') })]);
  }
  const [committees, mediators] = await Promise.all([
    role === 'court_liaison' ? api('GET', '/organisations?kind=committee') : Promise.resolve(null),
    role === 'coordinator' ? api('GET', '/users?role=mediator') : Promise.resolve(null),
  ]);
  const sources = role === 'coordinator' ? ['walk_in', 'hotline'] : ['court_delegated', 'court_entrusted'];
  const fields = [];
  const origin = el('fieldset', {}, [el('legend', { text: t('intake.origin') })]);
  origin.appendChild(
    field({
      name: 'source',
      label: 'case.source',
      type: 'select',
      options: sources.map((x) => [x, t(`source.${x}`)]),
    }),
  );
  if (role === 'court_liaison') {
    const partners = committees.items.filter(
      (c) => !Array.isArray(c.partnerCourtIds) || c.partnerCourtIds.includes(s.user.organisationId),
    );
    origin.appendChild(
      field({
        name: 'committeeId',
        label: 'intake.committee',
        type: 'select',
        required: true,
        options: [['', t('intake.chooseCommittee')], ...partners.map((c) => [c.id, c.name])],
      }),
    );
    origin.appendChild(
      field({
        name: 'originReference',
        label: 'case.originReference',
        required: true,
        hint: 'intake.originReferenceHint',
      }),
    );
    origin.appendChild(
      field({
        name: 'procedure',
        label: 'intake.procedure',
        type: 'select',
        hint: 'intake.procedureHint',
        options: [
          ['', '—'],
          ['ordinary', t('procedure.ordinary')],
          ['simplified', t('procedure.simplified')],
        ],
      }),
    );
  }
  origin.appendChild(
    field({
      name: 'applicationReceivedAt',
      label: 'intake.receivedAt',
      type: 'datetime',
      required: true,
      value: toLocalInput(new Date()),
    }),
  );
  fields.push(origin);

  const idTypeId = nextId('idt');
  const worker = el('fieldset', {}, [el('legend', { text: t('case.workerSection') })]);
  worker.appendChild(
    field({ name: 'worker.name', label: 'party.name', required: true, autocomplete: 'off' }),
  );
  const idTypeField = field({
    name: 'worker.idType',
    label: 'party.idType',
    type: 'select',
    options: ID_TYPES.map((x) => [x, t(`idType.${x}`)]),
    attrs: { 'data-id': idTypeId },
  });
  worker.appendChild(idTypeField);
  const workerIdType = () => idTypeField.querySelector('select').value;
  worker.appendChild(
    field({
      name: 'worker.idNumber',
      label: 'party.idNumber',
      required: true,
      check: idCheck(workerIdType),
      attrs: { maxlength: '30' },
    }),
  );
  worker.appendChild(field({ name: 'worker.phone', label: 'party.phone', type: 'tel', required: true }));
  worker.appendChild(field({ name: 'worker.email', label: 'party.email', type: 'email' }));
  worker.appendChild(field({ name: 'worker.address', label: 'party.address' }));
  fields.push(worker);

  const employer = el('fieldset', {}, [el('legend', { text: t('case.employerSection') })]);
  employer.appendChild(field({ name: 'employer.name', label: 'party.employerName', required: true }));
  const personBox = field({ name: '_person', label: 'intake.employerIsPerson', type: 'checkbox' });
  const ccField = field({
    name: 'employer.creditCode',
    label: 'party.creditCode',
    required: true,
    check: creditCheck,
    attrs: { maxlength: '18', autocapitalize: 'characters' },
  });
  const personIdType = field({
    name: 'employer.idType',
    label: 'party.idType',
    type: 'select',
    options: ID_TYPES.map((x) => [x, t(`idType.${x}`)]),
  });
  const personId = field({
    name: 'employer.idNumber',
    label: 'intake.employerIdNumber',
    required: true,
    check: idCheck(() => personIdType.querySelector('select').value),
  });
  const personPart = el('div', { className: 'sub', hidden: true }, [personIdType, personId]);
  const ccPart = el('div', { className: 'sub' }, [ccField]);
  personBox.querySelector('input').addEventListener('change', (ev) => {
    personPart.hidden = !ev.target.checked;
    ccPart.hidden = ev.target.checked;
  });
  employer.append(personBox, ccPart, personPart);
  employer.appendChild(field({ name: 'employer.address', label: 'party.address' }));
  employer.appendChild(
    field({
      name: 'employer.domicileDivisionCode',
      label: 'intake.division',
      hint: 'intake.divisionHint',
      attrs: { maxlength: '6', inputmode: 'numeric' },
    }),
  );
  employer.appendChild(field({ name: 'employer.contactName', label: 'intake.contactName' }));
  employer.appendChild(field({ name: 'employer.contactPhone', label: 'intake.contactPhone', type: 'tel' }));
  employer.appendChild(field({ name: 'employer.contactEmail', label: 'intake.contactEmail', type: 'email' }));
  fields.push(employer);

  fields.push(
    el('fieldset', {}, [
      el('legend', { text: t('intake.employment') }),
      field({ name: 'employment.startDate', label: 'intake.startDate', type: 'date', required: true }),
      field({ name: 'employment.endDate', label: 'intake.endDate', type: 'date' }),
      field({ name: 'employment.position', label: 'intake.position' }),
    ]),
  );

  let claimCount = 1;
  const claims = el('fieldset', { className: 'rows' }, [
    el('legend', { text: t('case.claims') }),
    claimRow(0),
  ]);
  const addClaim = el('button', { type: 'button', className: 'secondary', text: t('intake.addClaim') });
  addClaim.addEventListener('click', () => {
    const row = claimRow(claimCount++);
    claims.insertBefore(row, addClaim);
    row.querySelector('select').focus();
  });
  claims.appendChild(addClaim);
  fields.push(claims);
  fields.push(
    el('fieldset', {}, [
      el('legend', { text: t('intake.factsSection') }),
      field({
        name: 'knewOfInfringementOn',
        label: 'intake.knewOn',
        type: 'date',
        hint: 'intake.knewOnHint',
      }),
      field({ name: 'facts', label: 'intake.facts', type: 'textarea', wide: true }),
    ]),
  );

  let acceptNow = null;
  if (role === 'coordinator') {
    const assignTo = field({
      name: '_mediatorId',
      label: 'assign.mediator',
      type: 'select',
      options: [
        ['', t('intake.assignLater')],
        ...mediators.items.filter((m) => m.active !== false).map((m) => [m.id, m.displayName]),
      ],
    });
    acceptNow = field({
      name: '_acceptNow',
      label: 'intake.acceptNow',
      type: 'checkbox',
      hint: 'intake.acceptNowHint',
    });
    fields.push(el('fieldset', {}, [el('legend', { text: t('intake.oneSitting') }), acceptNow, assignTo]));
    fields.push(
      field({
        name: 'separateDispute',
        label: 'intake.separateDispute',
        type: 'checkbox',
        hint: 'intake.separateDisputeHint',
      }),
    );
  }

  const idem = idempotency();
  let created = null;
  const form = actionForm({
    fields,
    submitLabel: role === 'coordinator' ? 'intake.submit' : 'intake.submitLiaison',
    className: 'intake-form wide-form',
    submit: async (body, formEl) => {
      const person = body._person;
      const accept = body._acceptNow;
      const mediatorId = body._mediatorId;
      delete body._person;
      delete body._acceptNow;
      delete body._mediatorId;
      if (person) delete body.employer.creditCode;
      else {
        delete body.employer.idType;
        delete body.employer.idNumber;
      }
      if (role === 'coordinator' && !body.separateDispute) delete body.separateDispute;
      if (!created) created = await api('POST', '/cases', body, { idem });
      let version = created.version;
      let message = t('intake.created', { caseNo: created.caseNo, code: created.accessCode });
      try {
        if (accept) {
          version = (await api('POST', `/cases/${created.id}/accept`, {}, { ifMatch: version })).version;
          message += ` ${t('done.accept')}`;
          if (mediatorId) {
            await api('POST', `/cases/${created.id}/assign`, { mediatorId }, { ifMatch: version });
            message += ` ${t('done.assign')}`;
          }
        }
      } catch (e) {
        // The case exists: say what failed and go on to its page, where the action can be retried.
        flash(`${message} ${e instanceof ApiError ? (e.problem && e.problem.detail) || '' : ''}`);
        navigate(`/console/cases/${created.id}`);
        return;
      }
      flash(message);
      if (created.limitation && created.limitation.warning) flash(`${message} ${created.limitation.warning}`);
      navigate(`/console/cases/${created.id}`);
      void formEl;
    },
  });
  form.id = 'intake-form';
  void showProblem;
  return el('div', {}, [
    el('h1', { id: 'page-title', text: t(role === 'coordinator' ? 'intake.title' : 'intake.titleLiaison') }),
    el('p', { className: 'hint', text: t('intake.intro') }),
    form,
  ]);
}
