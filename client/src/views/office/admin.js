// Administration: user accounts, the machine clients that pull statistics, and the unit list.
// Units are imported with the server's command line (no API does it in bulk), so that screen shows
// the commands and the list, read only.
import { field, formValues, h, mount } from '../../dom.js';
import { fmtDate, label, options } from '../../i18n.js';
import { confirmStep, labelled, loadInto, ot, problemText, select, showError, table, write } from './common.js';

/** @typedef {import('../../api-types').components['schemas']} S */

/** @param {import('../../app.js').App} app @param {string[]} params */
export default async function admin(app, [which]) {
  if (which === 'clients') return clients(app);
  if (which === 'units') return units(app);
  return users(app);
}

/** Units the account may give: its own subtree, communes and villages. @param {import('../../app.js').App} app */
async function unitOptions(app) {
  const within = app.me?.unit_id ? `&within=${app.me.unit_id}` : '';
  const [communes, villages] = await Promise.all([
    app.api.get(`/api/v1/units?level=commune&limit=100${within}&valid_on=${new Date().toISOString().slice(0, 10)}`).catch(() => ({ items: [] })),
    app.api.get(`/api/v1/units?level=village&limit=100${within}&valid_on=${new Date().toISOString().slice(0, 10)}`).catch(() => ({ items: [] })),
  ]);
  /** @type {S['UnitDto'][]} */
  const all = [...(communes.items || []), ...(villages.items || [])];
  if (app.me?.unit_id && !all.some((u) => u.id === app.me?.unit_id)) {
    const own = await app.api.get(`/api/v1/units/${app.me.unit_id}`).catch(() => null);
    if (own) all.unshift(own);
  }
  return all;
}

/** @param {import('../../app.js').App} app */
async function users(app) {
  app.setTitle(ot('users_title'));
  const [page, us, meds] = await Promise.all([
    app.api.get('/api/v1/users?limit=100'),
    unitOptions(app),
    app.api.get(`/api/v1/mediators?limit=100${app.me?.unit_id ? `&within=${app.me.unit_id}` : ''}`).catch(() => ({ items: [] })),
  ]);
  /** @type {S['UserDto'][]} */
  const items = page.items || [];
  const unitName = new Map(us.map((u) => [u.id, u.name]));
  const err = h('div');
  const shown = h('div', { 'aria-live': 'polite' });
  // An officer may not make an administrator (the server refuses it too).
  const roles = options('role').filter((o) => o.code !== 'stats' && (app.me?.role === 'admin' || o.code !== 'admin'));
  // A team leader's or a mediator's account is linked to their mediator record (their team, their cases).
  const medBox = labelled(
    'us-mediator',
    ot('linked_mediator'),
    select('us-mediator', [['', '—'], ...(/** @type {S['MediatorDto'][]} */ (meds.items || [])).filter((m) => m.current_team_id).map((m) => /** @type {[string, string]} */ ([m.id, m.full_name]))], '', 'mediator_id'),
  );
  medBox.hidden = true;
  const form = /** @type {HTMLFormElement} */ (
    h(
      'form',
      { class: 'panel', novalidate: true },
      field({ label: ot('username'), name: 'username', required: true, autocomplete: 'off' }),
      field({ label: ot('display_name'), name: 'display_name', required: true }),
      labelled('us-role', ot('role'), select('us-role', roles.map((o) => /** @type {[string, string]} */ ([o.code, o.label])), 'viewer', 'role')),
      labelled('us-unit', ot('unit'), select('us-unit', us.map((u) => /** @type {[string, string]} */ ([u.id, `${u.name} (${label('unit_level', u.level)})`])), app.me?.unit_id || undefined, 'unit_id')),
      medBox,
      field({ label: ot('password_optional'), name: 'password', type: 'password', autocomplete: 'new-password' }),
      err,
      h('button', { type: 'submit', class: 'primary' }, ot('add_user')),
    )
  );
  const roleSel = /** @type {HTMLSelectElement} */ (form.querySelector('#us-role'));
  roleSel.addEventListener('change', () => (medBox.hidden = roleSel.value !== 'team_leader' && roleSel.value !== 'mediator'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    showError(err, null);
    const v = formValues(form);
    if (!v.username.trim() || !v.display_name.trim()) return showError(err, ot('required'));
    if (medBox.hidden) v.mediator_id = '';
    try {
      /** @type {S['CreatedUser']} */
      const made = await write(app, 'POST', '/api/v1/users', { username: v.username.trim(), display_name: v.display_name.trim(), role: v.role, unit_id: v.unit_id || null, password: v.password || null, mediator_id: v.mediator_id || null });
      form.reset();
      mount(shown, made.generated_password ? h('p', { class: 'note', role: 'status', id: 'us-generated' }, ot('generated_password', { u: made.username, p: made.generated_password })) : h('p', { class: 'note', role: 'status' }, ot('saved')));
      list.querySelector('tbody')?.appendChild(row(made));
    } catch (e) {
      showError(err, e);
    }
  });
  /** @param {S['UserDto']} u */
  const row = (u) => h('tr', null, h('th', { scope: 'row' }, u.username), h('td', null, u.display_name), h('td', null, label('role', u.role)), h('td', null, unitName.get(u.unit_id || '') || ''), h('td', null, u.active ? ot('active') : ot('inactive')));
  const list = table(ot('users_title'), [ot('username'), ot('display_name'), ot('role'), ot('unit'), ''], []);
  const tbody = list.querySelector('tbody');
  for (const u of items) tbody?.appendChild(row(u));
  return h('div', null, h('details', { class: 'add' }, h('summary', null, '+ ' + ot('add_user')), form), shown, list);
}

