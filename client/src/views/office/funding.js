// Funding for the office: the year's budget against what was paid, the team operating support owed
// at the province's rate (and where a payment differs from it), payments with a confirmation step,
// budget estimates, the rates in force, and the confirmation lists — each printable at any time
// (the server's A4 page, or Excel) and marked when the signed copy comes back.
import { field, formValues, h, mount } from '../../dom.js';
import { fmtDate, label, options, t, today } from '../../i18n.js';
import { attachButton, attachmentsSection } from '../../attachments.js';
import { confirmationList } from '../fees.js';
import { canManage, confirmStep, dong, downloadButton, labelled, loadInto, ot, pct, readOnlyNote, select, showError, table, teams, write, yearSelect } from './common.js';
import { uuidv7 } from '../../uuid.js';

/** @typedef {import('../../api-types').components['schemas']} S */
/** @typedef {S['FundingSummary']} Summary @typedef {S['PolicyDto']} Policy @typedef {S['DisbursementDto']} Disbursement */
/** @typedef {S['BudgetDto']} Budget @typedef {S['ConfirmationListDto']} List */

/**
 * What one team is owed in a year at a rate, when the rate's unit says it; null otherwise.
 * @param {Policy | undefined} p
 */
export function yearlyOwed(p) {
  if (!p) return null;
  if (p.rate_unit === 'per_team_per_year') return p.rate;
  if (p.rate_unit === 'per_team_per_month') return p.rate * 12;
  return null;
}

/** "2.000.000 đồng/tổ hòa giải/năm": the unit's label names the money. @param {Policy} p */
const rateText = (p) => `${new Intl.NumberFormat('vi-VN').format(p.rate)} ${label('rate_unit', p.rate_unit).toLowerCase()}`;

/**
 * The rate in force on a day for the commune: set for the commune or the nearest unit above it
 * today (a province dissolved by the reform keeps its open-ended rates, which no longer apply).
 * @param {Policy[]} ps @param {string} item @param {string} day @param {string[]} [chain] the commune and its ancestors, nearest first
 */
export function rateOn(ps, item, day, chain = []) {
  const rank = (/** @type {Policy} */ p) => (chain.length ? chain.indexOf(p.unit_id) : 0);
  return ps
    .filter((p) => p.item === item && p.valid_from <= day && (!p.valid_to || p.valid_to >= day) && rank(p) >= 0)
    .sort((a, b) => rank(a) - rank(b) || b.valid_from.localeCompare(a.valid_from))[0];
}

/** The account's unit and the units above it, nearest first. @param {import('../../app.js').App} app */
async function unitChain(app) {
  const chain = [];
  let id = app.me?.unit_id || null;
  while (id && chain.length < 6) {
    chain.push(id);
    const u = await app.api.get(`/api/v1/units/${id}`).catch(() => null);
    id = u?.parent_id || null;
  }
  return chain;
}

