// The team's mediators and their training.
import { h } from '../dom.js';
import { label, t } from '../i18n.js';
import { filterItems } from '../search.js';
import { teamMediators } from '../mediators.js';

/** @param {import('../app.js').App} app */
export default async function mediators(app) {
  app.setTitle(t('team_mediators'));
  const items = await teamMediators(app);
  const list = h('ul', { class: 'list' });
  const search = /** @type {HTMLInputElement} */ (h('input', { type: 'search', id: 'med-search', autocomplete: 'off' }));
  const draw = () => {
    const found = filterItems(items, search.value, (m) => `${m.full_name} ${m.phone || ''}`);
    list.replaceChildren(
      ...found.map((m) =>
        h(
          'li',
          { class: 'card' },
          h('span', { class: 't' }, m.full_name),
          h('span', { class: 's' }, [label('sex', m.sex), m.birth_year, m.current_role === 'leader' ? t('leader') : null].filter(Boolean).join(' · ')),
          h('span', { class: 's' }, `${t('legal_training')}: ${label('legal_training', m.legal_training)}`),
          m.trainings?.length ? h('span', { class: 's' }, `${t('trainings')}: ${m.trainings.map((x) => x.title || x.held_on || x.date).join('; ')}`) : null,
          m.phone ? h('a', { href: `tel:${m.phone}` }, m.phone) : null,
        ),
      ),
    );
    if (!found.length) list.appendChild(h('li', { class: 'muted' }, items.length ? t('no_match') : t('none_yet')));
  };
  search.addEventListener('input', draw);
  draw();
  return h('div', null, h('div', { class: 'field' }, h('label', { for: 'med-search' }, t('search_mediators')), search), list);
}
