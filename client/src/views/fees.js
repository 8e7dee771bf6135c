// The officer's fees per case (thù lao theo vụ, việc): what is owed for the cases that ended in a
// period, as the server computes it (the rate in force on each end date, split among the mediators
// who took part, a case never paid twice). Paying asks for confirmation first, then gives the
// confirmation list to print and sign (it stays on the funding page). Nothing is computed here.
import { NetworkError } from '../api.js';
import { h, mount } from '../dom.js';
import { fmtDate, t } from '../i18n.js';
import { uuidv7 } from '../uuid.js';

/** @typedef {import('../api-types').components['schemas']['FeeSuggestions']} FeeSuggestions */
/** @typedef {import('../api-types').components['schemas']['FeeSuggestion']} FeeSuggestion */
/** @typedef {import('../api-types').components['schemas']['AcceptedFees']} AcceptedFees */
/** @typedef {import('../api-types').components['schemas']['ConfirmationListDto']} ConfirmationList */

/** @param {number} n */
export const dong = (n) => `${new Intl.NumberFormat('vi-VN').format(n)} đ`;

/** @param {Date} d */
const iso = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** This quarter, the last one, this year: [value "from..to", label]. @param {Date} now */
export function periods(now) {
  const y = now.getFullYear();
  const q = Math.floor(now.getMonth() / 3);
  const range = (/** @type {number} */ year, /** @type {number} */ first, /** @type {number} */ months) =>
    `${iso(new Date(year, first, 1))}..${iso(new Date(year, first + months, 0))}`;
  const lastQ = q === 0 ? [y - 1, 3] : [y, q - 1];
  return [
    [range(y, q * 3, 3), t('fees_this_quarter', { q: q + 1, y })],
    [range(lastQ[0], lastQ[1] * 3, 3), t('fees_last_quarter', { q: lastQ[1] + 1, y: lastQ[0] })],
    [range(y, 0, 12), `${t('year')} ${y}`],
  ];
}

/** @param {FeeSuggestion} s */
function suggestion(s) {
  const people = s.shares.map((p) => `${p.full_name}: ${dong(p.amount)}`).join(' · ');
  const held = s.withheld.map((w) => t('fees_withheld', { name: w.full_name })).join(' · ');
  return h(
    'li',
    { class: 'card' },
    h('span', { class: 't' }, `${s.team_name} — ${t('fees_case', { line: s.logbook_line, year: s.received_year })}`),
    h('span', { class: 's' }, `${fmtDate(s.ended_on)} · ${t(s.status === 'successful' ? 'st_successful' : 'st_unsuccessful')} · ${s.problem ? t('fees_no_policy') : dong(s.amount)}`),
    people ? h('span', { class: 's' }, people) : null,
    held ? h('span', { class: 's warn' }, held) : null,
  );
}

/** The list as the paper to sign. @param {ConfirmationList} list */
export function confirmationList(list) {
  return h(
    'section',
    { class: 'block printable' },
    h('h2', null, t('list_title')),
    h('p', null, `${list.unit_name} — ${list.title}`),
    h(
      'table',
      { class: 'sheet' },
      h('thead', null, h('tr', null, ['STT', t('list_name'), t('list_team'), t('list_amount'), t('list_sign')].map((c) => h('th', { scope: 'col' }, c)))),
      h(
        'tbody',
        null,
        list.lines.map((l) => h('tr', null, h('td', null, String(l.no)), h('td', null, l.payee_name), h('td', null, l.team_name || ''), h('td', { class: 'num' }, dong(l.amount)), h('td', null, ''))),
        h('tr', null, h('td', null, ''), h('th', { scope: 'row' }, t('list_total')), h('td', null, ''), h('td', { class: 'num' }, dong(list.total)), h('td', null, '')),
      ),
    ),
    h('button', { type: 'button', class: 'secondary', onclick: () => globalThis.print() }, t('print')),
  );
}

/** @param {import('../app.js').App} app */
export default async function fees(app) {
  app.setTitle(t('fees_title'));
  const role = app.me?.role;
  if (role !== 'officer' && role !== 'admin' && role !== 'viewer') return h('p', { class: 'note' }, t('role_no_phone'));
  // The leadership sees what is owed; only the officer (and the administrator) pays.
  const manage = role !== 'viewer';
  const period = /** @type {HTMLSelectElement} */ (h('select', { id: 'fees-period' }, periods(new Date()).map(([v, l]) => h('option', { value: v }, l))));
  const out = h('div', { 'aria-live': 'polite' });

  /** @param {FeeSuggestions} s */
  function draw(s) {
    const payable = s.cases.filter((c) => !c.problem);
    const pay = h('button', { type: 'button', id: 'fees-pay', class: 'primary', disabled: payable.length ? undefined : '' }, t('fees_pay', { n: payable.length, total: dong(s.total) }));
    // One key per tap: a retried request is answered once; the database pays a case once anyway.
    const key = uuidv7();
    const payBox = h('div', { class: 'actions' }, pay);
    pay.addEventListener('click', async () => {
      // Money leaves the commune's account: the officer sees what and how much, and confirms.
      const { confirmStep } = await import('./office/common.js');
      if (!(await confirmStep(payBox, t('fees_confirm', { n: payable.length, total: dong(s.total) }), t('fees_confirm_yes')))) return;
      pay.setAttribute('disabled', '');
      try {
        const res = await app.api.request('POST', '/api/v1/funding/fee-suggestions/accept', {
          idempotencyKey: key,
          body: { from: s.from, to: s.to, paid_on: iso(new Date()), case_ids: payable.map((c) => c.case_id) },
        });
        if (!res.ok) throw Object.assign(new Error(res.problem?.title || String(res.status)), { status: res.status, problem: res.problem });
        /** @type {AcceptedFees} */
        const done = res.body;
        const list = done.confirmation_list_id ? await app.api.get(`/api/v1/funding/confirmation-lists/${done.confirmation_list_id}`) : null;
        mount(out, h('p', { class: 'note', role: 'status' }, t('fees_paid', { n: done.paid_cases, total: dong(done.total) })), list ? confirmationList(list) : null);
      } catch (e) {
        pay.removeAttribute('disabled');
        out.prepend(h('p', { class: 'error', role: 'alert' }, e instanceof NetworkError ? t('error_network') : e.problem?.title || t('error_generic')));
      }
    });
    mount(
      out,
      h('p', { class: 'muted' }, `${fmtDate(s.from)} – ${fmtDate(s.to)}`),
      s.cases.length ? h('ul', { class: 'list' }, s.cases.map(suggestion)) : h('p', { class: 'note' }, t('fees_none')),
      payable.length && manage ? payBox : null,
      h('p', null, h('a', { href: '#/funding' }, t('fees_lists'))),
    );
  }

  async function load() {
    mount(out, h('p', { class: 'loading' }, t('loading')));
    const [from, to] = period.value.split('..');
    try {
      draw(await app.api.get(`/api/v1/funding/fee-suggestions?from=${from}&to=${to}`));
    } catch (e) {
      mount(out, h('p', { class: 'warn' }, e instanceof NetworkError ? t('error_network') : e.problem?.title || t('error_generic')));
    }
  }
  period.addEventListener('change', load);
  load();
  return h('div', null, h('div', { class: 'field' }, h('label', { for: 'fees-period' }, t('st_period')), period), out);
}
