// One case: what the log book says about it, and the buttons to move it on. A case or change still
// in the outbox is shown as "Đang chờ gửi".
import { isOpen, isOverdue } from '../data.js';
import { h, mount } from '../dom.js';
import { fmtDate, label, t } from '../i18n.js';
import { commandForm } from './forms.js';

/** @typedef {import('../types.js').Case} Case */

/** @param {string} dt @param {any} dd */
const fact = (dt, dd) => (dd === null || dd === undefined || dd === '' ? null : [h('dt', null, dt), h('dd', null, dd)]);

/** @param {import('../app.js').App} app @param {string[]} params @param {HTMLElement} main */
export default async function casePage(app, [id, action], main) {
  app.setTitle(t('case'));
  mount(main, h('p', { class: 'loading' }, t('loading')));
  const ops = (await app.outbox.list()).filter((o) => o.caseId === id);
  const createOp = ops.find((o) => o.kind === 'create_case');
  /** @type {Case | null} */
  let c = null;
  let cached = false;
  if (createOp) c = createOp.body;
  else {
    const r = await app.data.case(id);
    c = r.item;
    cached = r.cached;
  }
  if (!c) return h('p', { class: 'warn' }, t('no_match'));
  const unsent = !!createOp;

  if (action) {
    const form = await commandForm(app, c, action, unsent);
    return form || h('p', null, t('no_match'));
  }

  const me = app.me;
  const leader = me.role === 'team_leader';
  const status = c.status || 'received';
  const open = isOpen(c);
  // A mediator sees only the cases assigned to them; the server checks it again on every command.
  const mine = me.role === 'mediator' && (!me.mediator_id || (c.assignments || []).some((a) => !a.ended_on && a.mediator_id === me.mediator_id));
  const names = (c.party_names || (c.parties || []).map((p) => p.full_name)).filter(Boolean).join(' – ');
  const pendingOfKind = (k) => ops.some((o) => o.kind === k);

  /** @type {Array<[string, import('../i18n.js').Key, boolean]>} */
  const actions = [
    // The likely next step comes first: assign a new case, record a session of one under way.
    ['assign', 'assign', leader && status === 'received'],
    ['session', 'record_session', open && (leader || mine)],
    ['assign', 'assign', leader && status === 'in_progress'],
    ['end', 'record_end', open && (leader || mine) && !pendingOfKind('end')],
    ['follow-up', 'add_follow_up', leader && (status === 'successful' || (pendingOfKind('end') && ops.find((o) => o.kind === 'end')?.body?.end_reason === 'agreement'))],
    ['out-of-scope', 'out_of_scope_action', leader && status === 'received' && !pendingOfKind('out_of_scope')],
    ['escalation', 'escalate', open && (leader || mine)],
    ['edit', 'edit', leader],
  ];

  return h(
    'article',
    null,
    h('h2', null, names || c.summary),
    h(
      'div',
      { class: 'badges' },
      h('span', { class: `badge st-${status}` }, label('case_status', status)),
      unsent || ops.length ? h('span', { class: 'badge wait' }, t('waiting_to_send')) : null,
      !unsent && isOverdue(c) ? h('span', { class: 'badge overdue' }, '⚠ ' + t('overdue')) : null,
    ),
    cached ? h('p', { class: 'note' }, t('cached_note')) : null,
    c.redacted ? h('p', { class: 'note' }, t('redacted')) : null,
    (c.warnings || []).some((w) => w.code === 'possible_duplicate')
      ? h('p', { class: 'warn' }, t('possible_duplicate'), ' ', (c.warnings || []).flatMap((w) => w.case_ids).map((cid, i) => [i ? ', ' : '', h('a', { href: `#/cases/${cid}` }, cid.slice(-6))]))
      : null,
    c.deadline && open && c.deadline.start_by && !c.deadline.started_on ? h('p', { class: isOverdue(c) ? 'error' : 'muted' }, t('start_by', { d: fmtDate(c.deadline.start_by) })) : null,
    h(
      'div',
      { class: 'actions' },
      actions.filter(([, , show]) => show).map(([a, key], i) => h('a', { class: `button${i === 0 ? ' primary' : ''}`, href: `#/cases/${c.id}/${a}` }, t(key))),
    ),
    ops.length
      ? h(
          'section',
          { class: 'block' },
          h('h3', null, t('pending_here')),
          h('ul', null, ops.map((o) => h('li', null, `${o.label || o.kind}${o.state === 'conflict' ? ' — ' + t('conflict') : o.state === 'failed' ? ' — ' + t('failed') : ''}`))),
          ops.some((o) => o.state !== 'pending') ? h('a', { href: '#/outbox', class: 'button' }, t('fix')) : null,
        )
      : null,
    h(
      'dl',
      { class: 'facts' },
      fact(t('logbook_line', { n: '' }).replace(/[:\s]+$/, ''), c.logbook_line),
      // A case carried on after a merger keeps its first line, in the book of the team that received it.
      c.transferred_from
        ? fact(t('transferred_from'), t('transferred_from_text', { n: c.transferred_from.logbook_line, d: fmtDate(c.transferred_from.transferred_on) }))
        : null,
      fact(t('received_on'), fmtDate(c.received_on)),
      fact(t('category'), label('category', c.category)),
      fact(t('basis'), label('basis', c.basis)),
      fact(t('referring_body'), c.referring_body),
      fact(t('summary'), c.summary),
      fact(t('notes'), c.notes),
    ),
    h(
      'section',
      { class: 'block' },
      h('h3', null, t('parties')),
      (c.parties || []).map((p) =>
        h(
          'div',
          { class: 'party' },
          h('strong', null, p.full_name),
          h('br'),
          h('span', { class: 'muted' }, [label('party_role', p.role), p.age ? `${p.age} ${t('age').toLowerCase()}` : p.birth_year ? `${t('birth_year')} ${p.birth_year}` : '', p.address, p.phone].filter(Boolean).join(' · ')),
          p.demand ? h('p', null, `${t('demand_of', { name: p.full_name })}: ${p.demand}`) : null,
        ),
      ),
    ),
    h(
      'section',
      { class: 'block' },
      h('h3', null, t('mediators_assigned')),
      (c.assignments || []).length
        ? h('ul', null, (c.assignments || []).map((a) => h('li', null, `${a.mediator_name || a.mediator_id} · ${fmtDate(a.assigned_on)}${a.ended_on ? ` (${fmtDate(a.ended_on)})` : ''}`)))
        : h('p', { class: 'muted' }, t('none_yet')),
    ),
    (c.sessions || []).length
      ? h(
          'section',
          { class: 'block' },
          h('h3', null, t('sessions')),
          h('ul', null, (c.sessions || []).map((s) => h('li', null, [fmtDate(s.held_on), s.place, (s.participants || []).map((p) => p.name).join(', '), s.notes].filter(Boolean).join(' · ')))),
        )
      : null,
    c.end
      ? h(
          'section',
          { class: 'block' },
          h('h3', null, t('end')),
          h(
            'dl',
            { class: 'facts' },
            fact(t('end_reason'), label('end_reason', c.end.reason)),
            fact(t('ended_on'), fmtDate(c.end.ended_on)),
            fact(t('agreement_text'), c.end.agreement_text),
            c.referral ? fact(t('referral_body'), `${c.referral.body} (${fmtDate(c.referral.date)})`) : null,
          ),
        )
      : null,
    c.out_of_scope
      ? h('section', { class: 'block' }, h('h3', null, label('case_status', 'out_of_scope')), h('dl', { class: 'facts' }, fact(t('oos_reason'), c.out_of_scope.reason), fact(t('oos_referred_to'), c.out_of_scope.referred_to)))
      : null,
    (c.follow_ups || []).length
      ? h('section', { class: 'block' }, h('h3', null, t('follow_ups')), h('ul', null, (c.follow_ups || []).map((f) => h('li', null, `${fmtDate(f.checked_on)} · ${label('implementation', f.status)}${f.notes ? ' · ' + f.notes : ''}`))))
      : null,
  );
}
