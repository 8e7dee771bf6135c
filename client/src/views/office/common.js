// Shared by the office screens: their words, money and rates, tables, a year picker, writes with an
// Idempotency-Key, and the confirmation step before anything that pays or freezes.
import { NetworkError } from '../../api.js';
import { h, mount, showFieldErrors } from '../../dom.js';
import { getLang, t } from '../../i18n.js';
import { uuidv7 } from '../../uuid.js';
import { en, vi } from './words.js';

import { download } from '../logbook.js';

export { download };

/** @typedef {keyof typeof vi} Word */

/** An office word in the current language. @param {Word} key @param {Record<string, string | number>} [params] */
export function ot(key, params) {
  const s = (getLang() === 'en' ? en[key] : undefined) ?? vi[key] ?? key;
  return params ? s.replace(/\{(\w+)\}/g, (_, k) => String(params[k] ?? '')) : s;
}

/** Writes funding, trainings, review, teams: the officer and the administrator (the server checks it again). @param {import('../../app.js').App} app */
export const canManage = (app) => app.me?.role === 'officer' || app.me?.role === 'admin';

/** @param {number | null | undefined} n */
export const dong = (n) => (n === null || n === undefined ? '—' : `${new Intl.NumberFormat('vi-VN').format(n)} đ`);

/** A rate 0..1 as a percentage, Vietnamese decimal comma. @param {number | null | undefined} r */
export const pct = (r) => (r === null || r === undefined ? '—' : `${(r * 100).toFixed(1).replace('.', getLang() === 'vi' ? ',' : '.')}%`);

/** @param {any} e */
export function problemText(e) {
  if (e instanceof NetworkError) return t('error_network');
  const p = e?.problem;
  if (p?.errors?.length) return `${p.title || ''} ${p.errors.map((x) => x.message).join('; ')}`.trim();
  return p?.detail || p?.title || t('error_generic');
}

/** The commune (or the unit) the account works in. @param {import('../../app.js').App} app */
export const unitId = (app) => app.me?.unit_id || '';

/** @param {string} id @param {number} [back] years offered, this one first */
export function yearSelect(id, back = 5) {
  const y = new Date().getFullYear();
  return /** @type {HTMLSelectElement} */ (h('select', { id }, Array.from({ length: back }, (_, d) => h('option', { value: String(y - d) }, String(y - d)))));
}

/** @param {string} id @param {string} text @param {HTMLElement} control */
export const labelled = (id, text, control) => h('div', { class: 'field' }, h('label', { for: id }, text), control);

/**
 * A table that scrolls sideways on a phone, announced as a region.
 * @param {string} caption @param {string[]} cols @param {any[][]} rows @param {{numeric?: number[]}} [o] which columns are figures
 */
export function table(caption, cols, rows, o = {}) {
  const num = new Set(o.numeric || []);
  return h(
    'div',
    { class: 'scroll-x', role: 'region', tabindex: 0, 'aria-label': caption },
    h(
      'table',
      { class: 'data' },
      h('caption', null, caption),
      h('thead', null, h('tr', null, cols.map((c, i) => h('th', { scope: 'col', class: num.has(i) ? 'num' : null }, c)))),
      h('tbody', null, rows.map((r) => h('tr', null, r.map((v, i) => (i === 0 ? h('th', { scope: 'row' }, v) : h('td', { class: num.has(i) ? 'num' : null }, v)))))),
    ),
  );
}

/**
 * Loads into `out`, with the loading line and a readable error.
 * @param {HTMLElement} out @param {() => Promise<any>} fn
 */
export async function loadInto(out, fn) {
  // Only the latest load of a place draws: a slow answer to an old filter never wins.
  const token = (loads.get(out) || 0) + 1;
  loads.set(out, token);
  mount(out, h('p', { class: 'loading' }, t('loading')));
  let node;
  try {
    node = await fn();
  } catch (e) {
    console.warn(e);
    node = h('p', { class: 'warn', role: 'alert' }, problemText(e));
  }
  if (loads.get(out) === token) mount(out, node);
}
/** @type {WeakMap<HTMLElement, number>} */
const loads = new WeakMap();

/**
 * A write that is made once: the key is kept by the caller across retries of one intent.
 * @param {import('../../app.js').App} app @param {'POST' | 'PATCH' | 'PUT' | 'DELETE'} method @param {string} path @param {any} [body]
 * @param {{key?: string, ifMatch?: number}} [o]
 */
