// One case: what the log book says about it, and the buttons to move it on. A case or change still
// in the outbox is shown as "Đang chờ gửi".
import { OPEN, isOverdue } from '../data.js';
import { attachmentsSection } from '../attachments.js';
import { h, mount } from '../dom.js';
import { fmtDate, label, t } from '../i18n.js';
import { commandForm } from './forms.js';

/** @typedef {import('../types.js').Case} Case */

/** @param {string} dt @param {any} dd */
const fact = (dt, dd) => (dd === null || dd === undefined || dd === '' ? null : [h('dt', null, dt), h('dd', null, dd)]);

/**
 * The status the case will have once the waiting operations are applied, in order.
 * @param {string} status @param {Array<{kind: string, body?: any}>} ops
 */
export function projected(status, ops) {
  let s = status;
  for (const o of ops) {
    if (o.kind === 'assign' && s === 'received') s = 'in_progress';
    else if (o.kind === 'end' && s === 'in_progress') s = o.body?.end_reason === 'agreement' ? 'successful' : 'unsuccessful';
    else if (o.kind === 'out_of_scope' && s === 'received') s = 'out_of_scope';
  }
  return s;
}

/**
 * The commands: the likely next ones as buttons, the rarer ones folded under "Việc khác" so a phone
 * screen is not a wall of buttons.
 * @param {string} id @param {Array<[string, import('../i18n.js').Key, boolean]>} shown
 */
function commands(id, shown) {
  const link = (/** @type {[string, import('../i18n.js').Key, boolean]} */ [a, key], /** @type {number} */ i) =>
    h('a', { class: `button${i === 0 ? ' primary' : ''}`, href: `#/cases/${id}/${a}` }, t(key));
  const first = shown.slice(0, 3);
  const rest = shown.slice(3);
  return [
    h('div', { class: 'actions' }, first.map(link)),
    rest.length
      ? h(
          'details',
          {
            class: 'more-actions',
            // Stays open when the page is redrawn (a send answered while the user looks).
            open: moreOpen.has(id),
            ontoggle: (/** @type {Event} */ e) => (/** @type {HTMLDetailsElement} */ (e.target).open ? moreOpen.add(id) : moreOpen.delete(id)),
          },
          h('summary', null, t('more_actions')),
          h('div', { class: 'actions' }, rest.map((x) => link(x, 1))),
        )
      : null,
  ];
}
/** The cases whose "Việc khác" the user opened. @type {Set<string>} */
const moreOpen = new Set();

