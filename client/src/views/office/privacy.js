// Data-subject rights (Law 91/2025/QH15) for the commune's justice officer: the register of
// requests with their due day and the late ones, registering a request about a mediator or about
// one person's rows as a party, a request's page with what is held about the person (to see, print
// and hand over) and its answer, and pseudonymising the concluded cases past their retention.
import { choices, field, formValues, h, mount, nid, showFieldErrors } from '../../dom.js';
import { fmtDate, getLang, label, options, today } from '../../i18n.js';
import { uuidv7 } from '../../uuid.js';
import { communeMediators, confirmStep, downloadButton, labelled, loadInto, ot, problemText, select, showError, showProblem, table, teams, write } from './common.js';

/** @typedef {import('../../api-types').components['schemas']} S */
/** @typedef {S['RequestDto']} Request */
/** @typedef {S['PartyMatch']} PartyMatch */
/** @typedef {S['PersonExport']} PersonExport */
/** @typedef {import('../../types.js').Mediator} Mediator */

/** The register's filter, kept while the app runs (back from a request finds the same list). */
const state = { filter: 'open' };

/** @param {string} f */
function listQuery(f) {
  const q = new URLSearchParams();
  if (f === 'overdue') q.set('overdue', 'true');
  else if (f) q.set('status', f);
  const s = String(q);
  return `/api/v1/privacy/requests${s ? `?${s}` : ''}`;
}

/** Why this screen is not this account's: the server's words, in a note. @param {any} e */
function notHere(e) {
  return h('div', null, h('p', { class: 'warn', role: 'alert', id: 'pv-forbidden' }, ot('commune_only')), e?.problem?.detail || e?.problem?.title ? h('p', { class: 'muted' }, problemText(e)) : null);
}

/** @param {import('../../app.js').App} app @param {string[]} params */
export default async function privacy(app, [id]) {
  app.setTitle(ot('privacy_title'));
  if (id) return requestPage(app, id);
  // The register answers first: an account that is not a commune's officer gets the reason, not a form.
  const first = await app.api.request('GET', listQuery(state.filter));
  if (first.status === 403) return notHere({ problem: first.problem });
  if (!first.ok) throw Object.assign(new Error(first.problem?.title || String(first.status)), { status: first.status, problem: first.problem });
  const [ms, ts] = await Promise.all([communeMediators(app).catch(() => /** @type {Mediator[]} */ ([])), teams(app).catch(() => /** @type {import('../../types.js').Team[]} */ ([]))]);
  const names = new Map(ms.map((m) => [m.id, m.full_name]));

  const filter = select(
    'pv-filter',
    [
      ['', ot('all')],
      ...options('subject_request_status').map((o) => /** @type {[string, string]} */ ([o.code, o.label])),
      ['overdue', ot('overdue')],
    ],
    state.filter,
  );
  const out = h('div', { 'aria-live': 'polite', id: 'pv-list' });
  /** @param {{items: Request[]}} [given] */
  const load = (given) =>
    loadInto(out, async () => {
      state.filter = filter.value;
      /** @type {{items: Request[]}} */
      const page = given || (await app.api.get(listQuery(state.filter)));
      const items = page.items || [];
      return [
        h('p', { class: 'muted', id: 'pv-count' }, ot('requests_n', { n: items.length })),
        items.length ? h('ul', { class: 'list grid' }, items.map((r) => requestCard(r, names))) : h('p', { class: 'muted' }, ot('none')),
      ];
    });
  filter.addEventListener('change', () => load());
  load(first.body);

  return h(
    'div',
    null,
    h('p', { class: 'muted' }, ot('privacy_intro')),
    registerForm(app, ms, ts),
    h('section', { class: 'block' }, h('h2', null, ot('requests')), labelled('pv-filter', ot('status'), filter), out),
    pseudonymiseSection(app),
  );
}

/** @param {Request} r @param {Map<string, string>} names */
function requestCard(r, names) {
  const who = r.mediator_id ? names.get(r.mediator_id) || ot('subject_mediator') : ot('parties_n', { n: r.parties.length });
  return h(
    'li',
    null,
    h(
      'a',
      { class: `card${r.overdue ? ' overdue' : ''}`, href: `#/privacy/${r.id}` },
      h('span', { class: 't' }, ot('request_of', { kind: label('subject_request_kind', r.kind), who })),
      h('span', { class: 's' }, `${ot('requester_name')}: ${r.requester_name}`),
      h('span', { class: 's' }, `${ot('received_on')}: ${fmtDate(r.received_on)} · ${ot('due_on')}: ${fmtDate(r.due_on)}`),
      h('span', { class: 'badges' }, statusBadge(r), r.overdue ? h('span', { class: 'badge overdue' }, ot('overdue')) : null),
    ),
  );
}

