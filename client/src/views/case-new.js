// A new case: only what the log book needs (date, category, basis, content, the parties); the rest
// under "Thêm thông tin". Saved as a draft on the phone at every keystroke; "Gửi" moves it into the
// outbox, which sends it when there is signal.
import { choices, field, formValues, h, showFieldErrors } from '../dom.js';
import { options, t, today } from '../i18n.js';
import { uuidv7 } from '../uuid.js';

/** @typedef {import('../types.js').CreateCase} CreateCase @typedef {import('../types.js').NewParty} Party */

/** @param {Record<string, any>} v @returns {Party | null} */
function partyFrom(v) {
  const name = String(v.p_full_name || '').trim();
  if (!name) return null;
  const age = parseInt(v.p_age, 10);
  return {
    kind: v.p_kind || 'person',
    role: v.p_role || 'party',
    full_name: name,
    age: Number.isFinite(age) ? age : null,
    address: String(v.p_address || '').trim() || null,
    phone: String(v.p_phone || '').trim() || null,
  };
}

/** Problems found on the phone before sending, as the server would name them. @param {CreateCase} b */
export function checkCase(b) {
  /** @type {Array<{field: string, message: string}>} */
  const errs = [];
  if (!b.received_on) errs.push({ field: 'received_on', message: t('required') });
  if (!b.category) errs.push({ field: 'category', message: t('required') });
  if (!b.basis) errs.push({ field: 'basis', message: t('required') });
  if (b.basis === 'referral' && !b.referring_body) errs.push({ field: 'referring_body', message: t('required') });
  if (!b.summary) errs.push({ field: 'summary', message: t('required') });
  if (!b.parties.some((p) => p.role === 'party')) errs.push({ field: 'p_full_name', message: t('need_two_parties') });
  return errs;
}

