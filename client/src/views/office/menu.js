// "Khác" on a phone: every office screen the role may open (a laptop shows them in the side bar).
import { h } from '../../dom.js';
import { t } from '../../i18n.js';

/** @param {import('../../app.js').App} app */
export default async function menu(app) {
  app.setTitle(t('nav_more'));
  const items = app.officeItems(app.me?.role || '');
  return h('ul', { class: 'list menu' }, items.map(([href, key]) => h('li', null, h('a', { class: 'card', href }, h('span', { class: 't' }, t(key))))));
}
