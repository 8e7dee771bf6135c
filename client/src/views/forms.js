// The case's commands as forms: assign a mediator, record a session, the end, a follow-up, out of
// scope, an escalation; and editing the case's text. Each one goes through the outbox.
import { choices, field, formValues, h, showFieldErrors } from '../dom.js';
import { fmtDate, options, t, today } from '../i18n.js';
import { teamMediators } from '../mediators.js';

export { teamMediators };

/**
 * @typedef {import('../types.js').Case} Case
 * @typedef {import('../types.js').AssignMediator} AssignMediator
 * @typedef {import('../types.js').RecordSession} RecordSession
 * @typedef {import('../types.js').EndCase} EndCase
 * @typedef {import('../types.js').RecordFollowUp} RecordFollowUp
 * @typedef {import('../types.js').MarkOutOfScope} MarkOutOfScope
 * @typedef {import('../types.js').RecordEscalation} RecordEscalation
 * @typedef {import('../types.js').UpdateCase} UpdateCase
 * @typedef {import('../types.js').Schemas['RecordWrittenAgreement']} RecordWrittenAgreement
 * @typedef {import('../types.js').Schemas['FlagConflict']} FlagConflict
 * @typedef {import('../types.js').Schemas['RecordDeadlineException']} RecordDeadlineException
 * @typedef {import('../types.js').Schemas['Referral']} Referral
 * @typedef {import('../types.js').Schemas['TransferCase']} TransferCase
 */

/**
 * @typedef {{title: string, kind: string, path: string, build: (v: Record<string, any>) => any, check?: (v: Record<string, any>) => Array<{field: string, message: string}>, fields: any[], method?: 'POST' | 'PATCH'}} Spec
 */

/**
 * The form for one command on case `c`.
 * @param {import('../app.js').App} app @param {Case} c @param {string} which
 * @returns {Promise<Spec | null>}
 */
