// Settings: language, the server's address, storage, sign-out (with a warning while work is unsent).
import { h } from '../dom.js';
import { getLang, setLang, t } from '../i18n.js';

/** @param {import('../app.js').App} app */
export default async function settings(app) {
  app.setTitle(t('settings'));
  const n = await app.outbox.count();
  let persisted = false;
  try {
    persisted = !!(await navigator.storage?.persisted?.());
  } catch (_) {}
  const lang = getLang();
  const langBox = h(
    'fieldset',
    { class: 'choices compact' },
    h('legend', null, t('language')),
    [
      ['vi', 'Tiếng Việt'],
      ['en', 'English'],
    ].map(([code, text]) =>
      h(
        'div',
        { class: 'choice' },
        h('input', {
          type: 'radio',
          name: 'lang',
          id: `lang-${code}`,
          value: code,
          checked: lang === code,
          onchange: () => {
            setLang(/** @type {'vi' | 'en'} */ (code));
            app.refresh();
          },
        }),
        h('label', { for: `lang-${code}`, lang: code }, text),
      ),
    ),
  );
  let saved = '';
  try {
    saved = localStorage.getItem('hoagiai.api') || '';
  } catch (_) {}
  const api = /** @type {HTMLInputElement} */ (h('input', { type: 'url', id: 'api-base', value: saved, inputmode: 'url', autocomplete: 'off', 'aria-describedby': 'api-help' }));
  const apiForm = h(
    'form',
    {
      onsubmit: (/** @type {Event} */ ev) => {
        ev.preventDefault();
        const v = api.value.trim().replace(/\/+$/, '');
        if (v) localStorage.setItem('hoagiai.api', v);
        else localStorage.removeItem('hoagiai.api');
        location.reload();
      },
    },
    h('div', { class: 'field' }, h('label', { for: 'api-base' }, t('api_address')), h('p', { class: 'hint', id: 'api-help' }, t('api_address_help')), api),
    h('button', { type: 'submit' }, t('save')),
  );
  const signOut = async () => {
    const left = await app.outbox.count();
    const msg = left ? t('sign_out_unsent', { n: left }) : t('sign_out_confirm');
    if (!confirm(msg)) return;
    await app.signOut();
  };
  return h(
    'div',
    null,
    app.me ? h('p', null, t('signed_in_as', { name: `${app.me.display_name} (${app.me.username})` })) : null,
    langBox,
    h('section', { class: 'block' }, h('h3', null, t('storage')), h('p', null, persisted ? t('storage_persisted') : t('storage_not_persisted')), n ? h('p', { class: 'warn' }, t('waiting_n', { n })) : null),
    h('section', { class: 'block' }, apiForm),
    app.me ? h('section', { class: 'block' }, h('div', { class: 'actions' }, h('button', { type: 'button', class: 'danger wide', id: 'sign-out', onclick: signOut }, t('sign_out')))) : h('p', null, h('a', { href: '#/login' }, t('sign_in'))),
  );
}