/** @param {import('../../app.js').App} app */
export default async function funding(app) {
  app.setTitle(ot('funding_title'));
  const year = yearSelect('fu-year');
  const out = h('div', { 'aria-live': 'polite' });
  const [ts, chain] = await Promise.all([teams(app), unitChain(app)]);
  const load = () =>
    loadInto(out, async () => {
      const y = Number(year.value);
      const end = y === new Date().getFullYear() ? today() : `${y}-12-31`;
      const [summary, policies, budgets, paid, lists] = await Promise.all([
        /** @type {Promise<Summary>} */ (app.api.get(`/api/v1/funding/summary?year=${y}`)),
        /** @type {Promise<Policy[]>} */ (app.api.get(`/api/v1/funding/policies`)),
        /** @type {Promise<Budget[]>} */ (app.api.get(`/api/v1/funding/budgets?year=${y}`)),
        app.api.get(`/api/v1/funding/disbursements?year=${y}&limit=100`),
        /** @type {Promise<List[]>} */ (app.api.get(`/api/v1/funding/confirmation-lists?year=${y}`)),
      ]);
      const support = rateOn(policies, 'team_support', end, chain);
      /** @type {Disbursement[]} */
      const payments = paid.items || [];
      return [
        summarySection(summary),
        supportSection(summary, support, y, ts),
        canManage(app) ? payForm(app, ts, policies, chain) : null,
        listsSection(app, lists, await app.outbox.list()),
        h(
          'section',
          { class: 'block' },
          h('h2', null, ot('disbursements')),
          payments.length
            ? table(
                ot('disbursements'),
                [ot('paid_on'), ot('item'), ot('payee_team'), ot('amount'), ot('voucher')],
                payments.map((d) => {
                  const r = d.item === 'team_support' ? rateOn(policies, 'team_support', d.paid_on, chain) : undefined;
                  const off = r && r.rate_unit.startsWith('per_team') && d.amount !== r.rate;
                  return [fmtDate(d.paid_on), label('funding_item', d.item), d.payee_name, h('span', null, dong(d.amount), off ? h('span', { class: 'badge bad' }, ' ⚠ ' + ot('differs')) : null), d.voucher_no || ''];
                }),
                { numeric: [3] },
              )
            : h('p', { class: 'muted' }, ot('none')),
        ),
        budgetsSection(app, budgets, y),
        policiesSection(policies),
      ];
    });
  year.addEventListener('change', load);
  load();
  return h('div', null, readOnlyNote(app), h('div', { class: 'toolbar' }, labelled('fu-year', ot('year'), year), h('a', { class: 'button', href: '#/fees' }, ot('fees_link'))), out);
}

/** @param {Summary} s */
function summarySection(s) {
  return h(
    'section',
    { class: 'block' },
    h('h2', null, `${ot('summary')} — ${s.unit_name} ${s.year}`),
    table(
      ot('summary'),
      [ot('item'), ot('budgeted'), ot('disbursed'), ot('spent_rate')],
      [...s.items, s.total].map((l) => [l.item ? label('funding_item', l.item) : l.label || ot('total'), dong(l.budgeted), dong(l.disbursed), pct(l.spent_rate)]),
      { numeric: [1, 2, 3] },
    ),
    h('p', { class: 'muted' }, ot('cases_paid', { n: s.cases_paid })),
    s.unconfirmed_disbursements ? h('p', { class: 'warn' }, ot('unconfirmed', { n: s.unconfirmed_disbursements })) : null,
  );
}

/**
 * Each active team: owed at the rate, paid this year, and a mark where they differ.
 * @param {Summary} s @param {Policy | undefined} rate @param {number} y @param {import('../../types.js').Team[]} ts
 */
function supportSection(s, rate, y, ts) {
  const owed = yearlyOwed(rate);
  const paidBy = new Map(s.teams.map((x) => [x.team_id, x.by_item.find((i) => i.item === 'team_support')?.amount || 0]));
  const active = ts.filter((x) => !x.dissolved_on || x.dissolved_on >= `${y}-01-01`);
  return h(
    'section',
    { class: 'block', id: 'team-support' },
    h('h2', null, ot('team_support')),
    rate
      ? h('p', null, owed !== null ? ot('support_owed', { rate: rateText(rate), owed: dong(owed), y }) : rateText(rate), h('br'), h('span', { class: 'muted' }, rate.legal_basis))
      : h('p', { class: 'warn' }, ot('no_policy')),
    table(
      ot('team_support'),
      [ot('team'), ot('owed'), ot('paid'), ''],
      active.map((x) => {
        const p = paidBy.get(x.id) || 0;
        const diff = owed !== null && p > 0 && p !== owed;
        return [x.name, owed === null ? '—' : dong(owed), dong(p), diff ? h('span', { class: 'badge bad' }, '⚠ ' + ot('differs')) : ''];
      }),
      { numeric: [1, 2] },
    ),
  );
}

