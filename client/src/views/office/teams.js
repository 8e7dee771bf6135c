// Teams and their mediators for the office: each team's composition against the law's rules (the
// server's warnings), its mediators with their memberships; the officer adds a team, adds a
// mediator to a team, and ends a membership.
import { choices, field, formValues, h, mount, showFieldErrors } from '../../dom.js';
import { fmtDate, getLang, label, options, t, today } from '../../i18n.js';
import { canManage, communeMediators, confirmStep, labelled, ot, readOnlyNote, select, showError, showProblem, teams, write } from './common.js';

/** @typedef {import('../../api-types').components['schemas']['TeamHealth']} TeamHealth */
/** @typedef {import('../../types.js').Mediator} Mediator */

/** @param {import('../../app.js').App} app @param {string} id @returns {Promise<TeamHealth | null>} */
const health = (app, id) => app.api.get(`/api/v1/teams/${encodeURIComponent(id)}/health`).catch(() => null);

/** @param {TeamHealth | null} hl */
function healthLine(hl) {
  if (!hl) return null;
  return [
    h('span', { class: 's' }, `${ot('active_mediators')}: ${hl.active_mediators} (${ot('women')} ${hl.women}, ${ot('ethnic')} ${hl.ethnic_minority})`),
    hl.warnings.length
      ? h('ul', { class: 'warnings' }, hl.warnings.map((w) => h('li', { class: 'warn' }, '⚠ ', getLang() === 'en' ? w.message_en : w.message_vi)))
      : h('span', { class: 'badge st-successful' }, ot('composition_ok')),
  ];
}

/** @param {import('../../app.js').App} app @param {string[]} params */
export default async function teamsView(app, [id]) {
  if (id) return teamPage(app, id);
  app.setTitle(ot('teams_title'));
  const ts = await teams(app);
  const healths = await Promise.all(ts.map((x) => (x.dissolved_on ? null : health(app, x.id))));
  const list = h(
    'ul',
    { class: 'list grid' },
    ts.map((x, i) =>
      h(
        'li',
        null,
        h(
          'a',
          { class: `card${healths[i]?.warnings.length ? ' overdue' : ''}`, href: `#/teams/${x.id}` },
          h('span', { class: 't' }, x.name),
          h('span', { class: 's' }, x.dissolved_on ? `${ot('dissolved_on')}: ${fmtDate(x.dissolved_on)}` : `${ot('founded_on')}: ${fmtDate(x.founded_on)}`),
          healthLine(healths[i]),
        ),
      ),
    ),
  );
  return h('div', null, readOnlyNote(app), canManage(app) ? await addTeamForm(app) : null, ts.length ? list : h('p', { class: 'muted' }, ot('none')));
}

/** @param {import('../../app.js').App} app */
async function addTeamForm(app) {
  const villages = await app.api.get(`/api/v1/units?level=village&valid_on=${today()}&limit=100${app.me?.unit_id ? `&within=${app.me.unit_id}` : ''}`).catch(() => ({ items: [] }));
  const err = h('div');
  const form = /** @type {HTMLFormElement} */ (
    h(
      'form',
      { class: 'panel', novalidate: true },
      h('h2', null, ot('add_team')),
      field({ label: ot('team_name'), name: 'name', required: true }),
      labelled('tm-village', ot('village'), select('tm-village', (villages.items || []).map((u) => /** @type {[string, string]} */ ([u.id, u.name])), undefined, 'unit_id')),
      field({ label: ot('founded_on'), name: 'founded_on', type: 'date', value: today(), max: today(), required: true }),
      err,
      h('button', { type: 'submit', class: 'primary' }, ot('add')),
    )
  );
  const details = h('details', { class: 'add' }, h('summary', null, '+ ' + ot('add_team')), form);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const v = formValues(form);
    if (!v.name.trim() || !v.unit_id) return showError(err, ot('required'));
    try {
      const team = await write(app, 'POST', '/api/v1/teams', { name: v.name.trim(), unit_id: v.unit_id, founded_on: v.founded_on });
      app.toast(ot('saved'));
      app.go(`#/teams/${team.id}`);
    } catch (e) {
      showError(err, e);
    }
  });
  return details;
}