/** @param {Case} c @param {string} id */
const mediatorName = (c, id) => (c.assignments || []).find((a) => a.mediator_id === id)?.mediator_name || id.slice(-6);

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
  const role = me.role;
  // Who may move a case on: the team leader and the commune officer (EditCases); a mediator only
  // on the cases assigned to them, and only sessions, escalations and the end (RecordCaseProgress).
  const leader = role === 'team_leader' || role === 'officer';
  const officer = role === 'officer';
  const status = c.status || 'received';
  // What the case will be once the waiting operations are sent: the state machine's moves
  // (api/src/cases/rules.rs), so nothing is offered that the server would refuse.
  const next = projected(status, ops);
  const open = OPEN.includes(next);
  // A mediator sees only the cases assigned to them; the server checks it again on every command.
  const mine = role === 'mediator' && (!me.mediator_id || (c.assignments || []).some((a) => !a.ended_on && a.mediator_id === me.mediator_id));
  const names = (c.party_names || (c.parties || []).map((p) => p.full_name)).filter(Boolean).join(' – ');
  const pendingOfKind = (/** @type {string} */ k) => ops.some((o) => o.kind === k);
  const running = (c.assignments || []).filter((a) => !a.ended_on);
  const dl = c.deadline;

  /** @type {Array<[string, import('../i18n.js').Key, boolean]>} */
  const actions = [
    // The likely next step comes first: assign a new case, record a session of one under way.
    ['assign', 'assign', leader && next === 'received'],
    ['session', 'record_session', next === 'in_progress' && (leader || mine)],
    ['end', 'record_end', next === 'in_progress' && (leader || mine) && !pendingOfKind('end')],
    ['written-agreement', 'written_agreement_action', leader && next === 'successful' && !c.written_agreement && !pendingOfKind('written_agreement')],
    ['follow-up', 'add_follow_up', leader && next === 'successful'],
    ['referral', 'referral_action', leader && next === 'unsuccessful' && !c.referral && !pendingOfKind('referral')],
    ['assign', 'assign_more', leader && next === 'in_progress'],
    ['reassign', 'reassign', leader && next === 'in_progress' && running.length > 0],
    ['conflict', 'conflict_action', leader && open],
    [
      'deadline-exception',
      'deadline_exception_action',
      leader && open && !!dl?.start_by && !dl.exception && !dl.started_on && !pendingOfKind('deadline_exception') && !(c.sessions || []).length,
    ],
    ['out-of-scope', 'out_of_scope_action', leader && next === 'received' && !pendingOfKind('out_of_scope')],
    ['escalation', 'escalate', open && (leader || mine)],
    ['attach', 'attach_action', leader || mine],
    // After the end only the officer corrects the record (the server refuses the leader).
    ['edit', officer ? 'correct_case' : 'edit', leader && (open || officer)],
    ['transfer', 'transfer_action', officer && open && !unsent],
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
    commands(c.id, actions.filter(([, , show]) => show)),
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
        ? h(
            'ul',
            null,
            (c.assignments || []).map((a) =>
              h('li', null, `${a.mediator_name || a.mediator_id} · ${fmtDate(a.assigned_on)}${a.ended_on ? ` – ${fmtDate(a.ended_on)}${a.end_reason ? ` (${label('assignment_end', a.end_reason)})` : ''}` : ''}`),
            ),
          )
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
    c.written_agreement
      ? h(
          'section',
          { class: 'block' },
          h('h3', null, t('written_agreement_title')),
          h(
            'dl',
            { class: 'facts' },
            fact(t('wa_date'), fmtDate(c.written_agreement.date)),
            fact(t('wa_signature'), label('signature', c.written_agreement.signature)),
            c.written_agreement.for_court_recognition ? fact(t('wa_for_court'), t('yes')) : null,
          ),
        )
      : null,
    c.referral && !c.end ? h('section', { class: 'block' }, h('h3', null, t('referral_body')), h('p', null, `${c.referral.body} (${fmtDate(c.referral.date)})`)) : null,
    dl?.exception
      ? h('section', { class: 'block' }, h('h3', null, t('deadline_exception_title')), h('p', null, [label('deadline_exception', dl.exception), dl.exception_note].filter(Boolean).join(' · ')))
      : null,
    (c.conflicts || []).length
      ? h(
          'section',
          { class: 'block' },
          h('h3', null, t('conflicts_title')),
          h('ul', null, (c.conflicts || []).map((x) => h('li', null, [mediatorName(c, x.mediator_id), x.note].filter(Boolean).join(' · ')))),
        )
      : null,
    unsent ? null : attachmentsSection(app, { case_id: c.id }, ops),
    c.out_of_scope
      ? h('section', { class: 'block' }, h('h3', null, label('case_status', 'out_of_scope')), h('dl', { class: 'facts' }, fact(t('oos_reason'), c.out_of_scope.reason), fact(t('oos_referred_to'), c.out_of_scope.referred_to)))
      : null,
    (c.follow_ups || []).length
      ? h('section', { class: 'block' }, h('h3', null, t('follow_ups')), h('ul', null, (c.follow_ups || []).map((f) => h('li', null, `${fmtDate(f.checked_on)} · ${label('implementation', f.status)}${f.notes ? ' · ' + f.notes : ''}`))))
      : null,
  );
}
