// The list: my team's cases (leader) or the cases assigned to me (mediator). Open ones first,
// overdue marked, a status filter, and a search that ignores diacritics. Cases made on the phone
// and not yet sent are shown with "Đang chờ gửi", drafts with "Bản nháp".
import { NetworkError } from '../api.js';
import { isOpen, isOverdue } from '../data.js';
import { h, mount } from '../dom.js';
import { fmtDate, label, options, t } from '../i18n.js';
import { filterItems } from '../search.js';

/** @typedef {import('../types.js').Case} Case */

const state = { filter: 'open', q: '' };

/** @param {Case} c */
export function caseText(c) {
  return [c.summary, c.notes, ...(c.party_names || []), ...(c.parties || []).map((p) => `${p.full_name || ''} ${p.address || ''}`), c.logbook_line].join(' ');
}

/** @param {Case} c @param {{pending?: boolean, draftId?: string}} [o] */
export function caseCard(c, o = {}) {
  const names = (c.party_names || (c.parties || []).map((p) => p.full_name)).filter(Boolean).join(' – ');
  const overdue = !o.pending && !o.draftId && isOverdue(c);
  const href = o.draftId ? `#/cases/new/${o.draftId}` : `#/cases/${c.id}`;
  return h(
    'li',
    null,
    h(
      'a',
      { class: `card${overdue ? ' overdue' : ''}${o.pending ? ' pending' : ''}`, href },
      h('span', { class: 't' }, names || c.summary || t('new_case')),
      c.summary && names ? h('span', { class: 's' }, c.summary.length > 90 ? c.summary.slice(0, 88) + '…' : c.summary) : null,
      h('span', { class: 's' }, [c.logbook_line ? `#${c.logbook_line} · ` : '', c.received_on ? t('received_on_short', { d: fmtDate(c.received_on) }) : '', c.category ? ` · ${label('category', c.category)}` : '']),
      h(
        'span',
        { class: 'badges' },
        o.draftId ? h('span', { class: 'badge draft' }, t('draft')) : null,
        o.pending ? h('span', { class: 'badge wait' }, t('waiting_to_send')) : null,
        !o.draftId && c.status ? h('span', { class: `badge st-${c.status}` }, label('case_status', c.status)) : null,
        !o.draftId && !o.pending && !c.status ? h('span', { class: 'badge st-received' }, label('case_status', 'received')) : null,
        overdue ? h('span', { class: 'badge overdue' }, '⚠ ' + t('overdue')) : null,
      ),
    ),
  );
}

/** @param {Case[]} items */
function sortCases(items) {
  return items.slice().sort((a, b) => {
    const oa = isOpen(a) ? 0 : 1;
    const ob = isOpen(b) ? 0 : 1;
    if (oa !== ob) return oa - ob;
    const da = isOverdue(a) ? 0 : 1;
    const db = isOverdue(b) ? 0 : 1;
    if (da !== db) return da - db;
    return String(b.received_on || '').localeCompare(String(a.received_on || '')) || String(b.id).localeCompare(String(a.id));
  });
}

/** @param {import('../app.js').App} app @param {string[]} _params @param {HTMLElement} main */
export default async function cases(app, _params, main) {
  const me = app.me;
  const leader = me.role === 'team_leader';
  app.setTitle(leader ? t('my_team_cases') : t('my_cases'));
  mount(main, h('p', { class: 'loading' }, t('loading')));

  /** @type {import('../types.js').Team | null} */
  let team = null;
  /** @type {{items: Case[], next_cursor?: string | null, cached: boolean}} */
  let page = { items: [], cached: true };
  let problem = '';
  try {
    if (leader) team = await app.data.team();
    const q = leader ? { team_id: team?.id } : { mediator_id: me.mediator_id || undefined };
    if (leader && !team) problem = t('no_team');
    else page = await app.data.cases(q);
  } catch (e) {
    problem = e instanceof NetworkError ? t('error_network') : e.status === 404 ? t('not_available_yet') : e.problem?.title || t('error_generic');
    page = { items: await app.db.all('cases'), cached: true };
  }
  const ops = await app.outbox.list();
  const pendingCreates = ops.filter((o) => o.kind === 'create_case').map((o) => /** @type {Case} */ (o.body));
  const pendingIds = new Set(ops.map((o) => o.caseId).filter(Boolean));
  const drafts = leader ? await app.db.all('drafts') : [];
  const known = new Set(page.items.map((c) => c.id));
  const all = sortCases([...pendingCreates.filter((c) => !known.has(c.id)), ...page.items]);

  const listEl = h('ul', { class: 'list', 'aria-live': 'polite' });
  const filters = [
    ['open', t('filter_open')],
    ...options('case_status').map((o) => [o.code, o.label]),
    ['all', t('filter_all')],
  ];
  const filterBar = h(
    'div',
    { class: 'filters', role: 'group', 'aria-label': t('status') },
    filters.map(([code, text]) =>
      h(
        'button',
        {
          type: 'button',
          'aria-pressed': state.filter === code ? 'true' : 'false',
          onclick: (/** @type {Event} */ ev) => {
            state.filter = code;
            for (const b of Array.from(filterBar.children)) b.setAttribute('aria-pressed', b === ev.currentTarget ? 'true' : 'false');
            draw();
          },
        },
        text,
      ),
    ),
  );
  const search = /** @type {HTMLInputElement} */ (
    h('input', { type: 'search', id: 'case-search', value: state.q, autocomplete: 'off', enterkeyhint: 'search' })
  );
  // `input` fires with what the keyboard committed; Telex/VNI composition is left alone.
  search.addEventListener('input', () => {
    state.q = search.value;
    draw();
  });

  function draw() {
    let items = all;
    if (state.filter === 'open') items = items.filter((c) => isOpen(c));
    else if (state.filter !== 'all') items = items.filter((c) => (c.status || 'received') === state.filter);
    items = filterItems(items, state.q, caseText);
    const ds = filterItems(drafts, state.q, (d) => caseText(d.body));
    mount(
      listEl,
      ds.map((d) => caseCard(d.body, { draftId: d.id })),
      items.map((c) => caseCard(c, { pending: pendingIds.has(c.id) })),
    );
    if (!items.length && !ds.length) listEl.appendChild(h('li', { class: 'muted' }, state.q ? t('no_match') : t('no_cases')));
  }
  draw();

  const more = page.next_cursor
    ? h('button', {
        type: 'button',
        class: 'wide',
        onclick: async () => {
          const next = await app.data.cases({ team_id: team?.id, mediator_id: leader ? undefined : me.mediator_id, cursor: page.next_cursor });
          all.push(...next.items);
          page.next_cursor = next.next_cursor;
          if (!next.next_cursor) more.hidden = true;
          draw();
        },
      }, t('load_more'))
    : null;

  return h(
    'div',
    null,
    team ? h('p', { class: 'muted' }, team.name) : null,
    problem ? h('p', { class: 'warn', role: 'status' }, problem) : null,
    page.cached && !problem ? h('p', { class: 'note' }, t('cached_note')) : null,
    leader && team ? h('div', { class: 'actions' }, h('a', { class: 'button primary', href: '#/cases/new' }, '+ ' + t('nav_new'))) : null,
    h('div', { class: 'field' }, h('label', { for: 'case-search' }, t('search_cases')), search),
    filterBar,
    listEl,
    more,
  );
}