export async function write(app, method, path, body, o = {}) {
  const res = await app.api.request(method, path, { body, idempotencyKey: method === 'POST' ? o.key || uuidv7() : undefined, ifMatch: o.ifMatch });
  if (!res.ok) throw Object.assign(new Error(res.problem?.title || String(res.status)), { status: res.status, problem: res.problem });
  return res.body;
}

/**
 * The confirmation step: the action's summary and two buttons in place of `anchor`'s content.
 * Resolves true on "confirm".
 * @param {HTMLElement} anchor @param {string} message @param {string} yes
 * @returns {Promise<boolean>}
 */
export function confirmStep(anchor, message, yes) {
  return new Promise((resolve) => {
    const before = Array.from(anchor.childNodes);
    const done = (/** @type {boolean} */ ok) => {
      mount(anchor, before);
      resolve(ok);
    };
    const yesBtn = h('button', { type: 'button', class: 'primary', onclick: () => done(true) }, yes);
    mount(
      anchor,
      h(
        'div',
        { class: 'confirm', role: 'group', 'aria-label': ot('confirm') },
        h('p', { class: 'warn', role: 'alert' }, message),
        h('div', { class: 'actions row' }, yesBtn, h('button', { type: 'button', onclick: () => done(false) }, ot('cancel'))),
      ),
    );
    yesBtn.focus();
  });
}

/** A form's error line. @param {HTMLElement} el @param {any} e */
export function showError(el, e) {
  mount(el, e ? h('p', { class: 'error', role: 'alert' }, typeof e === 'string' ? e : problemText(e)) : null);
}

/**
 * A refused write on a form: each of the server's field errors next to its field (`map` renames a
 * server field to the form's control), the title and the errors with no field in `err`.
 * @param {HTMLFormElement} form @param {HTMLElement} err @param {any} e @param {Record<string, string>} [map]
 */
export function showProblem(form, err, e, map = {}) {
  /** @type {Array<{field: string, message: string}>} */
  const errs = (e?.problem?.errors || []).map((/** @type {any} */ x) => ({ field: map[x.field] || x.field, message: x.message }));
  const has = (/** @type {string} */ f) => !!f && !!form.querySelector(`[name="${CSS.escape(f)}"]`);
  const placed = errs.filter((x) => has(x.field));
  const rest = errs.filter((x) => !has(x.field));
  showFieldErrors(form, placed);
  if (!placed.length) return showError(err, e);
  mount(err, h('p', { class: 'error', role: 'alert' }, [e.problem?.title, ...rest.map((x) => x.message)].filter(Boolean).join(' ')));
}

/**
 * A select of options. @param {string} id @param {Array<[string, string]>} opts @param {string} [value] @param {string} [name]
 */
export function select(id, opts, value, name) {
  return /** @type {HTMLSelectElement} */ (h('select', { id, name: name || id }, opts.map(([v, l]) => h('option', { value: v, selected: v === value ? true : null }, l))));
}

/** The teams of the commune (active first), once per screen. @param {import('../../app.js').App} app */
export async function teams(app) {
  const page = await app.api.get('/api/v1/teams?limit=100');
  /** @type {import('../../types.js').Team[]} */
  const items = page.items || [];
  return items.slice().sort((a, b) => Number(!!a.dissolved_on) - Number(!!b.dissolved_on) || a.name.localeCompare(b.name, 'vi'));
}

/**
 * The commune's mediators, current and former, every page of them (former ones first need not
 * be: active first, then by name). @param {import('../../app.js').App} app
 * @returns {Promise<import('../../types.js').Mediator[]>}
 */
export async function communeMediators(app) {
  /** @type {import('../../types.js').Mediator[]} */
  const all = [];
  let cursor = '';
  for (let i = 0; i < 20; i++) {
    const q = new URLSearchParams({ limit: '100' });
    if (app.me?.unit_id) q.set('within', app.me.unit_id);
    if (cursor) q.set('cursor', cursor);
    const page = await app.api.get(`/api/v1/mediators?${q}`);
    all.push(...(page.items || []));
    cursor = page.next_cursor || '';
    if (!cursor) break;
  }
  return all.sort((a, b) => Number(!a.current_team_id) - Number(!b.current_team_id) || a.full_name.localeCompare(b.full_name, 'vi'));
}

/** A note for read-only roles. @param {import('../../app.js').App} app */
export const readOnlyNote = (app) => (canManage(app) ? null : h('p', { class: 'note' }, ot('read_only')));

/** A download button. @param {import('../../app.js').App} app @param {string} text @param {string} path @param {string} file */
export function downloadButton(app, text, path, file) {
  return h('button', { type: 'button', onclick: () => download(app, path, file) }, text);
}
