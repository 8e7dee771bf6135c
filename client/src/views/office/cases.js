// The commune's cases for the office: every team's, filtered by team, status, category and year,
// searched on the server, opened to correct (PATCH with If-Match) or move to a successor team.
import { h, mount } from '../../dom.js';
import { options, t } from '../../i18n.js';
import { caseCard } from '../cases.js';
import { labelled, loadInto, ot, select, teams } from './common.js';

/** @typedef {import('../../types.js').Case} Case */

/** Kept while the app runs, so coming back from a case finds the same list. */
const state = { team: '', status: '', category: '', year: String(new Date().getFullYear()), q: '' };

/** @param {typeof state} s @param {string} [cursor] */
export function casesQuery(s, cursor) {
  const q = new URLSearchParams({ limit: '50', with_total: 'true' });
  if (s.team) q.set('team_id', s.team);
  if (s.status === 'open') q.set('open', 'true');
  else if (s.status === 'overdue') q.set('overdue', 'true');
  else if (s.status) q.set('status', s.status);
  if (s.category) q.set('category', s.category);
  if (s.year) {
    q.set('received_from', `${s.year}-01-01`);
    q.set('received_to', `${s.year}-12-31`);
  }
  if (s.q.trim()) q.set('q', s.q.trim());
  if (cursor) q.set('cursor', cursor);
  return `/api/v1/cases?${q}`;
}

/** @param {import('../../app.js').App} app */
export default async function officeCases(app) {
  app.setTitle(t('commune_cases'));
  const ts = await teams(app);
  const y = new Date().getFullYear();
  const teamSel = select('oc-team', [['', ot('all')], ...ts.map((x) => /** @type {[string, string]} */ ([x.id, x.dissolved_on ? `${x.name} (${ot('dissolved_on').toLowerCase()} ${x.dissolved_on.slice(0, 4)})` : x.name]))], state.team);
  const statusSel = select('oc-status', [['', ot('all')], ['open', t('filter_open')], ['overdue', t('overdue')], ...options('case_status').map((o) => /** @type {[string, string]} */ ([o.code, o.label]))], state.status);
  const catSel = select('oc-category', [['', ot('all')], ...options('category').map((o) => /** @type {[string, string]} */ ([o.code, o.label]))], state.category);
  const yearSel = select('oc-year', [['', ot('all')], ...Array.from({ length: 6 }, (_, d) => /** @type {[string, string]} */ ([String(y - d), String(y - d)]))], state.year);
  const search = /** @type {HTMLInputElement} */ (h('input', { type: 'search', id: 'oc-q', value: state.q, autocomplete: 'off', enterkeyhint: 'search' }));
  const out = h('div', { 'aria-live': 'polite' });

  async function load() {
    state.team = teamSel.value;
    state.status = statusSel.value;
    state.category = catSel.value;
    state.year = yearSel.value;
    state.q = search.value;
    await loadInto(out, async () => {
      const page = await app.api.get(casesQuery(state));
      /** @type {Case[]} */
      const items = page.items || [];
      const list = h('ul', { class: 'list grid' }, items.map((c) => caseCard(c)));
      let cursor = page.next_cursor;
      const more = /** @type {HTMLButtonElement} */ (
        h('button', {
          type: 'button',
          class: 'wide',
          hidden: !cursor,
          onclick: async () => {
            const next = await app.api.get(casesQuery(state, cursor));
            for (const c of next.items || []) list.appendChild(caseCard(c));
            cursor = next.next_cursor;
            more.hidden = !cursor;
          },
        }, ot('load_more'))
      );
      return [
        h('p', { class: 'muted', id: 'oc-count' }, ot('found_n', { n: page.total ?? items.length })),
        items.length ? list : h('p', { class: 'muted' }, t('no_cases')),
        more,
      ];
    });
  }
  for (const el of [teamSel, statusSel, catSel, yearSel]) el.addEventListener('change', load);
  let timer = 0;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = window.setTimeout(load, 350);
  });
  load();
  return h(
    'div',
    null,
    h(
      'div',
      { class: 'filter-grid' },
      labelled('oc-q', ot('search'), search),
      labelled('oc-team', ot('team'), teamSel),
      labelled('oc-status', ot('status'), statusSel),
      labelled('oc-category', ot('category'), catSel),
      labelled('oc-year', ot('year'), yearSel),
    ),
    out,
  );
}
