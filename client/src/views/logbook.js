// The team's log book for a year, in the official ten columns, printable from the phone; and the
// server's own files (printable HTML, CSV, Excel).
import { NetworkError } from '../api.js';
import { h, mount } from '../dom.js';
import { fmtDate, t, tList } from '../i18n.js';

/** @param {import('../app.js').App} app @param {string} path @param {string} filename */
export async function download(app, path, filename) {
  try {
    const res = await app.api.request('GET', path, { raw: true, headers: { Accept: '*/*' } });
    if (!res.ok || !res.raw) {
      app.toast(res.problem?.title || (res.status === 404 ? t('not_available_yet') : t('error_generic')), 'error');
      return;
    }
    const url = URL.createObjectURL(await res.raw.blob());
    const a = h('a', { href: url, download: filename });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch (e) {
    app.toast(e instanceof NetworkError ? t('error_network') : t('error_generic'), 'error');
  }
}

/** @param {import('../app.js').App} app */
export default async function logbook(app) {
  app.setTitle(t('nav_logbook'));
  // The office chooses the team (every team of the commune); a leader has their own.
  const office = ['officer', 'admin', 'viewer'].includes(app.me?.role || '');
  /** @type {import('../types.js').Team[]} */
  const all = office ? (await app.api.get('/api/v1/teams?limit=100')).items || [] : [];
  const picker = office
    ? /** @type {HTMLSelectElement} */ (h('select', { id: 'lb-team' }, all.map((x) => h('option', { value: x.id }, x.dissolved_on ? `${x.name} (${fmtDate(x.dissolved_on)})` : x.name))))
    : null;
  const own = office ? null : await app.data.team().catch(() => app.data.meta('team'));
  if (!office && !own) return h('p', { class: 'warn' }, t('no_team'));
  if (office && !all.length) return h('p', { class: 'warn' }, t('no_match'));
  const team = { get id() { return picker ? picker.value : own.id; }, get name() { return picker ? all.find((x) => x.id === picker.value)?.name || '' : own.name; } };
  const thisYear = new Date().getFullYear();
  const year = /** @type {HTMLSelectElement} */ (h('select', { id: 'lb-year' }, [0, 1, 2, 3, 4].map((d) => h('option', { value: thisYear - d }, String(thisYear - d)))));
  const out = h('div', { class: 'scroll-x', tabindex: 0, role: 'region', 'aria-label': t('logbook') });
  const base = () => `/api/v1/teams/${encodeURIComponent(team.id)}/logbook?year=${year.value}`;

  async function show() {
    mount(out, h('p', { class: 'loading' }, t('loading')));
    try {
      const book = await app.api.get(`${base()}&format=json`);
      const cols = tList('logbook_cols');
      mount(
        out,
        h('h2', null, t('logbook')),
        h('p', null, [book.cover?.team, book.cover?.village, book.cover?.commune, book.cover?.province].filter(Boolean).join(' · ')),
        h('p', null, `${t('year')} ${book.year}`),
        h(
          'table',
          { class: 'logbook' },
          h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col' }, c)))),
          h(
            'tbody',
            null,
            (book.rows || []).map((r) =>
              h(
                'tr',
                null,
                h('td', null, r.number),
                h('td', null, fmtDate(r.received_on)),
                h('td', null, [...(r.mediators || []), ...(r.participants || [])].join('; ')),
                h('td', null, (r.parties || []).map((p) => [p.name, p.age, p.address].filter(Boolean).join(', ')).join('; ')),
                h('td', null, r.content),
                h('td', null, r.agreement_or_demands),
                h('td', null, r.successful ? 'x' : ''),
                h('td', null, r.unsuccessful ? 'x' : ''),
                h('td', null, ''),
                h('td', null, r.notes),
              ),
            ),
          ),
        ),
      );
    } catch (e) {
      mount(out, h('p', { class: 'warn' }, e instanceof NetworkError ? t('error_network') : e.status === 404 ? t('not_available_yet') : e.problem?.title || t('error_generic')));
    }
  }

  // Photos of the paper book's pages, for the team and year shown (a leader keeps the paper book).
  const pages = h('div', { class: 'no-print', id: 'lb-pages' });
  const drawPages = async () => {
    const { attachButton, attachmentsSection } = await import('../attachments.js');
    const target = { team_id: team.id, year: Number(year.value) };
    const q = `team_id=${encodeURIComponent(team.id)}&year=${year.value}`;
    const waiting = (await app.outbox.list()).filter((o) => o.kind === 'attachment' && o.path.includes(q));
    mount(
      pages,
      attachmentsSection(app, target, waiting),
      app.me?.role === 'team_leader' ? attachButton(app, target, 'logbook_pages', t('att_logbook_photo'), drawPages) : null,
    );
  };
  year.addEventListener('change', drawPages);
  picker?.addEventListener('change', drawPages);
  drawPages();
  return h(
    'div',
    null,
    h(
      'div',
      { class: 'no-print' },
      picker ? h('div', { class: 'field' }, h('label', { for: 'lb-team' }, t('choose_team')), picker) : h('p', { class: 'muted' }, team.name),
      h('div', { class: 'field' }, h('label', { for: 'lb-year' }, t('year')), year),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', class: 'primary', onclick: show }, t('view_print')),
        h('button', { type: 'button', onclick: () => window.print() }, t('print')),
        // Downloaded, not opened here: the server's page brings its own style, which this app's
        // policy (no inline style) would block in a window opened from it.
        h('button', { type: 'button', onclick: () => download(app, `${base()}&format=html`, `so-hoa-giai-${year.value}.html`) }, t('open_server_print')),
        h('button', { type: 'button', onclick: () => download(app, `${base()}&format=csv`, `so-hoa-giai-${year.value}.csv`) }, t('download_csv')),
        h('button', { type: 'button', onclick: () => download(app, `${base()}&format=xlsx`, `so-hoa-giai-${year.value}.xlsx`) }, t('download_xlsx')),
      ),
    ),
    pages,
    out,
  );
}