/** @param {import('../../app.js').App} app @param {import('../../types.js').Team[]} ts @param {Policy[]} policies @param {string[]} chain */
function payForm(app, ts, policies, chain) {
  const err = h('div');
  const hint = h('p', { class: 'warn', role: 'status', hidden: true });
  const items = options('funding_item').filter((o) => o.code !== 'case_fee');
  const itemSel = select('fu-item', items.map((o) => /** @type {[string, string]} */ ([o.code, o.label])), 'team_support', 'item');
  const teamSel = select('fu-team', ts.filter((x) => !x.dissolved_on).map((x) => /** @type {[string, string]} */ ([x.id, x.name])), undefined, 'payee_team_id');
  const amount = field({ label: ot('pay_amount'), name: 'amount', type: 'number', inputmode: 'numeric', min: 1, required: true });
  const paidOn = field({ label: ot('paid_on'), name: 'paid_on', type: 'date', value: today(), max: today(), required: true });
  const amountInput = /** @type {HTMLInputElement} */ (amount.querySelector('input'));
  const dayInput = /** @type {HTMLInputElement} */ (paidOn.querySelector('input'));
  // One key per intent: a retried "Chi" after a lost answer is answered once.
  let key = uuidv7();
  const rateNow = () => (itemSel.value === 'team_support' ? rateOn(policies, 'team_support', dayInput.value || today(), chain) : undefined);
  const check = () => {
    const r = rateNow();
    const v = Number(amountInput.value);
    const off = r && r.rate_unit.startsWith('per_team') && v > 0 && v !== r.rate;
    hint.hidden = !off;
    hint.textContent = off && r ? ot('amount_differs', { amount: dong(v), rate: rateText(r) }) : '';
  };
  const prefill = () => {
    const r = rateNow();
    if (r && r.rate_unit.startsWith('per_team')) amountInput.value = String(r.rate);
    check();
  };
  itemSel.addEventListener('change', prefill);
  amountInput.addEventListener('input', check);
  dayInput.addEventListener('change', check);
  prefill();
  const confirmBox = h('div', null, h('button', { type: 'submit', class: 'primary', id: 'fu-pay' }, ot('pay')));
  const form = /** @type {HTMLFormElement} */ (
    h(
      'form',
      { class: 'panel', novalidate: true, id: 'pay-form' },
      h('h3', null, ot('disburse')),
      labelled('fu-item', ot('item'), itemSel),
      labelled('fu-team', ot('payee_team'), teamSel),
      amount,
      hint,
      paidOn,
      field({ label: ot('voucher'), name: 'voucher_no' }),
      field({ label: ot('note'), name: 'note' }),
      err,
      confirmBox,
    )
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    showError(err, null);
    const v = formValues(form);
    const amt = Number(v.amount);
    if (!(amt > 0) || !v.payee_team_id || !v.paid_on) return showError(err, ot('required'));
    const team = ts.find((x) => x.id === v.payee_team_id);
    const msg = [ot('confirm_pay', { amount: dong(amt), payee: team?.name || '', item: label('funding_item', v.item), d: fmtDate(v.paid_on) }), hint.hidden ? '' : hint.textContent].filter(Boolean).join(' ');
    if (!(await confirmStep(confirmBox, msg, ot('pay')))) return;
    try {
      await write(app, 'POST', '/api/v1/funding/disbursements', { item: v.item, amount: amt, paid_on: v.paid_on, payee_team_id: v.payee_team_id, voucher_no: v.voucher_no.trim() || null, note: v.note.trim() || null }, { key });
      key = uuidv7();
      app.toast(ot('saved'));
      app.refresh();
    } catch (e) {
      showError(err, e);
    }
  });
  return h('details', { class: 'add' }, h('summary', null, '+ ' + ot('disburse')), form);
}