async function spec(app, c, which) {
  const base = `/api/v1/cases/${c.id}`;
  const parties = (c.parties || []).filter((p) => p.role !== 'related_person');
  switch (which) {
    case 'assign': {
      const ms = await teamMediators(app, c.team_id);
      const taken = new Set((c.assignments || []).filter((a) => !a.ended_on).map((a) => a.mediator_id));
      return {
        title: t('assign'),
        kind: 'assign',
        path: `${base}/assignments`,
        fields: [
          ms.length
            ? choices({ legend: t('mediator'), name: 'mediator_id', options: ms.filter((m) => !taken.has(m.id)).map((m) => ({ code: m.id, label: m.full_name })), required: true })
            : h('p', { class: 'warn' }, t('not_available_yet')),
          field({ label: t('assigned_on'), name: 'assigned_on', type: 'date', value: today(), max: today(), required: true }),
          choices({ legend: t('chosen_by'), name: 'chosen_by', options: options('chosen_by'), value: 'leader' }),
        ],
        check: (v) => (v.mediator_id ? [] : [{ field: 'mediator_id', message: t('required') }]),
        build: (v) => /** @type {AssignMediator} */ ({ mediator_id: v.mediator_id, assigned_on: v.assigned_on || null, chosen_by: v.chosen_by || 'leader' }),
      };
    }
    case 'session':
      return {
        title: t('record_session'),
        kind: 'session',
        path: `${base}/sessions`,
        fields: [
          field({ label: t('held_on'), name: 'held_on', type: 'date', value: today(), max: today(), required: true }),
          field({ label: t('place'), name: 'place' }),
          h('div', { class: 'check' }, h('input', { type: 'checkbox', name: 'is_public', id: 'is_public' }), h('label', { for: 'is_public' }, t('is_public'))),
          field({ label: t('participants'), name: 'participants', multiline: true }),
          field({ label: t('notes'), name: 'notes', multiline: true }),
        ],
        check: (v) => (v.held_on ? [] : [{ field: 'held_on', message: t('required') }]),
        build: (v) => /** @type {RecordSession} */ ({
          held_on: v.held_on,
          place: v.place.trim() || null,
          is_public: !!v.is_public,
          participants: String(v.participants || '')
            .split('\n')
            .map((s) => s.trim())
            .filter(Boolean)
            .map((name) => ({ name })),
          notes: v.notes.trim() || null,
        }),
      };
    case 'end': {
      const agreementBox = h('div', null, field({ label: t('agreement_text'), name: 'agreement_text', multiline: true }));
      const demandsBox = h(
        'div',
        { hidden: true },
        h('h3', null, t('demands')),
        parties.map((p, i) => field({ label: t('demand_of', { name: p.full_name }), name: `demand_${i}`, multiline: true })),
        field({ label: `${t('referral_body')} (${t('optional')})`, name: 'referral_body' }),
      );
      return {
        title: t('record_end'),
        kind: 'end',
        path: `${base}/end`,
        fields: [
          choices({
            legend: t('end_reason'),
            name: 'end_reason',
            options: options('end_reason'),
            value: 'agreement',
            required: true,
            onchange: (v) => {
              agreementBox.hidden = v !== 'agreement';
              demandsBox.hidden = v === 'agreement';
            },
          }),
          field({ label: t('ended_on'), name: 'ended_on', type: 'date', value: today(), max: today(), required: true }),
          agreementBox,
          demandsBox,
        ],
        check: (v) => {
          const errs = [];
          if (!v.end_reason) errs.push({ field: 'end_reason', message: t('required') });
          if (v.end_reason === 'agreement' && !v.agreement_text.trim()) errs.push({ field: 'agreement_text', message: t('required') });
          return errs;
        },
        build: (v) => {
          const agreement = v.end_reason === 'agreement';
          const referral = agreement ? '' : String(v.referral_body || '').trim();
          /** @type {EndCase} */
          const body = {
            end_reason: v.end_reason,
            ended_on: v.ended_on || null,
            agreement_text: agreement ? v.agreement_text.trim() : null,
            demands: agreement
              ? []
              : parties.map((p, i) => ({ party_id: p.id, demand: String(v[`demand_${i}`] || '').trim() })).filter((d) => d.party_id && d.demand),
            referral: referral ? { body: referral, date: v.ended_on || today() } : null,
          };
          return body;
        },
      };
    }
    case 'follow-up':
      return {
        title: t('add_follow_up'),
        kind: 'follow_up',
        path: `${base}/follow-ups`,
        fields: [
          field({ label: t('checked_on'), name: 'checked_on', type: 'date', value: today(), max: today(), required: true }),
          choices({ legend: t('implementation'), name: 'status', options: options('implementation'), required: true }),
          field({ label: t('notes'), name: 'notes', multiline: true }),
        ],
        check: (v) => (v.status ? [] : [{ field: 'status', message: t('required') }]),
        build: (v) => /** @type {RecordFollowUp} */ ({ checked_on: v.checked_on, status: v.status, notes: v.notes.trim() || null }),
      };
    case 'out-of-scope':
      return {
        title: t('out_of_scope_action'),
        kind: 'out_of_scope',
        path: `${base}/out-of-scope`,
        fields: [field({ label: t('oos_reason'), name: 'reason', multiline: true, required: true }), field({ label: t('oos_referred_to'), name: 'referred_to' })],
        check: (v) => (v.reason.trim() ? [] : [{ field: 'reason', message: t('required') }]),
        build: (v) => /** @type {MarkOutOfScope} */ ({ reason: v.reason.trim(), referred_to: v.referred_to.trim() || null }),
      };
    case 'escalation':
      return {
        title: t('escalate'),
        kind: 'escalation',
        path: `${base}/escalations`,
        fields: [
          choices({ legend: t('escalation_kind'), name: 'kind', options: options('escalation_kind'), required: true }),
          field({ label: t('occurred_on'), name: 'occurred_on', type: 'date', value: today(), max: today(), required: true }),
          field({ label: t('notified'), name: 'notified', required: true }),
          field({ label: t('notes'), name: 'notes', multiline: true }),
        ],
        check: (v) => [!v.kind && { field: 'kind', message: t('required') }, !v.notified.trim() && { field: 'notified', message: t('required') }].filter(Boolean),
        build: (v) => /** @type {RecordEscalation} */ ({ kind: v.kind, occurred_on: v.occurred_on, notified: v.notified.trim(), notes: v.notes.trim() || null }),
      };
    case 'written-agreement': {
      const ended = c.end?.ended_on || c.received_on || today();
      const idBox = h(
        'div',
        { hidden: true },
        h('p', { class: 'hint' }, t('wa_id_hint')),
        parties.map((p, i) => field({ label: t('wa_id_of', { name: p.full_name }), name: `id_${i}`, inputmode: 'numeric' })),
      );
      return {
        title: t('written_agreement_action'),
        kind: 'written_agreement',
        path: `${base}/written-agreement`,
        fields: [
          field({ label: t('wa_date'), name: 'date', type: 'date', value: ended, min: ended, max: today(), required: true }),
          choices({ legend: t('wa_signature'), name: 'signature', options: options('signature'), value: 'signed', required: true }),
          h(
            'div',
            { class: 'check' },
            h('input', { type: 'checkbox', name: 'for_court', id: 'for_court', onchange: (/** @type {Event} */ e) => (idBox.hidden = !(/** @type {HTMLInputElement} */ (e.target).checked)) }),
            h('label', { for: 'for_court' }, t('wa_for_court')),
          ),
          idBox,
        ],
        check: (v) => {
          const errs = [];
          if (!v.date) errs.push({ field: 'date', message: t('required') });
          if (!v.signature) errs.push({ field: 'signature', message: t('required') });
          if (v.for_court) parties.forEach((p, i) => !String(v[`id_${i}`] || '').trim() && errs.push({ field: `id_${i}`, message: t('required') }));
          return errs;
        },
        build: (v) =>
          /** @type {RecordWrittenAgreement} */ ({
            date: v.date,
            signature: v.signature,
            for_court_recognition: !!v.for_court,
            id_numbers: v.for_court ? parties.map((p, i) => ({ party_id: p.id, id_number: String(v[`id_${i}`] || '').trim() })).filter((x) => x.party_id && x.id_number) : [],
          }),
      };
    }
    case 'conflict': {
      const ms = await teamMediators(app, c.team_id);
      const flagged = new Set((c.conflicts || []).map((x) => x.mediator_id));
      const running = new Set((c.assignments || []).filter((a) => !a.ended_on).map((a) => a.mediator_id));
      return {
        title: t('conflict_action'),
        kind: 'conflict',
        path: `${base}/conflicts`,
        fields: [
          h('p', { class: 'hint' }, t('conflict_hint')),
          ms.length
            ? choices({
                legend: t('mediator'),
                name: 'mediator_id',
                options: ms.filter((m) => !flagged.has(m.id)).map((m) => ({ code: m.id, label: running.has(m.id) ? `${m.full_name} (${t('assigned_now')})` : m.full_name })),
                required: true,
              })
            : h('p', { class: 'warn' }, t('no_mediators_saved')),
          field({ label: t('recused_on'), name: 'recused_on', type: 'date', value: today(), min: c.received_on, max: today() }),
          field({ label: t('notes'), name: 'note', multiline: true }),
        ],
        check: (v) => (v.mediator_id ? [] : [{ field: 'mediator_id', message: t('required') }]),
        build: (v) => /** @type {FlagConflict} */ ({ mediator_id: v.mediator_id, recused_on: v.recused_on || null, note: v.note.trim() || null }),
      };
    }
    case 'reassign': {
      const ms = await teamMediators(app, c.team_id);
      const running = (c.assignments || []).filter((a) => !a.ended_on);
      const blocked = new Set([...running.map((a) => a.mediator_id), ...(c.conflicts || []).map((x) => x.mediator_id)]);
      return {
        title: t('reassign'),
        kind: 'reassign',
        path: `${base}/assignments`,
        fields: [
          choices({ legend: t('reassign_from'), name: 'replaces', options: running.map((a) => ({ code: a.id, label: a.mediator_name })), value: running.length === 1 ? running[0].id : undefined, required: true }),
          ms.length
            ? choices({ legend: t('reassign_to'), name: 'mediator_id', options: ms.filter((m) => !blocked.has(m.id)).map((m) => ({ code: m.id, label: m.full_name })), required: true })
            : h('p', { class: 'warn' }, t('no_mediators_saved')),
          field({ label: t('assigned_on'), name: 'assigned_on', type: 'date', value: today(), max: today(), required: true }),
          choices({ legend: t('chosen_by'), name: 'chosen_by', options: options('chosen_by'), value: 'leader' }),
          field({ label: t('reassign_reason'), name: 'reason' }),
        ],
        check: (v) => [!v.replaces && { field: 'replaces', message: t('required') }, !v.mediator_id && { field: 'mediator_id', message: t('required') }].filter(Boolean),
        // One command: the new assignment names the one it replaces, which the server ends as
        // "reassigned" in the same transaction, so the case is never left with neither.
        build: (v) =>
          /** @type {AssignMediator} */ ({ mediator_id: v.mediator_id, assigned_on: v.assigned_on || null, chosen_by: v.chosen_by || 'leader', replaces: v.replaces, reason: v.reason.trim() || null }),
      };
    }
    case 'deadline-exception':
      return {
        title: t('deadline_exception_action'),
        kind: 'deadline_exception',
        path: `${base}/deadline-exception`,
        fields: [
          c.deadline?.start_by ? h('p', { class: 'muted' }, t('start_by', { d: fmtDate(c.deadline.start_by) })) : null,
          choices({ legend: t('deadline_exception_kind'), name: 'kind', options: options('deadline_exception'), required: true }),
          field({ label: t('notes'), name: 'note', multiline: true }),
        ],
        check: (v) => (v.kind ? [] : [{ field: 'kind', message: t('required') }]),
        build: (v) => /** @type {RecordDeadlineException} */ ({ kind: v.kind, note: v.note.trim() || null }),
      };
    case 'referral': {
      const ended = c.end?.ended_on || c.received_on || today();
      return {
        title: t('referral_action'),
        kind: 'referral',
        path: `${base}/referral`,
        fields: [
          field({ label: t('referral_body'), name: 'body', required: true, hint: t('referral_hint') }),
          field({ label: t('referral_date'), name: 'date', type: 'date', value: today(), min: ended, max: today(), required: true }),
        ],
        check: (v) => [!v.body.trim() && { field: 'body', message: t('required') }, !v.date && { field: 'date', message: t('required') }].filter(Boolean),
        build: (v) => /** @type {Referral} */ ({ body: v.body.trim(), date: v.date }),
      };
    }
    case 'transfer': {
      const page = await app.api.get('/api/v1/teams?active=true&limit=100');
      const teams = /** @type {import('../types.js').Team[]} */ (page.items || []).filter((x) => x.id !== c.team_id);
      return {
        title: t('transfer_action'),
        kind: 'transfer',
        path: `${base}/transfer`,
        fields: [
          h('p', { class: 'hint' }, t('transfer_hint')),
          teams.length ? choices({ legend: t('transfer_to'), name: 'team_id', options: teams.map((x) => ({ code: x.id, label: x.name })), required: true }) : h('p', { class: 'warn' }, t('no_match')),
          field({ label: t('transferred_on'), name: 'transferred_on', type: 'date', value: today(), min: c.received_on, max: today(), required: true }),
        ],
        check: (v) => (v.team_id ? [] : [{ field: 'team_id', message: t('required') }]),
        build: (v) => /** @type {TransferCase} */ ({ team_id: v.team_id, transferred_on: v.transferred_on || null }),
      };
    }
    case 'edit':
      return {
        title: t('edit_case'),
        kind: 'update_case',
        method: 'PATCH',
        path: base,
        fields: [
          choices({ legend: t('category'), name: 'category', options: options('category'), value: c.category }),
          field({ label: t('summary'), name: 'summary', multiline: true, required: true, value: c.summary }),
          field({ label: t('notes'), name: 'notes', multiline: true, value: c.notes || '' }),
        ],
        check: (v) => (v.summary.trim() ? [] : [{ field: 'summary', message: t('required') }]),
        // Only what changed: a merge with someone else's change then touches fewer fields.
        build: (v) => {
          /** @type {UpdateCase} */
          const out = {};
          if (v.category && v.category !== c.category) out.category = v.category;
          if (v.summary.trim() !== c.summary) out.summary = v.summary.trim();
          if ((v.notes.trim() || null) !== (c.notes || null)) out.notes = v.notes.trim() || null;
          return out;
        },
      };
  }
  return null;
}

