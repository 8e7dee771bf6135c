// The year-end review for the office: the plan's indicators against their targets, the team
// ratings (the officer rates a team on the scheme's judged criteria; the computed ones come from
// the cases), the awards, and the printable year-end report and team activity pages.
import { field, formValues, h } from '../../dom.js';
import { fmtDate, getLang, label, options } from '../../i18n.js';
import { canManage, dong, downloadButton, pct, labelled, loadInto, ot, readOnlyNote, select, showError, table, teams, unitId, write, yearSelect } from './common.js';

/** @typedef {import('../../api-types').components['schemas']} S */

/** A plan figure in its unit (`count`, `rate` 0..1, `dong`). @param {number | null | undefined} v @param {string} unit */
export const val = (v, unit) => (v === null || v === undefined ? '—' : unit === 'rate' ? pct(v) : unit === 'dong' ? dong(v) : String(v));

/** @param {import('../../app.js').App} app */
export default async function review(app) {
  app.setTitle(ot('review_title'));
  const year = yearSelect('rv-year');
  const out = h('div', { 'aria-live': 'polite' });
  const ts = await teams(app);
  const load = () =>
    loadInto(out, async () => {
      const y = Number(year.value);
      const unit = unitId(app);
      const q = `year=${y}${unit ? `&unit_id=${unit}` : ''}`;
      /** @type {[S['YearEndReport'], S['TeamRatingDto'][], S['AwardDto'][], {items: S['RatingSchemeDto'][]} | S['RatingSchemeDto'][]]} */
      const [report, ratings, awards, schemes] = await Promise.all([
        app.api.get(`/api/v1/review/year-end?${q}`),
        app.api.get(`/api/v1/review/team-ratings?${q}`),
        app.api.get(`/api/v1/review/awards?${q}`),
        app.api.get('/api/v1/review/rating-schemes').catch(() => []),
      ]);
      const schemeList = Array.isArray(schemes) ? schemes : schemes.items || [];
      return [
        h(
          'section',
          { class: 'block', id: 'year-end' },
          h('h2', null, `${ot('year_end')} ${report.year} — ${report.unit_name}`),
          h(
            'div',
            { class: 'actions row' },
            downloadButton(app, `${ot('year_end')}: ${ot('print_html')}`, `/api/v1/review/year-end?${q}&format=html`, `bao-cao-tong-ket-${y}.html`),
            downloadButton(app, `${ot('team_activity')}`, `/api/v1/review/team-activity?${q}&format=html`, `hoat-dong-to-hoa-giai-${y}.html`),
          ),
          table(
            ot('year_end'),
            [ot('indicator'), ot('target'), ot('result'), ''],
            report.plan.map((p) => [p.label, val(p.target, p.unit), val(p.value, p.unit), p.met === null || p.met === undefined ? '' : h('span', { class: `badge ${p.met ? 'st-successful' : 'bad'}` }, p.met ? ot('met') : ot('not_met'))]),
            { numeric: [1, 2] },
          ),
          report.teams_not_compliant.length
            ? h('ul', { class: 'warnings' }, report.teams_not_compliant.map((x) => h('li', { class: 'warn' }, `${x.team_name}: ${x.warnings.map((w) => (getLang() === 'en' ? w.message_en : w.message_vi)).join('; ')}`)))
            : null,
        ),
        h(
          'section',
          { class: 'block' },
          h('h2', null, ot('ratings')),
          ratings.length
            ? h(
                'ul',
                { class: 'list grid' },
                ratings.map((r) =>
                  h(
                    'li',
                    { class: 'card' },
                    h('span', { class: 't' }, r.team_name),
                    h('span', { class: 'badges' }, h('span', { class: `badge ${r.rating === 'achieved' ? 'st-successful' : 'bad'}` }, label('rating', r.rating))),
                    h('ul', null, r.results.map((c) => h('li', null, `${c.met ? '✓' : '✗'} ${c.vi}${c.computed ? ` (${ot('computed')})` : ''}`))),
                  ),
                ),
              )
            : h('p', { class: 'muted' }, ot('none')),
          canManage(app) && schemeList.length ? rateForm(app, ts, schemeList[0], y, ratings) : null,
        ),
        h(
          'section',
          { class: 'block' },
          h('h2', null, ot('awards')),
          awards.length
            ? table(ot('awards'), [ot('recipient_team'), ot('award_title'), ot('level'), ot('reason'), ot('decision_no')], awards.map((a) => [a.recipient_name, a.title, label('award_level', a.level), a.reason, [a.decision_no, a.decision_date ? fmtDate(a.decision_date) : '', a.amount ? dong(a.amount) : ''].filter(Boolean).join(' · ')]))
            : h('p', { class: 'muted' }, ot('none')),
          canManage(app) ? awardForm(app, ts, y) : null,
        ),
      ];
    });
  year.addEventListener('change', load);
  load();
  return h('div', null, readOnlyNote(app), labelled('rv-year', ot('year'), year), out);
}