/** @param {import('../../app.js').App} app @param {string} id */
async function teamPage(app, id) {
  const team = await app.api.get(`/api/v1/teams/${encodeURIComponent(id)}`);
  app.setTitle(team.name);
  const [hl, page, everyone] = await Promise.all([
    health(app, id),
    app.api.get(`/api/v1/mediators?team_id=${encodeURIComponent(id)}&limit=100`),
    communeMediators(app).catch(() => /** @type {Mediator[]} */ ([])),
  ]);
  /** @type {Mediator[]} */
  const ms = page.items || [];
  // Those who have left the team, with how they left (a removal's request and reason).
  const current = new Set(ms.map((m) => m.id));
  const former = everyone.filter((m) => !current.has(m.id) && (m.memberships || []).some((x) => x.team_id === id && x.to_date));
  const out = h('div');
  const manage = canManage(app);

  /** @param {Mediator} m */
  const card = (m) => {
    const here = (m.memberships || []).filter((x) => x.team_id === id);
    const running = here.find((x) => !x.to_date);
    const slot = h('div', { class: 'actions row' });
    if (manage && running)
      slot.appendChild(h('button', { type: 'button', onclick: () => endForm(app, m, running, slot) }, ot('end_membership')));
    return h(
      'li',
      { class: 'card' },
      h('span', { class: 't' }, m.full_name, running?.role === 'leader' ? ` — ${ot('leader')}` : ''),
      h('span', { class: 's' }, [label('sex', m.sex), m.birth_year, m.ethnic_minority ? ot('ethnic') : null, label('legal_training', m.legal_training), m.phone].filter(Boolean).join(' · ')),
      h(
        'span',
        { class: 's' },
        `${ot('memberships')}: `,
        here
          .map((x) =>
            [
              label('membership_role', x.role) || (x.role === 'leader' ? ot('leader') : ot('member')),
              x.to_date ? ot('from_to', { from: fmtDate(x.from_date), to: fmtDate(x.to_date) }) : ot('since', { from: fmtDate(x.from_date) }),
              x.recognition_decision ? `${ot('decision')} ${x.recognition_decision}` : null,
              x.end_reason ? label('membership_end_reason', x.end_reason) : null,
              x.removal_requested_by ? ot('removal_shown', { by: label('removal_requester', x.removal_requested_by), d: fmtDate(x.removal_requested_on || '') }) : null,
              x.removal_reason ? ot('removal_reason_shown', { r: x.removal_reason.trim().replace(/[.;,]+$/, '') }) : null,
              x.end_decision ? [ot('end_decision_shown', { no: x.end_decision }), x.end_decision_date ? ot('on_date', { d: fmtDate(x.end_decision_date) }) : null].filter(Boolean).join(' ') : null,
            ]
              .filter(Boolean)
              .join(', '),
          )
          .join('; '),
      ),
      slot,
    );
  };
  mount(
    out,
    h('p', null, h('a', { href: '#/teams' }, ot('back_to_teams'))),
    readOnlyNote(app),
    h('section', { class: 'block' }, h('h2', null, team.name), h('div', { class: 'health' }, healthLine(hl))),
    h('section', { class: 'block' }, h('h3', null, ot('mediators')), ms.length ? h('ul', { class: 'list grid' }, ms.map(card)) : h('p', { class: 'muted' }, ot('none'))),
    former.length
      ? h('section', { class: 'block', id: 'former' }, h('details', null, h('summary', null, `${ot('former_mediators')} (${former.length})`), h('ul', { class: 'list grid' }, former.map(card))))
      : null,
    manage && !team.dissolved_on ? addMediatorForm(app, team) : null,
  );
  return out;
}

/** A removal against the mediator's will: the Front committee head's request, a reason and the chairman's decision. */
const REMOVALS = ['violation', 'no_longer_meets_criteria'];