/**
 * Draws the form for `which` and queues the command on submit.
 * @param {import('../app.js').App} app @param {Case} c @param {string} which @param {boolean} unsent the case itself is still in the outbox
 */
export async function commandForm(app, c, which, unsent) {
  const s = await spec(app, c, which);
  if (!s) return null;
  const form = /** @type {HTMLFormElement} */ (
    h(
      'form',
      { novalidate: true },
      h('h2', null, s.title),
      s.fields,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', class: 'primary wide' }, t('save')),
        h('a', { class: 'button', href: `#/cases/${c.id}` }, t('cancel')),
      ),
    )
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const v = formValues(form);
    const errs = s.check ? s.check(v) : [];
    if (errs.length) {
      showFieldErrors(form, errs);
      return;
    }
    const body = s.build(v);
    if (s.method === 'PATCH' && !Object.keys(body).length) {
      app.go(`#/cases/${c.id}`);
      return;
    }
    await app.outbox.add({
      kind: s.kind,
      method: s.method || 'POST',
      path: s.path,
      body,
      caseId: c.id,
      // Only an edit names the version it was made on; commands are checked against the case's
      // state by the server (409), so another person's session does not block this one.
      ifMatch: s.method === 'PATCH' && !unsent ? c.version : undefined,
      chain: (s.method === 'PATCH' && unsent) || undefined,
      label: s.title,
    });
    app.toast(t('queued'));
    app.flush();
    app.go(`#/cases/${c.id}`);
  });
  return form;
}