/** @param {import('../../app.js').App} app */
async function clients(app) {
  app.setTitle(ot('clients_title'));
  const page = await app.api.get('/api/v1/api-clients?limit=100');
  /** @type {S['ApiClientDto'][]} */
  const items = page.items || [];
  const err = h('div');
  const shown = h('div', { 'aria-live': 'polite' });
  const form = /** @type {HTMLFormElement} */ (
    h('form', { class: 'panel', novalidate: true }, field({ label: ot('client_name'), name: 'name', required: true }), err, h('button', { type: 'submit', class: 'primary' }, ot('add_client')))
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    showError(err, null);
    const v = formValues(form);
    if (!v.name.trim()) return showError(err, ot('required'));
    try {
      /** @type {S['CreatedApiClient']} */
      const made = await write(app, 'POST', '/api/v1/api-clients', { name: v.name.trim(), unit_id: app.me?.unit_id || null });
      form.reset();
      mount(shown, h('p', { class: 'note', role: 'status', id: 'cl-secret' }, `${ot('client_id')}: ${made.id}. `, ot('client_secret', { n: made.name, s: made.client_secret })));
      ul.prepend(card(made));
    } catch (e) {
      showError(err, e);
    }
  });
  /** @param {S['ApiClientDto']} c */
  const card = (c) => {
    const slot = h('div', { class: 'actions row' });
    if (!c.revoked_at)
      slot.appendChild(
        h(
          'button',
          {
            type: 'button',
            class: 'danger',
            onclick: async () => {
              if (!(await confirmStep(slot, ot('revoke_confirm', { n: c.name }), ot('revoke')))) return;
              try {
                await write(app, 'DELETE', `/api/v1/api-clients/${c.id}`);
                app.toast(ot('revoked'));
                app.refresh();
              } catch (e) {
                app.toast(problemText(e), 'error');
              }
            },
          },
          ot('revoke'),
        ),
      );
    return h(
      'li',
      { class: 'card' },
      h('span', { class: 't' }, c.name),
      h('span', { class: 's' }, `${ot('client_id')}: ${c.id}`),
      h('span', { class: 's' }, [`${fmtDate(c.created_at)}`, c.last_used_at ? `${ot('last_used')}: ${fmtDate(c.last_used_at)}` : null].filter(Boolean).join(' · ')),
      c.revoked_at ? h('span', { class: 'badges' }, h('span', { class: 'badge bad' }, `${ot('revoked')} ${fmtDate(c.revoked_at)}`)) : null,
      slot,
    );
  };
  const ul = h('ul', { class: 'list grid' }, items.map(card));
  return h('div', null, h('details', { class: 'add' }, h('summary', null, '+ ' + ot('add_client')), form), shown, items.length ? null : h('p', { class: 'muted' }, ot('none')), ul);
}

/** @param {import('../../app.js').App} app */
async function units(app) {
  app.setTitle(ot('units_title'));
  const q = /** @type {HTMLInputElement} */ (h('input', { type: 'search', id: 'un-q', autocomplete: 'off' }));
  const level = select('un-level', [['', ot('all')], ...options('unit_level').map((o) => /** @type {[string, string]} */ ([o.code, o.label]))], '');
  const out = h('div', { 'aria-live': 'polite' });
  const load = () =>
    loadInto(out, async () => {
      const p = new URLSearchParams({ limit: '100', valid_on: new Date().toISOString().slice(0, 10) });
      if (app.me?.unit_id) p.set('within', app.me.unit_id);
      if (q.value.trim()) p.set('q', q.value.trim());
      if (level.value) p.set('level', level.value);
      const page = await app.api.get(`/api/v1/units?${p}`);
      /** @type {S['UnitDto'][]} */
      const items = page.items || [];
      return table(
        ot('units_title'),
        [ot('unit'), ot('code'), ot('level'), ot('valid')],
        items.map((u) => [`${'· '.repeat(Math.max(0, u.depth - 1))}${u.name}`, u.code || '', label('unit_level', u.level), `${fmtDate(u.valid_from)} – ${u.valid_to ? fmtDate(u.valid_to) : '…'}`]),
      );
    });
  let timer = 0;
  q.addEventListener('input', () => {
    clearTimeout(timer);
    timer = window.setTimeout(load, 350);
  });
  level.addEventListener('change', load);
  load();
  return h(
    'div',
    null,
    h(
      'section',
      { class: 'block' },
      h('p', null, ot('units_cli')),
      h('p', null, ot('units_cli_official')),
      h('pre', { class: 'cmd' }, 'hoagiai units import --official --province 31'),
      h('p', null, ot('units_cli_csv')),
      h('pre', { class: 'cmd' }, 'hoagiai units import thon-to-dan-pho.csv'),
    ),
    h('div', { class: 'filter-grid' }, labelled('un-q', ot('search'), q), labelled('un-level', ot('level'), level)),
    out,
  );
}
