// Attachments: a photo of the signed written agreement, of log-book pages, of a signed confirmation
// list. Taken on the phone, made small (≤ 1600 px on the long side, JPEG), queued in the outbox as
// its bytes with its own Idempotency-Key, and sent once when there is signal. Kept in one module so
// the server's attachments API can change without touching the screens.
//
// The API: POST /api/v1/attachments?case_id=…|team_id=…&year=…|confirmation_list_id=…&kind=…&file_name=…
// with the raw bytes (image/jpeg, image/png, application/pdf; at most 5 MB) → 201 {id, kind, file_name,
// content_type, size_bytes, sha256, created_at, …}; GET /api/v1/attachments?<the same target> →
// {items}; GET /api/v1/attachments/{id} → the bytes.

import { NetworkError } from './api.js';
import { h, mount, nid } from './dom.js';
import { fmtDate, t } from './i18n.js';

export const KINDS = /** @type {const} */ (['written_agreement', 'logbook_pages', 'confirmation_list', 'minutes', 'other']);
export const MAX_BYTES = 5 * 1024 * 1024;
export const MAX_SIDE = 1600;
export const TYPES = ['image/jpeg', 'image/png', 'application/pdf'];

/**
 * What an attachment belongs to.
 * @typedef {{case_id: string} | {team_id: string, year: number} | {confirmation_list_id: string}} Target
 * @typedef {{id: string, kind: string, file_name: string, content_type: string, size_bytes: number, sha256?: string, created_at: string, created_by?: string}} Attachment
 */

/** @param {Target} target @returns {string} */
export function targetQuery(target) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(target)) q.set(k, String(v));
  return q.toString();
}

/** The size a picture is drawn at: the long side at most `max`, never enlarged. @param {number} w @param {number} h @param {number} [max] */
export function fitWithin(w, h, max = MAX_SIDE) {
  const scale = Math.min(1, max / Math.max(w, h));
  return { width: Math.max(1, Math.round(w * scale)), height: Math.max(1, Math.round(h * scale)) };
}

/**
 * A photo made small enough for 2G: redrawn in a canvas, JPEG at quality 0.8. A PDF is kept as it is.
 * @param {Blob} file @returns {Promise<Blob>}
 */
export async function shrink(file, quality = 0.8) {
  if (file.type === 'application/pdf') return file;
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  const { width, height } = fitWithin(bitmap.width, bitmap.height);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  ctx.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const blob = await new Promise((res) => canvas.toBlob(res, 'image/jpeg', quality));
  if (!blob) throw new Error('toBlob');
  return blob;
}

/** A file name the server accepts: the photo's date, no path, a .jpg for a JPEG. @param {string} name @param {string} type */
export function fileName(name, type) {
  const base = (name || 'anh').replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '').replace(/[^\p{L}\p{N}._ -]+/gu, '_').slice(0, 80) || 'anh';
  return `${base}.${type === 'application/pdf' ? 'pdf' : type === 'image/png' ? 'png' : 'jpg'}`;
}

/**
 * Queues the file in the outbox. With a case, it waits behind that case's earlier operations.
 * @param {import('./app.js').App} app @param {Target} target @param {string} kind @param {Blob} blob @param {string} name
 */
export async function queueAttachment(app, target, kind, blob, name) {
  const q = new URLSearchParams(targetQuery(target));
  q.set('kind', kind);
  q.set('file_name', name);
  return app.outbox.add({
    kind: 'attachment',
    method: 'POST',
    path: `/api/v1/attachments?${q}`,
    body: blob,
    contentType: blob.type,
    caseId: 'case_id' in target ? target.case_id : undefined,
    label: `${t('attachment')}: ${name}`,
  });
}

/**
 * The attachments on the server. `missing` when the server does not know the record yet (a case
 * made with no signal, still in the outbox): nothing to list, the photos wait on the phone.
 * @param {import('./app.js').App} app @param {Target} target
 * @returns {Promise<{items: Attachment[], missing?: boolean, offline?: boolean}>}
 */
export async function listAttachments(app, target) {
  try {
    const res = await app.api.request('GET', `/api/v1/attachments?${targetQuery(target)}`);
    if (res.status === 404 || res.status === 405) return { items: [], missing: true };
    if (!res.ok) throw Object.assign(new Error(res.problem?.title || String(res.status)), { status: res.status, problem: res.problem });
    return { items: res.body?.items || [] };
  } catch (e) {
    if (e instanceof NetworkError) return { items: [], offline: true };
    throw e;
  }
}