/** @param {import('../app.js').App} app @param {string[]} params */
export default async function caseNew(app, [draftId]) {
  app.setTitle(t('new_case'));
  const team = await app.data.team().catch(() => app.data.meta('team'));
  if (!team) return h('p', { class: 'warn' }, t('no_team'));
  /** @type {{id: string, body: CreateCase, party?: Record<string, any>, problem?: any, updatedAt?: number}} */
  let draft = draftId ? await app.db.get('drafts', draftId) : null;
  if (!draft) {
    const id = uuidv7();
    draft = {
      id,
      body: { id, team_id: team.id, received_on: today(), basis: null, category: null, summary: '', parties: [], referring_body: null, notes: null },
    };
  }
  const body = draft.body;
  const saved = h('p', { class: 'muted', 'aria-live': 'polite' });
  const partyList = h('ul', { class: 'list' });
  const referring = field({ label: t('referring_body'), name: 'referring_body', value: body.referring_body || '' });
  referring.hidden = body.basis !== 'referral';

  function drawParties() {
    partyList.replaceChildren(
      ...body.parties.map((p, i) =>
        h(
          'li',
          { class: 'party' },
          h('strong', null, `${i + 1}. ${p.full_name}`),
          h('br'),
          h('span', { class: 'muted' }, [options('party_role').find((o) => o.code === p.role)?.label, p.age ? `${p.age} ${t('age').toLowerCase()}` : '', p.address].filter(Boolean).join(' · ')),
          h('div', null, h('button', { type: 'button', class: 'link', onclick: () => { body.parties.splice(i, 1); drawParties(); save(); } }, `${t('remove')} ${p.full_name}`)),
        ),
      ),
    );
  }

  const partyBox = h(
    'fieldset',
    { class: 'party-new' },
    h('legend', null, t('add_party')),
    choices({ legend: t('party_kind'), name: 'p_kind', options: options('party_kind'), value: draft.party?.p_kind || 'person' }),
    choices({ legend: t('party_role'), name: 'p_role', options: options('party_role'), value: draft.party?.p_role || 'party' }),
    field({ label: t('full_name'), name: 'p_full_name', value: draft.party?.p_full_name || '', autocomplete: 'off' }),
    field({ label: t('age'), name: 'p_age', type: 'number', inputmode: 'numeric', min: 0, max: 130, value: draft.party?.p_age || '' }),
    field({ label: t('address'), name: 'p_address', value: draft.party?.p_address || '' }),
    field({ label: `${t('phone')} (${t('optional')})`, name: 'p_phone', type: 'tel', inputmode: 'tel', value: draft.party?.p_phone || '' }),
    h('button', { type: 'button', class: 'wide', id: 'add-party', onclick: () => addParty() }, '+ ' + t('add_party')),
  );
  for (const fs of Array.from(partyBox.querySelectorAll('.choices'))) fs.classList.add('compact');

  const submit = h('button', { type: 'submit', class: 'primary wide' }, t('send_case'));
  const form = /** @type {HTMLFormElement} */ (
    h(
      'form',
      { novalidate: true },
      draft.problem ? h('div', { class: 'error', role: 'alert' }, draft.problem.title, h('ul', null, (draft.problem.errors || []).map((e) => h('li', null, `${e.field}: ${e.message}`)))) : null,
      field({ label: t('received_on'), name: 'received_on', type: 'date', required: true, value: body.received_on, max: today() }),
      choices({ legend: t('category'), name: 'category', options: options('category'), value: body.category, required: true }),
      choices({
        legend: t('basis'),
        name: 'basis',
        options: options('basis'),
        value: body.basis,
        required: true,
        onchange: (v) => {
          referring.hidden = v !== 'referral';
        },
      }),
      referring,
      field({ label: t('summary'), name: 'summary', multiline: true, required: true, value: body.summary }),
      h('h2', null, t('parties')),
      partyList,
      partyBox,
      h('details', null, h('summary', null, t('more_info')), field({ label: t('notes'), name: 'notes', multiline: true, value: body.notes || '' })),
      saved,
      h('div', { class: 'actions' }, submit, h('button', { type: 'button', class: 'danger', onclick: () => removeDraft() }, t('delete_draft'))),
    )
  );
  drawParties();

  function read() {
    const v = formValues(form);
    body.received_on = v.received_on;
    body.category = v.category;
    body.basis = v.basis;
    body.referring_body = v.basis === 'referral' ? String(v.referring_body || '').trim() || null : null;
    body.summary = String(v.summary || '').trim();
    body.notes = String(v.notes || '').trim() || null;
    draft.party = { p_kind: v.p_kind, p_role: v.p_role, p_full_name: v.p_full_name, p_age: v.p_age, p_address: v.p_address, p_phone: v.p_phone };
    return v;
  }

  let timer = 0;
  async function save() {
    clearTimeout(timer);
    read();
    draft.updatedAt = Date.now();
    await app.db.put('drafts', draft);
    saved.textContent = t('draft_saved');
  }
  // `input` (not key events): works with Vietnamese keyboards that compose letters.
  form.addEventListener('input', () => {
    clearTimeout(timer);
    timer = window.setTimeout(save, 400);
  });
  form.addEventListener('change', () => save());

  function addParty() {
    const v = read();
    const p = partyFrom(v);
    if (!p) {
      showFieldErrors(form, [{ field: 'p_full_name', message: t('required') }]);
      return;
    }
    body.parties.push(p);
    for (const n of ['p_full_name', 'p_age', 'p_address', 'p_phone']) /** @type {HTMLInputElement} */ (form.elements.namedItem(n)).value = '';
    showFieldErrors(form, []);
    drawParties();
    save();
    /** @type {HTMLInputElement} */ (form.elements.namedItem('p_full_name')).focus();
  }

  async function removeDraft() {
    if (!confirm(t('delete_draft_confirm'))) return;
    clearTimeout(timer);
    await app.db.delete('drafts', draft.id);
    app.go('#/');
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearTimeout(timer);
    const v = read();
    // A name typed but not yet added counts as added.
    const p = partyFrom(v);
    if (p) {
      body.parties.push(p);
      for (const n of ['p_full_name', 'p_age', 'p_address', 'p_phone']) /** @type {HTMLInputElement} */ (form.elements.namedItem(n)).value = '';
      drawParties();
    }
    const errs = checkCase(body);
    if (errs.length) {
      await save();
      showFieldErrors(form, errs);
      return;
    }
    delete draft.problem;
    await app.db.put('drafts', draft);
    submit.setAttribute('disabled', '');
    /** @type {CreateCase} */
    const payload = { ...body, parties: body.parties.map((x) => ({ ...x })) };
    const op = await app.outbox.add(
      { kind: 'create_case', method: 'POST', path: '/api/v1/cases', body: payload, caseId: body.id, label: body.parties.map((x) => x.full_name).join(' – ') },
      draft.id,
    );
    app.toast(op ? t('queued') : t('waiting_to_send'));
    app.flush();
    app.go(`#/cases/${body.id}`);
  });

  return h('div', null, form);
}
