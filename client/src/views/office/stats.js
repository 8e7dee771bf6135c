// Statistics for the office, as the statistics API gives them: received and concluded by month,
// both success rates against the plan's 90–95 % band (and the commune's own target), the rate by
// team, and the mediation indicators of the access-to-law standard. Nothing is computed here but
// "concluded" = successful + unsuccessful, which the table shows beside it.
import { h } from '../../dom.js';
import { getLang, t } from '../../i18n.js';
import { columns, rateBars } from './chart.js';
import { labelled, loadInto, ot, pct, table, unitId, yearSelect } from './common.js';

/** @typedef {import('../../api-types').components['schemas']['Indicators']} Indicators */
/** @typedef {import('../../api-types').components['schemas']['AccessAssessment']} AccessAssessment */

/** @param {number | null | undefined} n */
const n0 = (n) => n ?? 0;

/** @param {import('../../app.js').App} app */
export default async function stats(app) {
  app.setTitle(ot('stats_title'));
  const year = yearSelect('st-year');
  const out = h('div', { 'aria-live': 'polite' });
  const load = () =>
    loadInto(out, async () => {
      const y = year.value;
      const unit = unitId(app);
      const [months, teams, targets, access] = await Promise.all([
        /** @type {Promise<Indicators>} */ (app.api.get(`/api/v1/stats/indicators?period=${y}&by=month`)),
        /** @type {Promise<Indicators>} */ (app.api.get(`/api/v1/stats/indicators?period=${y}&by=unit&level=village`)),
        unit ? app.api.get(`/api/v1/review/plan-targets/${unit}/${y}`).catch(() => null) : null,
        /** @type {Promise<AccessAssessment | null>} */ (app.api.get(`/api/v1/stats/access-to-law?year=${y}`).catch(() => null)),
      ]);
      const lines = months.breakdown;
      const monthNo = (/** @type {string} */ key) => String(Number(key.slice(-2)) || key);
      const received = lines.map((l) => n0(l.cases.received));
      const concluded = lines.map((l) => n0(l.cases.successful) + n0(l.cases.unsuccessful));
      const c = months.figures.cases;
      const own = targets && !targets.is_default ? targets.success_rate_pct / 100 : null;
      return [
        h('h2', null, `${months.unit_name || ''} — ${ot('year')} ${y}`),
        h(
          'div',
          null,
          h(
            'figure',
            { class: 'block' },
            h('figcaption', null, ot('by_month')),
            columns(`${ot('by_month')}: ${lines.map((l, i) => `${monthNo(l.key)}: ${received[i]}/${concluded[i]}`).join(', ')}`, lines.map((l) => monthNo(l.key)), [
              { name: ot('received'), values: received, cls: 's1' },
              { name: ot('concluded'), values: concluded, cls: 's2' },
            ]),
            h('p', { class: 'legend' }, h('span', null, h('span', { class: 'key s1' }), ot('received')), h('span', null, h('span', { class: 'key s2' }), ot('concluded'))),
            h('details', null, h('summary', null, ot('table')), table(
              ot('by_month'),
              ['', ot('received'), ot('concluded'), t('st_successful'), t('st_unsuccessful')],
              lines.map((l, i) => [ot('chart_month', { m: monthNo(l.key) }), received[i], concluded[i], n0(l.cases.successful), n0(l.cases.unsuccessful)]),
              { numeric: [1, 2, 3, 4] },
            )),
          ),
        ),
        h(
          'div',
          { class: 'wide-grid' },
          h(
            'figure',
            { class: 'block' },
            h('figcaption', null, ot('rates')),
            rateBars(
              `${ot('rates')}: ${ot('rate_concluded')} ${pct(c.success_rate_of_concluded)}, ${ot('rate_received')} ${pct(c.success_rate_of_received)}`,
              [
                { name: ot('rate_concluded'), value: c.success_rate_of_concluded ?? null, note: ot('no_concluded') },
                { name: ot('rate_received'), value: c.success_rate_of_received ?? null, note: ot('no_concluded') },
              ],
              { band: [0.9, 0.95], target: own },
            ),
            h('p', { class: 'legend' }, h('span', null, h('span', { class: 'key band' }), ot('target_band')), own !== null ? h('span', null, ot('commune_target', { p: Math.round(own * 100) })) : null),
            h(
              'dl',
              { class: 'facts', id: 'st-rates' },
              h('dt', null, t('st_rate_concluded')),
              h('dd', null, pct(c.success_rate_of_concluded)),
              h('dt', null, t('st_rate_received')),
              h('dd', null, pct(c.success_rate_of_received)),
            ),
          ),
          h(
            'figure',
            { class: 'block' },
            h('figcaption', null, ot('by_team')),
            teams.breakdown.length
              ? rateBars(
                  `${ot('by_team')}: ${teams.breakdown.map((b) => `${b.label} ${pct(b.cases.success_rate_of_concluded)}`).join(', ')}`,
                  teams.breakdown.map((b) => ({ name: b.label, value: b.cases.success_rate_of_concluded ?? null, note: ot('no_concluded') })),
                  { band: [0.9, 0.95], target: own },
                )
              : h('p', { class: 'muted' }, ot('none')),
            teams.breakdown.length
              ? table(
                  ot('by_team'),
                  [ot('village'), ot('received'), t('st_successful'), t('st_unsuccessful'), ot('rate_concluded')],
                  teams.breakdown.map((b) => [b.label, n0(b.cases.received), n0(b.cases.successful), n0(b.cases.unsuccessful), pct(b.cases.success_rate_of_concluded)]),
                  { numeric: [1, 2, 3, 4] },
                )
              : null,
          ),
          access ? accessSection(access) : null,
        ),
      ];
    });
  year.addEventListener('change', load);
  load();
  return h('div', null, labelled('st-year', ot('year'), year), out);
}

/** A share as the standard states it: 0..1, or already in per cent. @param {number | null | undefined} v */
const share = (v) => (v === null || v === undefined ? '—' : v <= 1 ? pct(v) : `${v}%`);

/** @param {AccessAssessment} a */
function accessSection(a) {
  return h(
    'section',
    { class: 'block', id: 'access' },
    h('h3', null, ot('access')),
    h('p', { class: 'muted' }, `${a.standard_name} — ${a.legal_basis}`),
    table(
      ot('access'),
      [ot('indicator'), ot('value'), ot('threshold'), ot('result'), ot('points')],
      a.indicators.map((i) => [
        getLang() === 'en' ? i.en : i.vi,
        share(i.value),
        share(i.threshold),
        i.met === null || i.met === undefined ? '—' : i.met ? ot('met') : ot('not_met'),
        i.points ?? '—',
      ]),
      { numeric: [1, 2, 4] },
    ),
    a.passed === null || a.passed === undefined ? null : h('p', { class: a.passed ? 'note' : 'warn' }, `${a.passed ? ot('passed') : ot('not_passed')}${a.points !== null && a.points !== undefined ? ` · ${ot('points')}: ${a.points}` : ''}`),
    a.note ? h('p', { class: 'muted' }, a.note) : null,
  );
}