/** Opens an attachment (fetched with the session's token) in a new tab. @param {import('./app.js').App} app @param {Attachment} a */
async function open(app, a) {
  try {
    const res = await app.api.request('GET', `/api/v1/attachments/${encodeURIComponent(a.id)}`, { raw: true, headers: { Accept: '*/*' } });
    if (!res.ok || !res.raw) return app.toast(res.problem?.title || t('error_generic'), 'error');
    const url = URL.createObjectURL(await res.raw.blob());
    const link = h('a', { href: url, download: a.file_name, target: '_blank', rel: 'noopener' });
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch (e) {
    app.toast(e instanceof NetworkError ? t('error_network') : t('error_generic'), 'error');
  }
}

/** @param {number} n */
const kb = (n) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} kB`);

/**
 * The attachments block of a page: the ones waiting in the outbox (with a thumbnail), then the
 * ones on the server.
 * @param {import('./app.js').App} app @param {Target} target @param {import('./outbox.js').OutboxOp[]} ops this target's waiting operations
 */
export function attachmentsSection(app, target, ops) {
  const waiting = ops.filter((o) => o.kind === 'attachment');
  const list = h('ul', { class: 'list attachments', 'aria-live': 'polite' });
  const box = h('section', { class: 'block attachments-block' }, h('h3', null, t('attachments')), list);
  const pending = waiting.map((o) => {
    const url = o.body instanceof Blob && o.body.type.startsWith('image/') ? URL.createObjectURL(o.body) : null;
    const name = new URLSearchParams(o.path.split('?')[1] || '').get('file_name') || o.label || '';
    return h(
      'li',
      { class: 'card pending attachment' },
      url ? h('img', { src: url, alt: '', width: 64, height: 64 }) : null,
      h('span', { class: 't' }, name),
      h('span', { class: 's' }, o.body instanceof Blob ? kb(o.body.size) : ''),
      h('span', { class: 'badges' }, h('span', { class: 'badge wait' }, t('waiting_to_send'))),
    );
  });
  mount(list, pending, h('li', { class: 'muted' }, t('loading')));
  listAttachments(app, target)
    .then((r) => {
      const sent = r.items.map((a) =>
        h(
          'li',
          { class: 'card attachment' },
          h('span', { class: 't' }, a.file_name),
          h('span', { class: 's' }, [kindLabel(a.kind), kb(a.size_bytes), fmtDate(a.created_at)].join(' · ')),
          h('span', { class: 'badges' }, h('span', { class: 'badge st-successful' }, t('sent'))),
          h('button', { type: 'button', class: 'link', onclick: () => open(app, a) }, t('open_file')),
        ),
      );
      const note = r.missing ? t('attachments_unavailable') : r.offline ? t('cached_note') : !sent.length && !pending.length ? t('none_yet') : '';
      mount(list, pending, sent, note ? h('li', { class: 'muted' }, note) : null);
    })
    .catch((e) => mount(list, pending, h('li', { class: 'warn' }, e.problem?.title || t('error_generic'))));
  return box;
}

/** @param {string} kind */
export function kindLabel(kind) {
  const keys = /** @type {Record<string, import('./i18n.js').Key>} */ ({
    written_agreement: 'att_written_agreement',
    logbook_pages: 'att_logbook_pages',
    confirmation_list: 'att_confirmation_list',
    minutes: 'att_minutes',
    other: 'att_other',
  });
  return keys[kind] ? t(keys[kind]) : kind;
}

/**
 * A button that takes a photo (or picks a PDF) and queues it for `target` at once: for a page's
 * own documents (the signed confirmation list, the log book's pages).
 * @param {import('./app.js').App} app @param {Target} target @param {string} kind @param {string} text
 * @param {() => void} [done] after it is queued
 */
export function attachButton(app, target, kind, text, done) {
  const id = nid('att');
  const input = /** @type {HTMLInputElement} */ (h('input', { type: 'file', id, accept: 'image/*,application/pdf' }));
  input.addEventListener('change', async () => {
    const file = input.files?.[0];
    if (!file) return;
    try {
      const small = await shrink(file);
      if (!TYPES.includes(small.type)) return app.toast(t('att_bad_type'), 'error');
      if (small.size > MAX_BYTES) return app.toast(t('att_too_big'), 'error');
      await queueAttachment(app, target, kind, small, fileName(file.name, small.type));
      app.toast(t('queued'));
      // Shown as waiting at once, then as sent (or still waiting) once this send is over.
      if (done) done();
      await app.flush();
      if (done) done();
    } catch (_) {
      app.toast(t('att_bad_type'), 'error');
    }
  });
  return h('div', { class: 'file-button' }, input, h('label', { for: id, class: 'button' }, text));
}
