// Attach a photo to a case: take it with the camera (or pick a PDF), see it made small, save it to
// the outbox. It is sent with the case's other waiting work when there is signal.
import { MAX_BYTES, TYPES, fileName, kindLabel, queueAttachment, shrink } from '../attachments.js';
import { choices, h, mount } from '../dom.js';
import { t } from '../i18n.js';

/** @param {import('../app.js').App} app @param {string[]} params */
export default async function attach(app, [id]) {
  app.setTitle(t('attach_action'));
  /** @type {Blob | null} */
  let blob = null;
  let name = '';
  const preview = h('div', { class: 'preview', 'aria-live': 'polite' });
  const error = h('p', { class: 'field-error', role: 'alert' });
  const input = /** @type {HTMLInputElement} */ (h('input', { type: 'file', id: 'att-file', name: 'file', accept: 'image/*', capture: 'environment' }));
  const pdf = /** @type {HTMLInputElement} */ (h('input', { type: 'file', id: 'att-pdf', name: 'pdf', accept: 'application/pdf' }));
  const save = /** @type {HTMLButtonElement} */ (h('button', { type: 'submit', class: 'primary wide', disabled: true }, t('save')));

  /** @param {HTMLInputElement} el */
  const picked = async (el) => {
    const file = el.files?.[0];
    error.textContent = '';
    blob = null;
    save.disabled = true;
    mount(preview);
    if (!file) return;
    try {
      mount(preview, h('p', { class: 'loading' }, t('att_shrinking')));
      const small = await shrink(file);
      if (!TYPES.includes(small.type)) throw Object.assign(new Error('type'), { user: t('att_bad_type') });
      if (small.size > MAX_BYTES) throw Object.assign(new Error('size'), { user: t('att_too_big') });
      blob = small;
      name = fileName(file.name, small.type);
      const url = small.type.startsWith('image/') ? URL.createObjectURL(small) : null;
      mount(
        preview,
        url ? h('img', { src: url, alt: t('att_preview'), class: 'photo' }) : null,
        h('p', { class: 'muted', id: 'att-size' }, `${name} · ${Math.max(1, Math.round(small.size / 1024))} kB`),
      );
      save.disabled = false;
    } catch (e) {
      mount(preview);
      error.textContent = e.user || t('att_bad_type');
    }
  };
  input.addEventListener('change', () => picked(input));
  pdf.addEventListener('change', () => picked(pdf));

  const form = /** @type {HTMLFormElement} */ (
    h(
      'form',
      { novalidate: true },
      h('h2', null, t('attach_action')),
      choices({ legend: t('att_kind'), name: 'kind', options: ['written_agreement', 'minutes', 'other'].map((k) => ({ code: k, label: kindLabel(k) })), value: 'written_agreement', required: true }),
      // The camera's own input is hidden behind a big button (its label); it keeps the keyboard focus.
      h('div', { class: 'field file-button' }, input, h('label', { for: 'att-file', class: 'button primary' }, t('att_take_photo'))),
      h('div', { class: 'field' }, h('label', { for: 'att-pdf' }, t('att_pick_pdf')), pdf),
      error,
      preview,
      h('div', { class: 'actions' }, save, h('a', { class: 'button', href: `#/cases/${id}` }, t('cancel'))),
    )
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!blob) return;
    const kind = /** @type {HTMLInputElement | null} */ (form.querySelector('input[name=kind]:checked'))?.value || 'other';
    save.disabled = true;
    await queueAttachment(app, { case_id: id }, kind, blob, name);
    app.toast(t('queued'));
    app.flush();
    app.go(`#/cases/${id}`);
  });
  return form;
}
