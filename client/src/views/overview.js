// The officer's overview: the commune's figures from the statistics API, for a period. Raw counts
// and both success rates, each named; nothing computed or guessed on the phone.
import { NetworkError } from '../api.js';
import { h, mount } from '../dom.js';
import { fmtDate, t } from '../i18n.js';

/** @typedef {import('../api-types').components['schemas']['Indicators']} Indicators */
/** @typedef {import('../api-types').components['schemas']['CaseCells']} CaseCells */

/** @param {number | null | undefined} r */
const pct = (r) => (r === null || r === undefined ? '—' : `${(r * 100).toFixed(1).replace('.', ',')}%`);

// A count is null only when suppressed for a statistics client (never for the officers this view
// is for); shown as a dash all the same rather than as "null".
/** @param {number | null | undefined} n */
const count = (n) => (n === null || n === undefined ? '—' : n);

/** @param {CaseCells} c */
function caseFacts(c) {
  /** @type {Array<[import('../i18n.js').Key, string | number]>} */
  const rows = [
    ['st_received', `${count(c.received)} (${t('st_new')} ${count(c.new)}, ${t('st_carried')} ${count(c.carried_over)})`],
    ['st_successful', count(c.successful)],
    ['st_unsuccessful', count(c.unsuccessful)],
    ['st_in_progress', count(c.in_progress_at_end)],
    ['st_out_of_scope', count(c.out_of_scope)],
    ['st_rate_concluded', pct(c.success_rate_of_concluded)],
    ['st_rate_received', pct(c.success_rate_of_received)],
  ];
  return h('dl', { class: 'facts' }, rows.map(([k, v]) => [h('dt', null, t(k)), h('dd', null, String(v))]));
}

/** @param {import('../app.js').App} app */
export default async function overview(app) {
  app.setTitle(t('overview'));
  if (!['officer', 'admin', 'viewer'].includes(app.me?.role || '')) return h('p', { class: 'note' }, t('role_no_phone'));
  const y = new Date().getFullYear();
  const period = /** @type {HTMLSelectElement} */ (
    h(
      'select',
      { id: 'ov-period' },
      [
        [String(y), `${t('year')} ${y}`],
        [`${y}-H1`, t('st_first_half', { y })],
        [String(y - 1), `${t('year')} ${y - 1}`],
      ].map(([v, l]) => h('option', { value: v }, l)),
    )
  );
  const out = h('div', { 'aria-live': 'polite' });
  async function load() {
    mount(out, h('p', { class: 'loading' }, t('loading')));
    try {
      /** @type {Indicators} */
      const ind = await app.api.get(`/api/v1/stats/indicators?period=${encodeURIComponent(period.value)}&by=unit`);
      const f = ind.figures;
      mount(
        out,
        h('h2', null, ind.unit_name || t('overview')),
        h('p', { class: 'muted' }, `${fmtDate(ind.period.from)} – ${fmtDate(ind.period.to)}`),
        ind.overdue_assignments ? h('p', { class: 'error' }, t('st_overdue_now', { n: ind.overdue_assignments })) : null,
        h('section', { class: 'block' }, h('h3', null, t('st_cases')), caseFacts(f.cases)),
        h(
          'section',
          { class: 'block' },
          h('h3', null, t('st_teams_mediators')),
          h(
            'dl',
            { class: 'facts' },
            h('dt', null, t('st_teams')),
            h('dd', null, String(f.teams)),
            h('dt', null, t('nav_mediators')),
            h('dd', null, `${f.mediators.total} (${t('st_women')} ${f.mediators.women}, ${t('st_ethnic')} ${f.mediators.ethnic_minority}, ${t('st_trained')} ${f.mediators.with_legal_training}, ${t('st_trained_year')} ${f.mediators.trained_this_year})`),
          ),
        ),
        ind.breakdown.length
          ? h(
              'section',
              { class: 'block' },
              h('h3', null, t('st_by_unit')),
              h('ul', { class: 'list' }, ind.breakdown.map((b) => h('li', { class: 'card' }, h('span', { class: 't' }, b.label), h('span', { class: 's' }, `${t('st_received')}: ${b.cases.received} · ${t('st_successful')}: ${b.cases.successful} · ${t('st_unsuccessful')}: ${b.cases.unsuccessful} · ${t('st_in_progress')}: ${b.cases.in_progress_at_end}`)))),
            )
          : null,
      );
    } catch (e) {
      mount(out, h('p', { class: 'warn' }, e instanceof NetworkError ? t('error_network') : e.status === 404 ? t('overview_later') : e.problem?.title || t('error_generic')));
    }
  }
  period.addEventListener('change', load);
  load();
  return h('div', null, h('div', { class: 'field' }, h('label', { for: 'ov-period' }, t('st_period')), period), out);
}