/** @param {Request} r */
function statusBadge(r) {
  const cls = r.status === 'open' ? 'wait' : r.status === 'completed' ? 'st-successful' : 'bad';
  return h('span', { class: `badge ${cls}` }, label('subject_request_status', r.status), r.closed_on ? ` ${fmtDate(r.closed_on)}` : '');
}

/**
 * Registering a request: its kind, whom it is about (a mediator, or one person's rows as a party
 * found by the whole name), who asked and when.
 * @param {import('../../app.js').App} app @param {Mediator[]} ms @param {import('../../types.js').Team[]} ts
 */
function registerForm(app, ms, ts) {
  const err = h('div');
  const teamName = new Map(ts.map((x) => [x.id, x.name]));
  // The request's id and the write's key are kept across retries of one intent.
  let reqId = uuidv7();
  let key = uuidv7();

  const mediatorSel = select(
    'pv-mediator',
    [['', '—'], ...ms.map((m) => /** @type {[string, string]} */ ([m.id, m.current_team_id ? m.full_name : `${m.full_name} (${ot('former')})`]))],
    '',
    'mediator_id',
  );
  const mediatorBox = h('div', { class: 'field' }, h('label', { for: 'pv-mediator' }, ot('choose_mediator')), mediatorSel, h('p', { class: 'field-error', role: 'alert' }));

  const nameInput = /** @type {HTMLInputElement} */ (h('input', { id: 'pv-party-name', type: 'search', autocomplete: 'off', enterkeyhint: 'search' }));
  const yearInput = /** @type {HTMLInputElement} */ (h('input', { id: 'pv-party-year', type: 'number', inputmode: 'numeric', min: 1900, max: new Date().getFullYear(), autocomplete: 'off' }));
  const found = h('div', { 'aria-live': 'polite', id: 'pv-found' });
  const search = async () => {
    const name = nameInput.value.trim();
    if (name.length < 2) {
      mount(found, h('p', { class: 'error', role: 'alert' }, ot('required')));
      nameInput.focus();
      return;
    }
    const q = new URLSearchParams({ name });
    if (yearInput.value) q.set('birth_year', yearInput.value);
    await loadInto(found, async () => {
      /** @type {{items: PartyMatch[]}} */
      const page = await app.api.get(`/api/v1/privacy/parties?${q}`);
      const rows = page.items || [];
      if (!rows.length) return h('p', { class: 'muted' }, ot('no_party_found'));
      return h(
        'fieldset',
        { class: 'checks field' },
        h('legend', null, ot('party_rows')),
        rows.map((p) => {
          const cid = nid('pv-row');
          const who = [p.full_name, p.birth_year ? `${ot('birth_year').toLowerCase()} ${p.birth_year}` : p.age ? ot('age_n', { n: p.age }) : null, p.address].filter(Boolean).join(', ');
          return h(
            'div',
            { class: 'check' },
            h('input', { type: 'checkbox', id: cid, name: 'party_ids', value: p.party_id, checked: true }),
            h('label', { for: cid }, `${who} — ${ot('row_line', { line: p.logbook_line, d: fmtDate(p.received_on) })}${teamName.get(p.team_id) ? `, ${teamName.get(p.team_id)}` : ''}`),
          );
        }),
        h('p', { class: 'field-error', role: 'alert' }),
      );
    });
  };
  nameInput.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      search();
    }
  });
  const partyBox = h(
    'div',
    { hidden: true },
    h('div', { class: 'filter-grid' }, labelled('pv-party-name', ot('party_name'), nameInput), labelled('pv-party-year', ot('birth_year'), yearInput)),
    h('button', { type: 'button', id: 'pv-find', onclick: search }, ot('find_rows')),
    found,
  );
  const showSubject = (/** @type {string} */ v) => {
    mediatorBox.hidden = v !== 'mediator';
    partyBox.hidden = v !== 'party';
  };

  const form = /** @type {HTMLFormElement} */ (
    h(
      'form',
      { class: 'panel', novalidate: true, id: 'pv-register' },
      choices({ legend: ot('request_kind'), name: 'kind', options: options('subject_request_kind'), required: true }),
      choices({
        legend: ot('subject'),
        name: 'subject',
        options: [
          { code: 'mediator', label: ot('subject_mediator') },
          { code: 'party', label: ot('subject_party') },
        ],
        value: 'mediator',
        onchange: showSubject,
      }),
      mediatorBox,
      partyBox,
      field({ label: ot('requester_name'), name: 'requester_name', required: true, autocomplete: 'off' }),
      field({ label: ot('received_on'), name: 'received_on', type: 'date', value: today(), max: today(), required: true }),
      field({ label: ot('details'), name: 'details', multiline: true }),
      err,
      h('button', { type: 'submit', class: 'primary' }, ot('register_request')),
    )
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    showError(err, null);
    const v = formValues(form);
    const partyIds = Array.from(form.querySelectorAll('input[name=party_ids]:checked')).map((el) => /** @type {HTMLInputElement} */ (el).value);
    /** @type {Array<{field: string, message: string}>} */
    const local = [];
    if (!v.kind) local.push({ field: 'kind', message: ot('required') });
    if (v.subject === 'mediator' && !v.mediator_id) local.push({ field: 'mediator_id', message: ot('required') });
    const rowsShown = !!form.querySelector('input[name=party_ids]');
    if (v.subject === 'party' && !partyIds.length && rowsShown) local.push({ field: 'party_ids', message: ot('choose_rows') });
    if (!v.requester_name.trim()) local.push({ field: 'requester_name', message: ot('required') });
    if (!v.received_on) local.push({ field: 'received_on', message: ot('required') });
    // Not searched yet: the search is where to go.
    if (v.subject === 'party' && !rowsShown) {
      mount(found, h('p', { class: 'error', role: 'alert' }, ot('choose_rows')));
      if (!local.length) nameInput.focus();
    }
    if (local.length || (v.subject === 'party' && !partyIds.length)) {
      showFieldErrors(form, local);
      return showError(err, ot('required'));
    }
    showFieldErrors(form, []);
    try {
      /** @type {S['CreateRequest']} */
      const body = {
        id: reqId,
        kind: /** @type {any} */ (v.kind),
        mediator_id: v.subject === 'mediator' ? v.mediator_id : null,
        party_ids: v.subject === 'party' ? partyIds : [],
        requester_name: v.requester_name.trim(),
        received_on: v.received_on,
        details: v.details.trim() || null,
      };
      /** @type {Request} */
      const made = await write(app, 'POST', '/api/v1/privacy/requests', body, { key });
      reqId = uuidv7();
      key = uuidv7();
      app.toast(ot('saved'));
      app.go(`#/privacy/${made.id}`);
    } catch (e) {
      showProblem(form, err, e);
    }
  });
  return h('details', { class: 'add' }, h('summary', null, '+ ' + ot('register_request')), form);
}

