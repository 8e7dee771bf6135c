// Sign-in. Needs signal; afterwards the app works without.
import { NetworkError } from '../api.js';
import { field, h } from '../dom.js';
import { t } from '../i18n.js';

/** @param {import('../app.js').App} app */
export default async function login(app) {
  app.setTitle(t('app_name'));
  const pending = await app.outbox.count();
  const prev = /** @type {import('../types.js').Me | undefined} */ (await app.data.meta('me'));
  const err = h('p', { class: 'error', role: 'alert', hidden: true });
  const btn = h('button', { type: 'submit', class: 'primary wide' }, t('sign_in'));
  const pw = field({ label: t('password'), name: 'password', type: 'password', required: true, autocomplete: 'current-password' });
  const show = h('input', { type: 'checkbox', id: 'show-pw' });
  show.addEventListener('change', () => {
    const input = /** @type {HTMLInputElement} */ (pw.querySelector('input'));
    input.type = /** @type {HTMLInputElement} */ (show).checked ? 'text' : 'password';
  });
  const form = /** @type {HTMLFormElement} */ (
    h(
      'form',
      { novalidate: true },
      h('h2', null, t('sign_in')),
      field({ label: t('username'), name: 'username', required: true, autocomplete: 'username', value: prev?.username || '' }),
      pw,
      h('div', { class: 'check' }, show, h('label', { for: 'show-pw' }, t('show_password'))),
      err,
      h('div', { class: 'actions' }, btn),
    )
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const fd = new FormData(form);
    const username = String(fd.get('username') || '').trim();
    const password = String(fd.get('password') || '');
    err.hidden = true;
    if (!username || !password) {
      err.textContent = t('sign_in_failed');
      err.hidden = false;
      return;
    }
    btn.setAttribute('disabled', '');
    try {
      const r = await app.api.login(username, password);
      if (!r.ok) {
        err.textContent = r.status === 401 || r.status === 422 ? t('sign_in_failed') : r.problem?.title || t('error_generic');
        err.hidden = false;
        return;
      }
      // Another account on a phone with unsent work: that work belongs to the other person.
      if (prev && prev.id !== r.me.id) {
        const n = await app.outbox.count();
        if (n && !confirm(t('other_user_pending', { n, name: prev.display_name }))) {
          await app.api.logout();
          await app.db.delete('meta', 'auth');
          return;
        }
        const auth = await app.db.get('meta', 'auth');
        await app.db.clearAll();
        if (auth) await app.db.put('meta', auth);
      }
      await app.signedIn(r.me);
      app.go('#/');
    } catch (e) {
      err.textContent = e instanceof NetworkError ? t('sign_in_offline') : t('error_generic');
      err.hidden = false;
    } finally {
      btn.removeAttribute('disabled');
    }
  });
  return h(
    'div',
    null,
    pending ? h('p', { class: 'warn' }, t('session_over')) : null,
    form,
    h('p', null, h('a', { href: '#/settings' }, t('settings'))),
  );
}