/**
 * @param {import('../../app.js').App} app @param {import('../../types.js').Team[]} ts @param {S['RatingSchemeDto']} scheme @param {number} y @param {S['TeamRatingDto'][]} done
 */
function rateForm(app, ts, scheme, y, done) {
  const rated = new Set(done.map((r) => r.team_id));
  const open = ts.filter((x) => !x.dissolved_on && !rated.has(x.id));
  if (!open.length) return null;
  const judged = scheme.criteria.filter((c) => c.kind === 'judgement');
  const err = h('div');
  const form = /** @type {HTMLFormElement} */ (
    h(
      'form',
      { class: 'panel', novalidate: true },
      h('p', { class: 'muted' }, scheme.name),
      labelled('rt-team', ot('team'), select('rt-team', open.map((x) => /** @type {[string, string]} */ ([x.id, x.name])), undefined, 'team_id')),
      h(
        'fieldset',
        { class: 'checks' },
        h('legend', null, ot('met')),
        judged.map((c) => h('div', { class: 'check' }, h('input', { type: 'checkbox', name: `c_${c.code}`, id: `rt-${c.code}` }), h('label', { for: `rt-${c.code}` }, getLang() === 'en' ? c.en : c.vi))),
      ),
      field({ label: ot('note'), name: 'notes' }),
      err,
      h('button', { type: 'submit', class: 'primary' }, ot('rate_team')),
    )
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const v = formValues(form);
    try {
      await write(app, 'POST', '/api/v1/review/team-ratings', {
        team_id: v.team_id,
        year: y,
        scheme_code: scheme.code,
        judgements: judged.map((c) => ({ code: c.code, met: !!v[`c_${c.code}`] })),
        notes: v.notes.trim() || null,
      });
      app.toast(ot('saved'));
      app.refresh();
    } catch (e) {
      showError(err, e);
    }
  });
  return h('details', { class: 'add' }, h('summary', null, '+ ' + ot('rate_team')), form);
}

/** @param {import('../../app.js').App} app @param {import('../../types.js').Team[]} ts @param {number} y */
function awardForm(app, ts, y) {
  const err = h('div');
  const form = /** @type {HTMLFormElement} */ (
    h(
      'form',
      { class: 'panel', novalidate: true },
      labelled('aw-team', ot('recipient_team'), select('aw-team', ts.filter((x) => !x.dissolved_on).map((x) => /** @type {[string, string]} */ ([x.id, x.name])), undefined, 'team_id')),
      field({ label: ot('award_title'), name: 'title', required: true }),
      labelled('aw-level', ot('level'), select('aw-level', options('award_level').map((o) => /** @type {[string, string]} */ ([o.code, o.label])), 'commune', 'level')),
      field({ label: ot('reason'), name: 'reason', required: true }),
      field({ label: ot('decision_no'), name: 'decision_no' }),
      field({ label: ot('amount'), name: 'amount', type: 'number', inputmode: 'numeric', min: 0 }),
      err,
      h('button', { type: 'submit', class: 'primary' }, ot('add_award')),
    )
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const v = formValues(form);
    if (!v.title.trim() || !v.reason.trim()) return showError(err, ot('required'));
    try {
      await write(app, 'POST', '/api/v1/review/awards', {
        year: y,
        team_id: v.team_id,
        title: v.title.trim(),
        level: v.level,
        reason: v.reason.trim(),
        decision_no: v.decision_no.trim() || null,
        amount: v.amount ? Number(v.amount) : null,
      });
      app.toast(ot('saved'));
      app.refresh();
    } catch (e) {
      showError(err, e);
    }
  });
  return h('details', { class: 'add' }, h('summary', null, '+ ' + ot('add_award')), form);
}