/** The request's page: its facts, the data held (view, print, download) and its answer. @param {import('../../app.js').App} app @param {string} id */
async function requestPage(app, id) {
  const res = await app.api.request('GET', `/api/v1/privacy/requests/${encodeURIComponent(id)}`);
  if (res.status === 403) return notHere({ problem: res.problem });
  if (!res.ok) throw Object.assign(new Error(res.problem?.title || String(res.status)), { status: res.status, problem: res.problem });
  /** @type {Request} */
  const r = res.body;
  const subject = h('dd', { id: 'pv-subject' }, r.mediator_id ? '…' : ot('parties_n', { n: r.parties.length }));
  // Whom it is about, named: the mediator's record, or the party's own row in each case.
  (async () => {
    if (r.mediator_id) {
      const m = await app.api.get(`/api/v1/mediators/${encodeURIComponent(r.mediator_id)}`).catch(() => null);
      mount(subject, m ? `${ot('subject_mediator')}: ${m.full_name}` : ot('subject_mediator'));
      return;
    }
    const cases = await Promise.all(r.parties.slice(0, 20).map((p) => app.api.get(`/api/v1/cases/${encodeURIComponent(p.case_id)}`).catch(() => null)));
    mount(
      subject,
      h(
        'ul',
        null,
        r.parties.map((p, i) => {
          const c = cases[i];
          const party = c?.parties?.find((/** @type {any} */ x) => x.id === p.party_id);
          const text = c ? `${party?.full_name || ''} — ${ot('row_line', { line: c.logbook_line, d: fmtDate(c.received_on) })}` : p.case_id;
          return h('li', null, h('a', { href: `#/cases/${p.case_id}` }, text));
        }),
      ),
    );
  })();

  const base = `/api/v1/privacy/requests/${encodeURIComponent(r.id)}`;
  const file = `du-lieu-ca-nhan-${r.received_on}-${r.id.slice(0, 8)}`;
  const exportOut = h('div', { 'aria-live': 'polite', id: 'pv-export' });
  const facts = h(
    'dl',
    { class: 'facts' },
    h('dt', null, ot('request_kind')),
    h('dd', null, label('subject_request_kind', r.kind)),
    h('dt', null, ot('subject')),
    subject,
    h('dt', null, ot('requester_name')),
    h('dd', null, r.requester_name),
    h('dt', null, ot('received_on')),
    h('dd', null, fmtDate(r.received_on)),
    h('dt', null, ot('due_on')),
    h('dd', { id: 'pv-due' }, fmtDate(r.due_on), r.overdue ? [' ', h('span', { class: 'badge overdue' }, ot('overdue'))] : null),
    r.details ? [h('dt', null, ot('details')), h('dd', null, r.details)] : null,
    h('dt', null, ot('status')),
    h('dd', { id: 'pv-status' }, statusBadge(r)),
    r.outcome ? [h('dt', null, ot('outcome')), h('dd', null, r.outcome)] : null,
  );
  return h(
    'div',
    null,
    h('p', null, h('a', { href: '#/privacy' }, ot('back_to_requests'))),
    h('section', { class: 'block' }, h('h2', null, ot('request_facts')), facts),
    h(
      'section',
      { class: 'block' },
      h('h2', null, ot('export_title')),
      h('p', { class: 'muted' }, ot('export_note')),
      h(
        'div',
        { class: 'actions row' },
        h('button', { type: 'button', id: 'pv-show-export', onclick: () => loadInto(exportOut, async () => exportView(await app.api.get(base + '/export'))) }, ot('show_export')),
        downloadButton(app, ot('print_export'), `${base}/export?format=html`, `${file}.html`),
        downloadButton(app, ot('download_json'), `${base}/export`, `${file}.json`),
      ),
      exportOut,
    ),
    r.status === 'open' ? closeForm(app, r) : null,
  );
}

