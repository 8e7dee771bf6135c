// The official reports (6-monthly and yearly, Circular 03/2019/TT-BTP): the officer enters the
// estimates for the rest of the period and submits, which freezes the figures up to the cut-off
// (after a confirmation); every version stays listed, with its lines and its CSV / Excel.
import { field, formValues, h } from '../../dom.js';
import { fmtDate, today } from '../../i18n.js';
import { canManage, confirmStep, dong, downloadButton, pct, labelled, loadInto, ot, readOnlyNote, select, showError, table, unitId, write, yearSelect } from './common.js';
import { uuidv7 } from '../../uuid.js';

/** @typedef {import('../../api-types').components['schemas']['ReportDto']} Report */

const KINDS = /** @type {const} */ (['six_month', 'annual']);
/** @param {string} k */
const kindName = (k) => (k === 'six_month' ? ot('kind_six_month') : k === 'annual' ? ot('kind_annual') : k === 'annual_official' ? ot('kind_annual_official') : k);

/** @param {number | null | undefined} v @param {string} unit */
const num = (v, unit) => (v === null || v === undefined ? '' : unit === 'rate' ? pct(v) : unit === 'dong' ? dong(v) : String(Math.round(v * 10) / 10).replace('.', ','));

/** @param {import('../../app.js').App} app */
export default async function reports(app) {
  app.setTitle(ot('reports_title'));
  const year = yearSelect('rp-year');
  const out = h('div', { 'aria-live': 'polite' });
  const load = () =>
    loadInto(out, async () => {
      const y = Number(year.value);
      /** @type {Report[]} */
      const items = await app.api.get(`/api/v1/stats/reports?year=${y}${unitId(app) ? `&unit_id=${unitId(app)}` : ''}`);
      return [
        canManage(app) && unitId(app) ? submitForm(app, y) : null,
        items.length ? h('ul', { class: 'list' }, items.map((r) => reportCard(app, r))) : h('p', { class: 'muted' }, ot('none')),
      ];
    });
  year.addEventListener('change', load);
  load();
  return h('div', null, readOnlyNote(app), labelled('rp-year', ot('year'), year), out);
}

/** @param {import('../../app.js').App} app @param {Report} r */
function reportCard(app, r) {
  const base = `/api/v1/stats/reports/${r.id}`;
  const file = `bao-cao-hoa-giai-${r.year}-${r.kind}-v${r.report_version}`;
  return h(
    'li',
    { class: 'card report' },
    h('span', { class: 't' }, `${kindName(r.kind)} ${r.year} — ${ot('version_n', { n: r.report_version })}`),
    h('span', { class: 's' }, `${ot('submitted')} ${fmtDate(r.submitted_at)} · ${ot('cutoff')} ${fmtDate(r.cutoff_date)}`),
    r.superseded_by ? h('span', { class: 'badges' }, h('span', { class: 'badge draft' }, ot('superseded'))) : null,
    h('div', { class: 'actions row' }, downloadButton(app, ot('download_xlsx'), `${base}?format=xlsx`, `${file}.xlsx`), downloadButton(app, ot('download_csv'), `${base}?format=csv`, `${file}.csv`)),
    h(
      'details',
      null,
      h('summary', null, ot('show')),
      table(
        `${kindName(r.kind)} ${r.year}`,
        [ot('indicator'), ot('actual'), ot('estimated'), ot('total')],
        r.lines.map((l) => [l.label, num(l.actual, l.unit), num(l.estimated, l.unit), num(l.total, l.unit)]),
        { numeric: [1, 2, 3] },
      ),
    ),
  );
}

/** @param {import('../../app.js').App} app @param {number} y */
function submitForm(app, y) {
  const err = h('div');
  // The figures are actual up to the cut-off, which lies in the report's period (to 30 June for
  // the six-month report) and not in the future.
  const periodEnd = (/** @type {string} */ kind) => {
    const end = kind === 'six_month' ? `${y}-06-30` : `${y}-12-31`;
    return end < today() ? end : today();
  };
  const cutoff = field({ label: ot('cutoff'), name: 'cutoff_date', type: 'date', value: periodEnd('six_month'), min: `${y}-01-01`, max: periodEnd('six_month'), required: true });
  const cutoffInput = /** @type {HTMLInputElement} */ (cutoff.querySelector('input'));
  const kindSel = select('rp-kind', KINDS.map((k) => /** @type {[string, string]} */ ([k, kindName(k)])), 'six_month', 'kind');
  kindSel.addEventListener('change', () => {
    cutoffInput.max = periodEnd(kindSel.value);
    cutoffInput.value = periodEnd(kindSel.value);
  });
  const box = h('div', null, h('button', { type: 'submit', class: 'primary', id: 'rp-submit' }, ot('submit')));
  let key = uuidv7();
  const form = /** @type {HTMLFormElement} */ (
    h(
      'form',
      { class: 'panel', novalidate: true },
      labelled('rp-kind', ot('kind'), kindSel),
      cutoff,
      h(
        'fieldset',
        { class: 'estimates' },
        h('legend', null, ot('estimates')),
        field({ label: ot('est_new'), name: 'new', type: 'number', inputmode: 'numeric', min: 0 }),
        field({ label: ot('est_successful'), name: 'successful', type: 'number', inputmode: 'numeric', min: 0 }),
        field({ label: ot('est_unsuccessful'), name: 'unsuccessful', type: 'number', inputmode: 'numeric', min: 0 }),
        field({ label: ot('est_out_of_scope'), name: 'out_of_scope', type: 'number', inputmode: 'numeric', min: 0 }),
      ),
      field({ label: ot('note'), name: 'notes', multiline: true }),
      err,
      box,
    )
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    showError(err, null);
    const v = formValues(form);
    if (!v.cutoff_date) return showError(err, ot('required'));
    const any = ['new', 'successful', 'unsuccessful', 'out_of_scope'].some((k) => v[k] !== '');
    if (!(await confirmStep(box, ot('confirm_submit', { d: fmtDate(v.cutoff_date) }), ot('submit')))) return;
    try {
      await write(
        app,
        'POST',
        '/api/v1/stats/reports',
        {
          unit_id: app.me?.unit_id,
          kind: v.kind,
          year: y,
          cutoff_date: v.cutoff_date,
          estimates: any ? { new: Number(v.new || 0), successful: Number(v.successful || 0), unsuccessful: Number(v.unsuccessful || 0), out_of_scope: Number(v.out_of_scope || 0) } : null,
          notes: v.notes.trim() || null,
        },
        { key },
      );
      key = uuidv7();
      app.toast(ot('saved'));
      app.refresh();
    } catch (e) {
      showError(err, e);
    }
  });
  return h('details', { class: 'add' }, h('summary', null, '+ ' + ot('submit_report')), form);
}