/** @param {import('../../app.js').App} app @param {Mediator} m @param {any} membership @param {HTMLElement} slot */
function endForm(app, m, membership, slot) {
  const err = h('div');
  const reasons = options('membership_end_reason').filter((o) => o.code !== 'transferred');
  const note = h('p', { class: 'hint', id: `rm-note-${membership.id}` }, ot('removal_optional'));
  // The removal's request and reason: required for a removal (the server says so too), optional otherwise.
  const removal = h(
    'fieldset',
    { class: 'removal', 'aria-describedby': note.id },
    h('legend', null, ot('removal')),
    note,
    choices({ legend: ot('removal_requested_by'), name: 'removal_request.requested_by', options: options('removal_requester') }),
    field({ label: ot('removal_requested_on'), name: 'removal_request.requested_on', type: 'date', max: today() }),
    field({ label: ot('removal_reason'), name: 'removal_reason', multiline: true }),
  );
  const decision = field({ label: ot('end_decision'), name: 'end_decision' });
  const decisionDate = field({ label: ot('end_decision_date'), name: 'end_decision_date', type: 'date', max: today() });
  /** What a removal needs becomes required (the server checks it again). @param {string} reason */
  const need = (reason) => {
    const on = REMOVALS.includes(reason);
    note.textContent = on ? ot('removal_note') : ot('removal_optional');
    for (const el of Array.from(form.querySelectorAll('.removal input:not([type=radio]), .removal textarea, [name=end_decision], [name=end_decision_date]'))) /** @type {HTMLInputElement} */ (el).required = on;
  };
  const form = /** @type {HTMLFormElement} */ (
    h(
      'form',
      { novalidate: true, class: 'panel end-membership' },
      field({ label: ot('to_date'), name: 'to_date', type: 'date', value: today(), max: today(), required: true }),
      choices({ legend: ot('end_reason'), name: 'end_reason', options: reasons, required: true, onchange: need }),
      removal,
      decision,
      decisionDate,
      err,
      h('div', { class: 'actions row' }, h('button', { type: 'submit', class: 'danger' }, ot('end_membership')), h('button', { type: 'button', onclick: () => app.refresh() }, ot('cancel'))),
    )
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    showError(err, null);
    showFieldErrors(form, []);
    const v = formValues(form);
    const by = v['removal_request.requested_by'];
    const on = v['removal_request.requested_on'];
    /** @type {Array<{field: string, message: string}>} */
    const local = [];
    if (!v.to_date) local.push({ field: 'to_date', message: ot('required') });
    if (!v.end_reason) local.push({ field: 'end_reason', message: ot('required') });
    // A request is who asked and when: one without the other is incomplete.
    if (by && !on) local.push({ field: 'removal_request.requested_on', message: ot('required') });
    if (on && !by) local.push({ field: 'removal_request.requested_by', message: ot('required') });
    if (local.length) {
      showFieldErrors(form, local);
      return showError(err, ot('required'));
    }
    if (!(await confirmStep(err, `${ot('end_membership')}: ${m.full_name}, ${fmtDate(v.to_date)}?`, ot('confirm')))) return;
    try {
      await write(app, 'POST', `/api/v1/mediators/${m.id}/memberships/${membership.id}/end`, {
        to_date: v.to_date,
        end_reason: v.end_reason,
        end_decision: v.end_decision.trim() || null,
        end_decision_date: v.end_decision_date || null,
        removal_request: by && on ? { requested_by: by, requested_on: on } : null,
        removal_reason: v.removal_reason.trim() || null,
      });
      app.toast(ot('saved'));
      app.refresh();
    } catch (e) {
      // "No request" is the request's fault: shown at who asked.
      showProblem(form, err, e, { removal_request: 'removal_request.requested_by' });
    }
  });
  mount(slot, form);
  form.querySelector('input')?.focus();
}

/** @param {import('../../app.js').App} app @param {import('../../types.js').Team} team */
function addMediatorForm(app, team) {
  const err = h('div');
  const form = /** @type {HTMLFormElement} */ (
    h(
      'form',
      { novalidate: true, class: 'panel' },
      field({ label: ot('full_name'), name: 'full_name', required: true }),
      choices({ legend: ot('sex'), name: 'sex', options: options('sex'), required: true }),
      field({ label: ot('birth_year'), name: 'birth_year', type: 'number', inputmode: 'numeric', min: 1920, max: new Date().getFullYear() - 18 }),
      field({ label: ot('phone'), name: 'phone', type: 'tel' }),
      h('div', { class: 'check' }, h('input', { type: 'checkbox', name: 'ethnic_minority', id: 'md-ethnic' }), h('label', { for: 'md-ethnic' }, ot('ethnic_minority'))),
      choices({ legend: ot('legal_training'), name: 'legal_training', options: options('legal_training'), value: 'none' }),
      choices({ legend: ot('role_in_team'), name: 'role', options: [{ code: 'member', label: ot('member') }, { code: 'leader', label: ot('leader') }], value: 'member' }),
      field({ label: ot('from_date'), name: 'from_date', type: 'date', value: today(), max: today(), required: true }),
      field({ label: ot('decision'), name: 'recognition_decision' }),
      err,
      h('button', { type: 'submit', class: 'primary' }, ot('add_mediator')),
    )
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const v = formValues(form);
    if (!v.full_name.trim() || !v.sex) return showError(err, ot('required'));
    try {
      await write(app, 'POST', '/api/v1/mediators', {
        full_name: v.full_name.trim(),
        sex: v.sex,
        birth_year: v.birth_year ? Number(v.birth_year) : null,
        phone: v.phone.trim() || null,
        ethnic_minority: !!v.ethnic_minority,
        legal_training: v.legal_training || null,
        unit_id: team.unit_id,
        membership: { team_id: team.id, role: v.role || 'member', from_date: v.from_date, recognition_decision: v.recognition_decision.trim() || null, recognition_date: v.recognition_decision.trim() ? v.from_date : null },
      });
      app.toast(ot('saved'));
      app.refresh();
    } catch (e) {
      showError(err, e);
    }
  });
  return h('details', { class: 'add' }, h('summary', null, '+ ' + ot('add_mediator')), form);
}