/** What is held, summarised: the mediator record's parts with their counts, or the party's own row in each case. @param {PersonExport} x */
function exportView(x) {
  const m = x.mediator;
  return h(
    'div',
    null,
    h('p', { class: 'muted' }, `${ot('controller')}: ${x.controller} · ${ot('generated_at')}: ${new Intl.DateTimeFormat(getLang() === 'en' ? 'en-GB' : 'vi-VN', { dateStyle: 'short', timeStyle: 'short' }).format(new Date(x.generated_at))}`),
    m
      ? [
          h('h3', null, `${ot('mediator_record')}: ${m.record.full_name}`),
          h(
            'p',
            { class: 'muted' },
            [label('sex', m.record.sex), m.record.birth_year, m.record.phone, m.record.ethnic_minority ? ot('ethnic') : null, label('legal_training', m.record.legal_training)].filter(Boolean).join(' · '),
          ),
          table(
            ot('mediator_record'),
            [ot('held_part'), ot('count_col')],
            /** @type {Array<[string, number]>} */ ([
              [ot('ex_memberships'), (m.record.memberships || []).length],
              [ot('ex_trainings'), m.trainings.length],
              [ot('ex_assignments'), m.assignments.length],
              [ot('ex_candidacies'), m.candidacies.length],
              [ot('ex_payments'), m.payments.length],
              [ot('ex_awards'), m.awards.length],
              [ot('ex_breaches'), m.duty_breaches.length],
              [ot('ex_claims'), m.incident_claims.length],
              [ot('ex_accounts'), m.accounts.length],
            ]),
            { numeric: [1] },
          ),
        ]
      : null,
    x.cases.length
      ? [
          h('h3', null, ot('ex_cases')),
          table(
            ot('ex_cases'),
            [ot('logbook_line'), ot('received_on'), ot('category'), ot('status'), ot('full_name'), ot('sessions'), ot('attachments')],
            x.cases.map((c) => [
              String(c.logbook_line),
              fmtDate(c.received_on),
              label('category', c.category),
              [label('case_status', c.status), c.pseudonymised_on ? ot('pseudonymised_on', { d: fmtDate(c.pseudonymised_on) }) : null].filter(Boolean).join(' · '),
              c.party.full_name || '',
              String(c.sessions.length),
              String(c.attachments.length),
            ]),
            { numeric: [5, 6] },
          ),
        ]
      : null,
    !m && !x.cases.length ? h('p', { class: 'muted' }, ot('none')) : null,
  );
}