/** @param {import('../../app.js').App} app @param {List[]} lists @param {import('../../outbox.js').OutboxOp[]} waiting */
function listsSection(app, lists, waiting) {
  const view = h('div', { 'aria-live': 'polite' });
  return h(
    'section',
    { class: 'block', id: 'lists' },
    h('h2', null, ot('lists')),
    lists.length
      ? h(
          'ul',
          { class: 'list' },
          lists.map((l) => {
            const base = `/api/v1/funding/confirmation-lists/${l.id}`;
            return h(
              'li',
              { class: 'card' },
              h('span', { class: 't' }, l.title),
              h('span', { class: 's' }, `${fmtDate(l.made_on)} · ${l.lines.length} · ${dong(l.total)}`),
              h('span', { class: 'badges' }, h('span', { class: `badge ${l.signed_returned ? 'st-successful' : 'draft'}` }, l.signed_returned ? `${ot('signed_returned')} ${fmtDate(l.returned_on || '')}` : ot('not_returned'))),
              // The photo of the signed copy: waiting on this computer, then on the server.
              attachmentsSection(app, { confirmation_list_id: l.id }, waiting.filter((o) => o.path.includes(`confirmation_list_id=${l.id}`))),
              h(
                'div',
                { class: 'actions row' },
                h('button', { type: 'button', onclick: () => mount(view, confirmationList(l)) }, ot('open_list')),
                downloadButton(app, ot('print_html'), `${base}?format=html`, `danh-sach-xac-nhan-${l.made_on}.html`),
                downloadButton(app, ot('download_xlsx'), `${base}?format=xlsx`, `danh-sach-xac-nhan-${l.made_on}.xlsx`),
                canManage(app) ? attachButton(app, { confirmation_list_id: l.id }, 'confirmation_list', ot('photo_signed'), () => app.refresh()) : null,
                canManage(app) && !l.signed_returned
                  ? h(
                      'button',
                      {
                        type: 'button',
                        onclick: async () => {
                          try {
                            await write(app, 'PATCH', base, { signed_returned: true, returned_on: today() }, { ifMatch: l.version });
                            app.toast(ot('saved'));
                            app.refresh();
                          } catch (e) {
                            app.toast(e.problem?.title || t('error_generic'), 'error');
                          }
                        },
                      },
                      ot('mark_returned'),
                    )
                  : null,
              ),
            );
          }),
        )
      : h('p', { class: 'muted' }, ot('none')),
    view,
  );
}

/** @param {import('../../app.js').App} app @param {Budget[]} budgets @param {number} y */
function budgetsSection(app, budgets, y) {
  const err = h('div');
  const taken = new Set(budgets.map((b) => b.item));
  const free = options('funding_item').filter((o) => !taken.has(/** @type {any} */ (o.code)));
  const form = /** @type {HTMLFormElement} */ (
    h(
      'form',
      { class: 'panel', novalidate: true },
      labelled('bu-item', ot('item'), select('bu-item', free.map((o) => /** @type {[string, string]} */ ([o.code, o.label])), undefined, 'item')),
      field({ label: ot('amount'), name: 'amount', type: 'number', inputmode: 'numeric', min: 0, required: true }),
      field({ label: ot('decision_no'), name: 'decision_no' }),
      err,
      h('button', { type: 'submit', class: 'primary' }, ot('add_budget')),
    )
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const v = formValues(form);
    if (!v.item || v.amount === '') return showError(err, ot('required'));
    try {
      await write(app, 'POST', '/api/v1/funding/budgets', { year: y, item: v.item, amount: Number(v.amount), decision_no: v.decision_no.trim() || null });
      app.toast(ot('saved'));
      app.refresh();
    } catch (e) {
      showError(err, e);
    }
  });
  return h(
    'section',
    { class: 'block' },
    h('h2', null, ot('budgets')),
    budgets.length
      ? table(ot('budgets'), [ot('item'), ot('amount'), ot('decision_no')], budgets.map((b) => [label('funding_item', b.item), dong(b.amount), b.decision_no || '']), { numeric: [1] })
      : h('p', { class: 'muted' }, ot('none')),
    canManage(app) && free.length ? h('details', { class: 'add' }, h('summary', null, '+ ' + ot('add_budget')), form) : null,
  );
}

/** @param {Policy[]} ps */
function policiesSection(ps) {
  return h(
    'section',
    { class: 'block' },
    h('h2', null, ot('policies')),
    ps.length
      ? table(
          ot('policies'),
          [ot('item'), ot('rate'), ot('valid'), ot('legal_basis')],
          ps.map((p) => [label('funding_item', p.item), `${rateText(p)}${p.outcome ? ` (${label('fee_outcome', p.outcome)})` : ''}`, `${fmtDate(p.valid_from)} – ${p.valid_to ? fmtDate(p.valid_to) : '…'}`, p.legal_basis]),
          { numeric: [] },
        )
      : h('p', { class: 'warn' }, ot('no_policy')),
  );
}
