// Trainings for the office: the year's coverage against the plan's 100 % (who is not trained yet),
// each training with its attendance, and the officer's form to record one.
import { field, formValues, h } from '../../dom.js';
import { fmtDate, label, options, today } from '../../i18n.js';
import { bar } from './chart.js';
import { canManage, labelled, loadInto, ot, pct, readOnlyNote, select, showError, write, yearSelect } from './common.js';

/** @typedef {import('../../api-types').components['schemas']['Coverage']} Coverage */
/** @typedef {import('../../api-types').components['schemas']['TrainingDto']} Training */

/** @param {import('../../app.js').App} app */
export default async function trainings(app) {
  app.setTitle(ot('trainings_title'));
  const year = yearSelect('tr-year');
  const out = h('div', { 'aria-live': 'polite' });
  const load = () =>
    loadInto(out, async () => {
      const y = year.value;
      /** @type {[Coverage, {items: Training[]}]} */
      const [cov, page] = await Promise.all([app.api.get(`/api/v1/trainings/coverage?year=${y}`), app.api.get(`/api/v1/trainings?year=${y}&limit=100`)]);
      const rate = cov.trained_rate ?? (cov.active_mediators ? cov.trained / cov.active_mediators : null);
      return [
        h(
          'section',
          { class: 'block' },
          h('h2', null, ot('coverage')),
          h('p', { id: 'tr-coverage' }, ot('coverage_text', { trained: cov.trained, total: cov.active_mediators, pct: pct(rate) })),
          bar(ot('coverage'), rate ?? 0, 1, { band: [1, 1] }),
          cov.untrained.length
            ? h('details', null, h('summary', null, `${ot('untrained')} (${cov.untrained.length})`), h('ul', null, cov.untrained.map((m) => h('li', null, `${m.full_name} — ${m.team_name}`))))
            : null,
        ),
        h(
          'section',
          { class: 'block' },
          h('h2', null, ot('trainings_title')),
          page.items.length
            ? h(
                'ul',
                { class: 'list grid' },
                page.items.map((x) =>
                  h(
                    'li',
                    { class: 'card' },
                    h('span', { class: 't' }, x.title),
                    h('span', { class: 's' }, [fmtDate(x.held_on), x.organiser, label('training_level', x.level), x.place].filter(Boolean).join(' · ')),
                    h('span', { class: 's' }, `${ot('present')}: ${x.present_count}/${x.attendance.length}`),
                    x.attendance.length ? h('details', null, h('summary', null, ot('attendance')), h('ul', null, x.attendance.map((a) => h('li', null, `${a.present ? '✓' : '✗'} ${a.full_name}`)))) : null,
                  ),
                ),
              )
            : h('p', { class: 'muted' }, ot('none')),
        ),
      ];
    });
  year.addEventListener('change', load);
  load();
  return h('div', null, readOnlyNote(app), labelled('tr-year', ot('year'), year), canManage(app) ? await addForm(app) : null, out);
}

/** @param {import('../../app.js').App} app */
async function addForm(app) {
  const page = await app.api.get(`/api/v1/mediators?limit=100${app.me?.unit_id ? `&within=${app.me.unit_id}` : ''}`).catch(() => ({ items: [] }));
  /** @type {import('../../types.js').Mediator[]} */
  const ms = (page.items || []).filter((m) => m.current_team_id);
  const err = h('div');
  const form = /** @type {HTMLFormElement} */ (
    h(
      'form',
      { class: 'panel', novalidate: true },
      field({ label: ot('title'), name: 'title', required: true }),
      field({ label: ot('held_on'), name: 'held_on', type: 'date', value: today(), max: today(), required: true }),
      field({ label: ot('organiser'), name: 'organiser', required: true }),
      labelled('tr-level', ot('level'), select('tr-level', options('training_level').map((o) => /** @type {[string, string]} */ ([o.code, o.label])), 'commune', 'level')),
      field({ label: ot('place'), name: 'place' }),
      h(
        'fieldset',
        { class: 'checks' },
        h('legend', null, ot('attendance')),
        ms.map((m) => h('div', { class: 'check' }, h('input', { type: 'checkbox', name: `m_${m.id}`, id: `att-${m.id}` }), h('label', { for: `att-${m.id}` }, m.full_name))),
      ),
      err,
      h('button', { type: 'submit', class: 'primary' }, ot('add_training')),
    )
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const v = formValues(form);
    if (!v.title.trim() || !v.organiser.trim() || !v.held_on) return showError(err, ot('required'));
    try {
      await write(app, 'POST', '/api/v1/trainings', {
        title: v.title.trim(),
        held_on: v.held_on,
        organiser: v.organiser.trim(),
        level: v.level,
        place: v.place.trim() || null,
        attendance: ms.map((m) => ({ mediator_id: m.id, present: !!v[`m_${m.id}`] })).filter((a) => a.present),
      });
      app.toast(ot('saved'));
      app.refresh();
    } catch (e) {
      showError(err, e);
    }
  });
  return h('details', { class: 'add' }, h('summary', null, '+ ' + ot('add_training')), form);
}