/** The answer: given or refused, the day, what was done or why not (If-Match). @param {import('../../app.js').App} app @param {Request} r */
function closeForm(app, r) {
  const err = h('div');
  const box = h('div', null, h('button', { type: 'submit', class: 'primary', id: 'pv-close' }, ot('close_request')));
  const statuses = options('subject_request_status').filter((o) => o.code !== 'open');
  const form = /** @type {HTMLFormElement} */ (
    h(
      'form',
      { class: 'panel', novalidate: true, id: 'pv-close-form' },
      h('h2', null, ot('close_request')),
      choices({ legend: ot('answer'), name: 'status', options: statuses, required: true }),
      field({ label: ot('closed_on'), name: 'closed_on', type: 'date', value: today(), min: r.received_on, max: today(), required: true }),
      field({ label: ot('outcome'), name: 'outcome', multiline: true, required: true, hint: ot('outcome_hint') }),
      err,
      box,
    )
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    showError(err, null);
    const v = formValues(form);
    /** @type {Array<{field: string, message: string}>} */
    const local = [];
    if (!v.status) local.push({ field: 'status', message: ot('required') });
    if (!v.closed_on) local.push({ field: 'closed_on', message: ot('required') });
    if (!v.outcome.trim()) local.push({ field: 'outcome', message: ot('required') });
    showFieldErrors(form, local);
    if (local.length) return showError(err, ot('required'));
    if (!(await confirmStep(box, ot('confirm_close', { d: fmtDate(v.closed_on), status: label('subject_request_status', v.status) }), ot('confirm')))) return;
    try {
      /** @type {S['CloseRequest']} */
      const body = { status: /** @type {any} */ (v.status), closed_on: v.closed_on, outcome: v.outcome.trim() };
      await write(app, 'POST', `/api/v1/privacy/requests/${encodeURIComponent(r.id)}/close`, body, { ifMatch: r.version });
      app.toast(ot('saved'));
      app.refresh();
    } catch (e) {
      showProblem(form, err, e);
      // Changed or answered meanwhile: the page shows the request as it is now.
      if (e.status === 409 || e.status === 412) err.appendChild(h('button', { type: 'button', onclick: () => app.refresh() }, ot('reload')));
    }
  });
  return h('section', { class: 'block' }, form);
}

/** Pseudonymising the concluded cases past the retention period, after a confirmation; the result shown. @param {import('../../app.js').App} app */
function pseudonymiseSection(app) {
  const err = h('div');
  const result = h('div', { 'aria-live': 'polite', id: 'pv-pseudo-result' });
  const box = h('div', null, h('button', { type: 'submit', class: 'danger', id: 'pv-pseudo' }, ot('pseudonymise')));
  let key = uuidv7();
  const form = /** @type {HTMLFormElement} */ (
    h(
      'form',
      { class: 'panel', novalidate: true },
      h('p', { class: 'warn' }, ot('pseudo_intro')),
      field({ label: ot('retain_years'), name: 'retain_years', type: 'number', inputmode: 'numeric', min: 1, max: 100, required: true }),
      err,
      box,
    )
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    showError(err, null);
    mount(result);
    const years = Number(formValues(form).retain_years);
    if (!Number.isInteger(years) || years < 1 || years > 100) {
      showFieldErrors(form, [{ field: 'retain_years', message: ot('years_range') }]);
      return;
    }
    showFieldErrors(form, []);
    const d = new Date();
    const before = `${d.getFullYear() - years}-${today().slice(5)}`;
    if (!(await confirmStep(box, ot('pseudo_confirm', { d: fmtDate(before) }), ot('pseudonymise')))) return;
    try {
      /** @type {S['PseudonymisationDone']} */
      const done = await write(app, 'POST', '/api/v1/privacy/pseudonymisations', { retain_years: years }, { key });
      key = uuidv7();
      mount(result, h('p', { class: 'note', role: 'status' }, ot('pseudo_done', { cases: done.cases, d: fmtDate(done.closed_before), parties: done.parties, attachments: done.attachments })));
    } catch (e) {
      showProblem(form, err, e);
    }
  });
  return h('section', { class: 'block', id: 'pseudonymise' }, h('h2', null, ot('pseudo_title')), h('details', { class: 'add' }, h('summary', null, `${ot('pseudonymise')}…`), form), result);
}
