// "Chờ gửi": everything made on the phone that the server has not accepted yet. Conflicts (412) show
// both versions, field by field, and the user chooses; nothing is dropped without their word.
import { h, mount } from '../dom.js';
import { fmtDate, label, t } from '../i18n.js';

/** @typedef {import('../outbox.js').OutboxOp} OutboxOp */

/** How a field's value reads. @param {string} f @param {any} v */
function show(f, v) {
  if (v === null || v === undefined || v === '') return '—';
  if (f === 'category' || f === 'basis') return label(f, v);
  if (f === 'status') return label('case_status', v);
  if (/_on$/.test(f)) return fmtDate(v);
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** @param {string} f */
function fieldName(f) {
  const keys = /** @type {Record<string, import('../i18n.js').Key>} */ ({ summary: 'summary', notes: 'notes', category: 'category', basis: 'basis', received_on: 'received_on', referring_body: 'referring_body' });
  return keys[f] ? t(keys[f]) : f;
}

/** @param {import('../app.js').App} app @param {OutboxOp} op */
function conflictView(app, op) {
  const current = op.problem?.current || {};
  if (current.id) app.data.remember(current);
  const version = current.version ?? (typeof op.problem?.version === 'number' ? op.problem.version : undefined);
  if (op.method === 'PATCH') {
    const fields = Object.keys(op.body || {});
    const form = /** @type {HTMLFormElement} */ (
      h(
        'form',
        { class: 'merge-form' },
        fields.map((f, i) =>
          h(
            'fieldset',
            { class: 'merge choices' },
            h('legend', null, fieldName(f)),
            h('p', null, h('strong', null, t('yours') + ': ')),
            h('div', { class: 'v' }, show(f, op.body[f])),
            h('p', null, h('strong', null, t('theirs') + ': ')),
            h('div', { class: 'v' }, show(f, current[f])),
            h('div', { class: 'choice' }, h('input', { type: 'radio', name: `f${i}`, id: `m-${op.id}-${i}`, value: 'mine', checked: true }), h('label', { for: `m-${op.id}-${i}` }, t('keep_mine'))),
            h('div', { class: 'choice' }, h('input', { type: 'radio', name: `f${i}`, id: `t-${op.id}-${i}`, value: 'theirs' }), h('label', { for: `t-${op.id}-${i}` }, t('keep_theirs'))),
          ),
        ),
        h('button', { type: 'submit', class: 'primary wide' }, t('apply_choice')),
      )
    );
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const fd = new FormData(form);
      /** @type {Record<string, any>} */
      const body = {};
      fields.forEach((f, i) => {
        if (fd.get(`f${i}`) === 'mine' && JSON.stringify(op.body[f]) !== JSON.stringify(current[f])) body[f] = op.body[f];
      });
      // Keeping the server's version of every field is the user's choice: nothing is left to send.
      if (!Object.keys(body).length) await app.outbox.discard(op.id);
      else await app.outbox.retry(op.id, { body, ifMatch: version });
      app.flush();
      app.refresh();
    });
    return h('div', null, h('p', null, t('conflict_help')), form);
  }
  // A command on a case that changed meanwhile: send it on top of the new version, or drop it.
  return h(
    'div',
    null,
    h('p', null, `${t('theirs')}: ${label('case_status', current.status)}`),
    h('div', { class: 'actions row' }, [
      h('button', { type: 'button', class: 'primary', onclick: async () => { await app.outbox.retry(op.id, { ifMatch: version }); app.flush(); app.refresh(); } }, t('keep_mine')),
      h('button', { type: 'button', class: 'danger', onclick: () => discard(app, op) }, t('discard')),
    ]),
  );
}

/** @param {import('../app.js').App} app @param {OutboxOp} op */
async function discard(app, op) {
  if (!confirm(t('discard_confirm'))) return;
  await app.outbox.discard(op.id);
  app.refresh();
}

/** A refused new case goes back to being a draft, with the server's remarks. @param {import('../app.js').App} app @param {OutboxOp} op */
async function backToDraft(app, op) {
  const tx = app.db.raw.transaction(['outbox', 'drafts'], 'readwrite');
  tx.objectStore('drafts').put({ id: op.body.id, body: op.body, problem: op.problem, updatedAt: Date.now() });
  tx.objectStore('outbox').delete(op.id);
  await new Promise((res, rej) => {
    tx.oncomplete = () => res(undefined);
    tx.onerror = () => rej(tx.error);
  });
  app.go(`#/cases/new/${op.body.id}`);
}

/** @param {import('../app.js').App} app @param {string[]} _p @param {HTMLElement} main */
export default async function outboxView(app, _p, main) {
  app.setTitle(t('nav_outbox'));
  const ops = await app.outbox.list();
  const body = h('div', null);
  const items = ops.map((op) =>
    h(
      'li',
      { class: `card${op.state === 'pending' ? ' pending' : ''}` },
      h('span', { class: 't' }, op.label || op.kind),
      h(
        'span',
        { class: 'badges' },
        op.state === 'pending' ? h('span', { class: 'badge wait' }, t('waiting_to_send')) : null,
        op.state === 'conflict' ? h('span', { class: 'badge bad' }, t('conflict')) : null,
        op.state === 'failed' ? h('span', { class: 'badge bad' }, t('failed')) : null,
      ),
      op.state === 'pending' && op.nextAttemptAt > Date.now() ? h('span', { class: 's' }, t('next_try', { t: new Date(op.nextAttemptAt).toLocaleTimeString() })) : null,
      op.caseId && op.kind !== 'create_case' ? h('a', { href: `#/cases/${op.caseId}` }, t('case')) : null,
      op.state === 'conflict' ? conflictView(app, op) : null,
      op.state === 'failed'
        ? h(
            'div',
            null,
            h('p', { class: 'error' }, op.problem?.title || t('error_generic'), h('ul', null, (op.problem?.errors || []).map((e) => h('li', null, `${e.field}: ${e.message}`)))),
            h(
              'div',
              { class: 'actions row' },
              op.kind === 'create_case' ? h('button', { type: 'button', class: 'primary', onclick: () => backToDraft(app, op) }, t('fix')) : h('button', { type: 'button', class: 'primary', onclick: async () => { await app.outbox.retry(op.id); app.flush(); app.refresh(); } }, t('retry')),
              h('button', { type: 'button', class: 'danger', onclick: () => discard(app, op) }, t('discard')),
            ),
          )
        : null,
    ),
  );
  mount(
    body,
    ops.length
      ? [
          h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', onclick: async () => { await app.outbox.wakeAll(); await app.flush(); app.refresh(); } }, t('send_now'))),
          h('ul', { class: 'list' }, items),
        ]
      : h('p', { class: 'muted' }, t('nothing_waiting')),
  );
  return body;
}
