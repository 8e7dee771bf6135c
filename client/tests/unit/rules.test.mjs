// The small rules the screens rely on: what a case becomes once its waiting work is sent, what the
// phone keeps, how a photo is sized, the chart's ticks, and the rate that applies to a commune.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { projected } from '../../src/views/case-page.js';
import { keepOnPhone } from '../../src/data.js';
import { fileName, fitWithin, targetQuery } from '../../src/attachments.js';
import { niceStep } from '../../src/views/office/chart.js';
import { rateOn, yearlyOwed } from '../../src/views/office/funding.js';

test('the status a case will have once its waiting operations are sent (the server’s state machine)', () => {
  assert.equal(projected('received', []), 'received');
  assert.equal(projected('received', [{ kind: 'assign' }]), 'in_progress');
  assert.equal(projected('received', [{ kind: 'assign' }, { kind: 'end', body: { end_reason: 'agreement' } }]), 'successful');
  assert.equal(projected('in_progress', [{ kind: 'end', body: { end_reason: 'party_withdrew' } }]), 'unsuccessful');
  assert.equal(projected('received', [{ kind: 'out_of_scope' }]), 'out_of_scope');
  // A command the machine refuses does not move it: an end on a received case, out of scope once in progress.
  assert.equal(projected('received', [{ kind: 'end', body: { end_reason: 'agreement' } }]), 'received');
  assert.equal(projected('in_progress', [{ kind: 'out_of_scope' }]), 'in_progress');
  assert.equal(projected('successful', [{ kind: 'written_agreement' }, { kind: 'follow_up' }]), 'successful');
});

test('the phone keeps open cases and those concluded in the last 30 days', () => {
  const now = Date.parse('2026-11-30T12:00:00Z');
  assert.equal(keepOnPhone({ id: 'a', status: 'in_progress' }, now), true);
  assert.equal(keepOnPhone({ id: 'a' }, now), true, 'a case not yet sent');
  assert.equal(keepOnPhone({ id: 'a', status: 'successful', updated_at: '2026-11-20T00:00:00Z' }, now), true);
  assert.equal(keepOnPhone({ id: 'a', status: 'unsuccessful', updated_at: '2026-10-01T00:00:00Z' }, now), false);
  assert.equal(keepOnPhone({ id: 'a', status: 'out_of_scope', updated_at: '2026-11-29T00:00:00Z' }, now), false);
  assert.equal(keepOnPhone({ id: 'a', status: 'successful' }, now), false, 'no date: not kept');
});

test('a photo is drawn with its long side at most 1600 px, never enlarged', () => {
  assert.deepEqual(fitWithin(4000, 3000), { width: 1600, height: 1200 });
  assert.deepEqual(fitWithin(1200, 2400), { width: 800, height: 1600 });
  assert.deepEqual(fitWithin(800, 600), { width: 800, height: 600 });
  assert.equal(fileName('C:\\fakepath\\IMG_0001.HEIC', 'image/jpeg'), 'IMG_0001.jpg');
  assert.equal(fileName('văn bản hòa giải.png', 'image/jpeg'), 'văn bản hòa giải.jpg');
  assert.equal(fileName('', 'application/pdf'), 'anh.pdf');
  assert.equal(targetQuery({ team_id: 't', year: 2026 }), 'team_id=t&year=2026');
});

test('chart ticks are round numbers', () => {
  assert.equal(niceStep(0), 1);
  assert.equal(niceStep(7), 2);
  assert.equal(niceStep(40), 10);
  assert.equal(niceStep(130), 50);
});

test("the team support rate is the commune's own province's, in force on the day", () => {
  const p = (unit_id, rate, valid_from, valid_to = null, item = 'team_support', rate_unit = 'per_team_per_year') => ({ id: `${unit_id}${rate}`, unit_id, rate, valid_from, valid_to, item, rate_unit });
  const ps = [p('old', 500000, '2014-07-01', '2023-12-31'), p('old', 1800000, '2024-01-01'), p('new', 2000000, '2025-10-01'), p('new', 450000, '2025-10-01', null, 'case_fee', 'per_case_per_team')];
  const chain = ['commune', 'new'];
  assert.equal(rateOn(/** @type {any} */ (ps), 'team_support', '2026-03-01', chain).rate, 2000000);
  assert.equal(rateOn(/** @type {any} */ (ps), 'team_support', '2025-03-01', chain), undefined, "the new province's rate starts later; the old one is not the commune's");
  assert.equal(rateOn(/** @type {any} */ (ps), 'team_support', '2020-03-01').rate, 500000, 'with no chain: the one in force');
  assert.equal(yearlyOwed(/** @type {any} */ (p('new', 150000, '2025-01-01', null, 'team_support', 'per_team_per_month'))), 1800000);
  assert.equal(yearlyOwed(/** @type {any} */ (p('new', 150000, '2025-01-01', null, 'team_support', 'per_event'))), null);
});

test('every Vietnamese word has its English one (the app and the office screens)', async () => {
  const [{ default: vi }, { default: en }, office] = await Promise.all([import('../../src/i18n/vi.js'), import('../../src/i18n/en.js'), import('../../src/views/office/words.js')]);
  assert.deepEqual(Object.keys(vi).filter((k) => !(k in en)), []);
  assert.deepEqual(Object.keys(office.vi).filter((k) => !(k in office.en)), []);
});
