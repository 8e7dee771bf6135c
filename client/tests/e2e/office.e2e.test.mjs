// End to end, the office: the commune justice officer's screens, the leadership's read-only view
// and the administrator's, on the demo commune (a fresh database seeded by `serve --demo`), each
// screen at 360×640 and 1366×768 with axe.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Admin } from './server.mjs';
import { assertNoPageProblems, command, demoWorld, launch, newPage, screens, signIn, skipReason } from './harness.mjs';

const skip = skipReason();
if (skip) test('office screens', { skip }, () => {});

const YEAR = new Date().getFullYear();
/** @param {number} r */
const pct = (r) => `${(r * 100).toFixed(1).replace('.', ',')}%`;

describe('office screens', { skip: skip || false }, () => {
  /** @type {any} */
  let w;
  before(async () => {
    w = await demoWorld();
  });
  after(async () => {
    await w?.stop();
  });

  /** Saved (back on the case), then accepted by the server (the outbox is empty). @param {any} page */
  const saveAndSend = async (page) => {
    const before = await page.evaluate(() => location.hash);
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.waitForFunction((h) => location.hash !== h, before);
    // Polled from here: waitForFunction does not wait for an async predicate's answer.
    for (let i = 0; (await page.evaluate(() => window.hoagiai.outbox.count())) !== 0; i++) {
      assert.ok(i < 150, 'the outbox empties');
      await new Promise((r) => setTimeout(r, 100));
    }
    // The page redraws from the server's answer.
    await page.locator('main .badge.wait').waitFor({ state: 'detached' });
    await settled(page);
  };

  /** @param {any} page */
  const settled = (page) => page.waitForFunction(() => !window.hoagiai.rendering && !document.querySelector('main .loading'));

  /** @param {any} page @param {string} hash */
  const open = async (page, hash) => {
    await page.goto(`${w.client.base}/${hash}`);
    await page.waitForFunction((h) => location.hash === h && !window.hoagiai.rendering && !document.querySelector('main .loading'), hash);
  };

  test('the officer: cases (filter, search, correct, transfer), teams, trainings, funding, fees, review, statistics, reports', async () => {
    const api = await w.as('canbo.tuphap');
    const b = await launch();
    try {
      const page = await newPage(b.context);
      await signIn(page, w.client.base, 'canbo.tuphap', w.logins['canbo.tuphap']);
      await page.locator('#title', { hasText: 'Tổng quan của xã' }).waitFor();
      await screens(page, '30-can-bo-tong-quan');
      // The phone's bottom bar has "Khác" with every other screen.
      await page.getByRole('link', { name: 'Khác' }).click();
      await page.getByRole('link', { name: 'Kinh phí' }).waitFor();
      await screens(page, '31-can-bo-khac');

      // Cases: the commune's, filtered as the API filters them.
      await open(page, '#/cases');
      await page.locator('#title', { hasText: 'Vụ việc của xã' }).waitFor();
      await page.getByLabel('Tình trạng').selectOption('successful');
      const successful = await api.call('GET', `/api/v1/cases?status=successful&received_from=${YEAR}-01-01&received_to=${YEAR}-12-31&with_total=true&limit=1`);
      await page.locator('#oc-count', { hasText: `Tìm thấy ${successful.total} vụ, việc` }).waitFor();
      assert.ok(successful.total > 0, 'the demo has successful cases this year');
      await screens(page, '32-can-bo-vu-viec');
      await page.getByLabel('Tình trạng').selectOption('open');
      const open_ = await api.call('GET', `/api/v1/cases?open=true&received_from=${YEAR}-01-01&received_to=${YEAR}-12-31&limit=100`);
      await page.locator('#oc-count', { hasText: `Tìm thấy ${open_.items.length} vụ, việc` }).waitFor();
      const target = open_.items[0];
      const word = target.party_names[0];
      await page.getByLabel('Tìm theo tên, nội dung').fill(word);
      await page.locator(`a.card[href="#/cases/${target.id}"]`).click();
      await command(page, 'Đính chính vụ việc');
      await settled(page);
      const r0 = await page.evaluate(() => window.hoagiai.route);
      await page.getByLabel('Nội dung chính của vụ việc').fill('Tranh chấp lối đi chung (đính chính của cán bộ)');
      await screens(page, '33-can-bo-dinh-chinh');
      assert.equal(await page.evaluate(() => window.hoagiai.route), r0, 'the form was not drawn again');
      await saveAndSend(page);
      let c = await api.call('GET', `/api/v1/cases/${target.id}`);
      assert.equal(c.summary, 'Tranh chấp lối đi chung (đính chính của cán bộ)');
      assert.equal(c.version, target.version + 1, 'one PATCH, with If-Match');
      // Transfer to another team.
      await command(page, 'Chuyển sang tổ hòa giải khác');
      await settled(page);
      const choice = page.locator('fieldset.choices label').first();
      const newTeam = (await choice.textContent()).trim();
      await choice.click();
      await screens(page, '34-can-bo-chuyen-to');
      await saveAndSend(page);
      c = await api.call('GET', `/api/v1/cases/${target.id}`);
      const teams = await api.call('GET', '/api/v1/teams?limit=100');
      assert.equal(teams.items.find((x) => x.id === c.team_id).name, newTeam, 'moved to the chosen team');
      assert.ok(c.transferred_from, 'the first log-book line is kept');

      // Teams: the composition warnings from the server, a team's mediators, adding one.
      await open(page, '#/teams');
      await page.locator('.warnings .warn').first().waitFor();
      await screens(page, '35-can-bo-to-hoa-giai');
      const team = teams.items.find((x) => !x.dissolved_on);
      await open(page, `#/teams/${team.id}`);
      await page.getByText('Quá trình tham gia tổ').first().waitFor();
      await page.getByText('+ Thêm hòa giải viên').click();
      await page.getByLabel('Họ và tên').fill('Vũ Thị Mơ');
      await page.locator('label', { hasText: 'Nữ' }).click();
      await page.getByLabel('Năm sinh').fill('1980');
      await screens(page, '36-can-bo-to-va-hoa-giai-vien');
      await page.getByRole('button', { name: 'Thêm hòa giải viên' }).click();
      await page.locator('.card', { hasText: 'Vũ Thị Mơ' }).waitFor();
      const ms = await api.call('GET', `/api/v1/mediators?team_id=${team.id}&limit=100`);
      assert.ok(ms.items.some((m) => m.full_name === 'Vũ Thị Mơ' && m.current_team_id === team.id));

      // Trainings: the coverage as the API counts it, against 100 %.
      await open(page, '#/trainings');
      const cov = await api.call('GET', `/api/v1/trainings/coverage?year=${YEAR}`);
      await page.locator('#tr-coverage', { hasText: `${cov.trained}/${cov.active_mediators} hòa giải viên` }).waitFor();
      await page.getByText('+ Ghi buổi tập huấn').click();
      await page.getByLabel('Tên lớp').fill('Bồi dưỡng kỹ năng lập văn bản hòa giải thành');
      await page.getByLabel('Đơn vị tổ chức').fill('UBND xã Hải Hưng');
      await page.locator('fieldset.checks label').first().click();
      await screens(page, '37-can-bo-tap-huan');
      await page.getByRole('button', { name: 'Ghi buổi tập huấn' }).click();
      await page.locator('.card', { hasText: 'Bồi dưỡng kỹ năng lập văn bản hòa giải thành' }).waitFor();
      const trs = await api.call('GET', `/api/v1/trainings?year=${YEAR}&limit=100`);
      assert.equal(trs.items.find((x) => x.title === 'Bồi dưỡng kỹ năng lập văn bản hòa giải thành').present_count, 1);

      // Funding: team support at the province's rate; a different amount warns, and nothing is
      // paid before the confirmation.
      await open(page, '#/funding');
      await page.locator('#team-support table').waitFor();
      await screens(page, '38-can-bo-kinh-phi');
      const policies = await api.call('GET', '/api/v1/funding/policies');
      // The rate of the province the commune is in today.
      const me = await api.call('GET', '/api/v1/me');
      const commune = await api.call('GET', `/api/v1/units/${me.unit_id}`);
      const support = policies.find((p) => p.item === 'team_support' && !p.valid_to && p.unit_id === commune.parent_id);
      assert.ok(support, 'the demo has a team support rate');
      await page.getByText('+ Ghi khoản chi').click();
      const amount = page.getByLabel('Số tiền chi (đồng)');
      assert.equal(await amount.inputValue(), String(support.rate), 'prefilled with the rate');
      await amount.fill(String(support.rate + 50000));
      await page.getByText('khác mức theo Nghị quyết').waitFor();
      const before_ = await api.call('GET', `/api/v1/funding/disbursements?year=${YEAR}&limit=100`);
      await page.locator('#fu-pay').click();
      await page.getByRole('group', { name: 'Xác nhận' }).waitFor();
      await screens(page, '39-can-bo-xac-nhan-chi');
      assert.equal((await api.call('GET', `/api/v1/funding/disbursements?year=${YEAR}&limit=100`)).items.length, before_.items.length, 'nothing paid before confirming');
      await page.getByRole('group', { name: 'Xác nhận' }).getByRole('button', { name: 'Chi' }).click();
      await page.locator('td', { hasText: 'Khác mức quy định' }).first().waitFor();
      const after_ = await api.call('GET', `/api/v1/funding/disbursements?year=${YEAR}&limit=100`);
      assert.equal(after_.items.length, before_.items.length + 1, 'paid once');
      assert.equal(after_.items.find((d) => d.amount === support.rate + 50000)?.item, 'team_support');
      // Confirmation lists: listed at any time, printable as the server's page.
      const lists = await api.call('GET', `/api/v1/funding/confirmation-lists?year=${YEAR}`);
      if (lists.length) {
        await page.locator('#lists .card').first().waitFor();
        await page.locator('#lists').getByRole('button', { name: 'Xem danh sách' }).first().click();
        await page.locator('#lists table.sheet').waitFor();
        assert.equal(await page.locator('#lists table.sheet tbody tr').count(), lists[0].lines.length + 1, 'every line and the total');
        const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#lists').getByRole('button', { name: 'Bản in (HTML)' }).first().click()]);
        assert.match(download.suggestedFilename(), /^danh-sach-xac-nhan-.*\.html$/);
        const html = await (await import('node:fs/promises')).readFile(await download.path(), 'utf8');
        assert.match(html, /<table/);
      }

      // Review: the year-end report's lines as the API gives them; an award.
      await open(page, '#/review');
      const ye = await api.call('GET', `/api/v1/review/year-end?year=${YEAR}`);
      await page.locator('#year-end td', { hasText: pct(ye.plan.find((p) => p.code === 'success_rate_of_concluded').value) }).first().waitFor();
      await page.getByText('+ Ghi khen thưởng').click();
      await page.getByLabel('Hình thức khen thưởng').fill('Giấy khen');
      await page.getByLabel('Thành tích').fill('Hòa giải thành 100% vụ việc');
      await screens(page, '40-can-bo-danh-gia');
      await page.getByRole('button', { name: 'Ghi khen thưởng' }).click();
      await page.locator('td', { hasText: 'Hòa giải thành 100% vụ việc' }).waitFor();

      // Statistics: charts drawn from the API's figures.
      await open(page, '#/stats');
      const ind = await api.call('GET', `/api/v1/stats/indicators?period=${YEAR}&by=month`);
      await page.locator('#st-rates dd', { hasText: pct(ind.figures.cases.success_rate_of_concluded) }).first().waitFor();
      const bars = await page.locator('svg.chart').first().locator('rect').count();
      assert.equal(bars, ind.breakdown.length * 2, 'two columns a month');
      await page.locator('#access table').waitFor();
      await screens(page, '41-can-bo-thong-ke');

      // Reports: submit (after a confirmation) freezes a version.
      await open(page, '#/reports');
      await page.getByText('+ Lập và nộp báo cáo').click();
      await page.getByLabel('Vụ việc tiếp nhận mới').fill('3');
      await page.locator('#rp-submit').click();
      await page.getByRole('group', { name: 'Xác nhận' }).waitFor();
      await screens(page, '42-can-bo-bao-cao');
      await page.getByRole('group', { name: 'Xác nhận' }).getByRole('button', { name: 'Nộp báo cáo' }).click();
      await page.locator('.card.report').first().waitFor();
      const reps = await api.call('GET', `/api/v1/stats/reports?year=${YEAR}`);
      assert.equal(reps.length, 1);
      assert.equal(reps[0].estimates.new, 3);
      const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Tải Excel' }).first().click()]);
      assert.match(xlsx.suggestedFilename(), /\.xlsx$/);

      // The log book: the officer chooses the team.
      await open(page, '#/logbook');
      await page.getByLabel('Chọn tổ hòa giải').waitFor();
      assertNoPageProblems(page);
    } finally {
      await b.close();
    }
  });

  test('the officer: data-subject requests (register, due date, export, answer), pseudonymisation, and a removal from a team', async () => {
    const api = await w.as('canbo.tuphap');
    const enums = await api.call('GET', '/api/v1/meta/enums');
    const vi = (/** @type {string} */ name, /** @type {string} */ code) => enums[name].find((e) => e.code === code).vi;
    /** @param {string} iso */
    const fmt = (iso) => iso.split('-').reverse().join('/');
    const today = new Date().toLocaleDateString('sv-SE');
    // A mediator of the commune with no sign-in account (the demo's mediators who sign in keep theirs).
    const users = await api.call('GET', '/api/v1/users?limit=100');
    const linked = new Set(users.items.map((u) => u.mediator_id).filter(Boolean));
    const all = (await api.call('GET', '/api/v1/mediators?limit=100')).items;
    const running = (m) => (m.memberships || []).find((x) => !x.to_date);
    const free = all.filter((m) => !linked.has(m.id) && running(m)?.role === 'member');
    assert.ok(free.length >= 2, 'the demo has members with no account');
    const [subject, leaving] = free;
    // The demo's register already holds requests: this test's are the new ones.
    const before = new Set((await api.call('GET', '/api/v1/privacy/requests')).items.map((r) => r.id));
    const openBefore = (await api.call('GET', '/api/v1/privacy/requests?status=open')).items.length;

    const b = await launch();
    try {
      const page = await newPage(b.context);
      await signIn(page, w.client.base, 'canbo.tuphap', w.logins['canbo.tuphap']);
      // Reached from "Khác" on a phone.
      await open(page, '#/menu');
      await page.getByRole('link', { name: 'Quyền của chủ thể dữ liệu' }).click();
      await page.waitForFunction(() => location.hash === '#/privacy' && !window.hoagiai.rendering && !document.querySelector('main .loading'));
      await page.locator('#title', { hasText: 'Quyền của chủ thể dữ liệu' }).waitFor();
      await page.locator('#pv-count', { hasText: `${openBefore} yêu cầu` }).waitFor();

      // Register a request about a mediator.
      await page.getByText('+ Ghi nhận yêu cầu').click();
      const form = page.locator('#pv-register');
      await form.locator('label', { hasText: vi('subject_request_kind', 'access') }).click();
      await form.getByLabel('Hòa giải viên', { exact: true }).selectOption(subject.id);
      await form.getByLabel('Người gửi yêu cầu').fill(subject.full_name);
      await form.getByLabel('Nội dung yêu cầu').fill('Xin được biết xã đang lưu những thông tin gì về tôi.');
      await screens(page, '43-can-bo-quyen-du-lieu');
      await form.getByRole('button', { name: 'Ghi nhận yêu cầu' }).click();
      await page.waitForFunction(() => /^#\/privacy\/[\w-]+$/.test(location.hash) && !window.hoagiai.rendering && !document.querySelector('main .loading'));
      const reqs = (await api.call('GET', '/api/v1/privacy/requests')).items.filter((r) => !before.has(r.id));
      assert.equal(reqs.length, 1, 'registered once');
      const req = reqs[0];
      assert.equal(req.mediator_id, subject.id);
      assert.equal(req.kind, 'access');
      assert.equal(req.received_on, today);
      assert.equal(await page.evaluate(() => location.hash), `#/privacy/${req.id}`);
      await page.locator('#pv-due', { hasText: fmt(req.due_on) }).waitFor();
      await page.locator('#pv-subject', { hasText: subject.full_name }).waitFor();

      // In the register, with its due day; the "overdue" filter does not list it (due later).
      await open(page, '#/privacy');
      const card = page.locator(`a.card[href="#/privacy/${req.id}"]`);
      await card.locator('.s', { hasText: `Hạn trả lời: ${fmt(req.due_on)}` }).waitFor();
      assert.equal(await card.locator('.badge.overdue').count(), 0);
      const late = (await api.call('GET', '/api/v1/privacy/requests?overdue=true')).items;
      assert.ok(!late.some((r) => r.id === req.id));
      await page.getByLabel('Tình trạng').selectOption('overdue');
      await page.locator('#pv-count', { hasText: `${late.length} yêu cầu` }).waitFor();
      await page.getByLabel('Tình trạng').selectOption('open');
      await card.waitFor();

      // What is held: the summary, and the printable page handed over.
      await card.click();
      await page.waitForFunction(() => !window.hoagiai.rendering && !document.querySelector('main .loading'));
      await page.getByRole('button', { name: 'Xem dữ liệu đang lưu' }).click();
      await page.locator('#pv-export h3', { hasText: `Hồ sơ hòa giải viên: ${subject.full_name}` }).waitFor();
      await page.locator('#pv-export td', { hasText: String(subject.memberships.length) }).first().waitFor();
      await screens(page, '44-can-bo-du-lieu-dang-luu');
      const [html] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'In (HTML)' }).click()]);
      assert.match(html.suggestedFilename(), /^du-lieu-ca-nhan-.*\.html$/);
      const text = await (await import('node:fs/promises')).readFile(await html.path(), 'utf8');
      assert.match(text, /<html/i);
      assert.ok(text.includes(subject.full_name), "the page names the person");

      // The answer, after a confirmation, with If-Match.
      const close = page.locator('#pv-close-form');
      await close.locator('label', { hasText: vi('subject_request_status', 'completed') }).click();
      await close.getByLabel('Kết quả giải quyết').fill('Đã in và trao bản dữ liệu đang lưu cho ông/bà.');
      await page.locator('#pv-close').click();
      await page.getByRole('group', { name: 'Xác nhận' }).getByRole('button', { name: 'Xác nhận' }).click();
      await page.locator('#pv-status', { hasText: vi('subject_request_status', 'completed') }).waitFor();
      assert.equal(await page.locator('#pv-close-form').count(), 0, 'no answer form once answered');
      const closed = await api.call('GET', `/api/v1/privacy/requests/${req.id}`);
      assert.equal(closed.status, 'completed');
      assert.equal(closed.closed_on, today);
      assert.equal(closed.version, req.version + 1);

      // A request about a party: their rows found by the whole name, ticked, registered.
      const cs = await api.call('GET', '/api/v1/cases?limit=50');
      const withParty = await api.call('GET', `/api/v1/cases/${cs.items[0].id}`);
      const person = withParty.parties.find((p) => p.full_name);
      const rows = await api.call('GET', `/api/v1/privacy/parties?name=${encodeURIComponent(person.full_name)}`);
      assert.ok(rows.items.length >= 1);
      await open(page, '#/privacy');
      await page.getByText('+ Ghi nhận yêu cầu').click();
      await form.locator('label', { hasText: vi('subject_request_kind', 'correction') }).click();
      await form.locator('label', { hasText: 'Một bên trong vụ, việc hòa giải' }).click();
      await form.getByLabel('Họ và tên đầy đủ của người đó').fill(person.full_name);
      await form.getByRole('button', { name: 'Tìm trong các vụ, việc' }).click();
      await form.locator('#pv-found input[name=party_ids]').first().waitFor();
      assert.equal(await form.locator('#pv-found input[name=party_ids]:checked').count(), rows.items.length, 'every row found is ticked');
      await form.getByLabel('Người gửi yêu cầu').fill(person.full_name);
      await screens(page, '45-can-bo-yeu-cau-cua-mot-ben');
      await form.getByRole('button', { name: 'Ghi nhận yêu cầu' }).click();
      await page.waitForFunction(() => /^#\/privacy\/[\w-]+$/.test(location.hash) && !window.hoagiai.rendering);
      const party = (await api.call('GET', '/api/v1/privacy/requests?status=open')).items.find((r) => !r.mediator_id && !before.has(r.id));
      assert.deepEqual(party.parties.map((p) => p.party_id).sort(), rows.items.map((p) => p.party_id).sort());
      await page.locator('#pv-subject li', { hasText: person.full_name }).first().waitFor();

      // Pseudonymisation asks first, then shows what was done (nothing closed a century ago).
      await open(page, '#/privacy');
      await page.locator('#pseudonymise summary').click();
      await page.getByLabel('Số năm lưu giữ sau khi kết thúc (1–100)').fill('100');
      await page.locator('#pv-pseudo').click();
      await page.getByRole('group', { name: 'Xác nhận' }).waitFor();
      await screens(page, '46-can-bo-an-danh-hoa');
      await page.getByRole('group', { name: 'Xác nhận' }).getByRole('button', { name: 'Ẩn danh hóa' }).click();
      await page.locator('#pv-pseudo-result', { hasText: 'Đã ẩn danh hóa 0 vụ việc' }).waitFor();

      // Ending a membership for a violation: refused without the Front committee head's request,
      // accepted with it, the reason and the chairman's decision; the removal is then shown.
      const team = running(leaving).team_id;
      await open(page, `#/teams/${team}`);
      const mcard = page.locator('li.card', { hasText: leaving.full_name });
      await mcard.getByRole('button', { name: 'Thôi làm hòa giải viên của tổ' }).dispatchEvent('click');
      const end = mcard.locator('form.end-membership');
      await end.locator('label', { hasText: vi('membership_end_reason', 'violation') }).click();
      await end.getByLabel('Lý do cho thôi làm hòa giải viên').fill('Nhiều lần tiết lộ thông tin của các bên.');
      await end.getByRole('button', { name: 'Thôi làm hòa giải viên của tổ' }).click();
      await end.getByRole('group', { name: 'Xác nhận' }).getByRole('button', { name: 'Xác nhận' }).click();
      await end.locator('.field-error', { hasText: 'Trưởng ban công tác Mặt trận' }).waitFor();
      await screens(page, '47-can-bo-cho-thoi-thieu-de-nghi');
      let still = await api.call('GET', `/api/v1/mediators/${leaving.id}`);
      assert.ok(running(still), 'nothing ended without the request');
      await end.locator('label', { hasText: vi('removal_requester', 'front_committee_head') }).click();
      await end.getByLabel('Ngày đề nghị').fill(today);
      await end.getByLabel('Số quyết định cho thôi làm hòa giải viên').fill('25/QĐ-UBND');
      await end.getByLabel('Ngày quyết định').fill(today);
      await end.getByRole('button', { name: 'Thôi làm hòa giải viên của tổ' }).click();
      await end.getByRole('group', { name: 'Xác nhận' }).getByRole('button', { name: 'Xác nhận' }).click();
      // Gone from the team's mediators, listed among those who left, with the removal.
      await page.locator('#former summary', { hasText: 'Hòa giải viên đã thôi' }).click();
      const gone = page.locator('#former li.card', { hasText: leaving.full_name });
      await gone.locator('.s', { hasText: `đề nghị của ${vi('removal_requester', 'front_committee_head')} ngày ${fmt(today)}` }).waitFor();
      await gone.locator('.s', { hasText: 'lý do: Nhiều lần tiết lộ thông tin của các bên, quyết định cho thôi 25/QĐ-UBND' }).waitFor();
      await screens(page, '48-can-bo-hoa-giai-vien-da-thoi');
      still = await api.call('GET', `/api/v1/mediators/${leaving.id}`);
      const ended = still.memberships.find((x) => x.team_id === team && x.end_reason === 'violation');
      assert.ok(ended && ended.to_date, 'ended');
      assert.equal(ended.removal_requested_by, 'front_committee_head');
      assert.equal(ended.removal_requested_on, today);
      assert.equal(ended.end_decision, '25/QĐ-UBND');
      assertNoPageProblems(page);
    } finally {
      await b.close();
    }
  });

  test("an officer of the province: no data-subject register in the menu, and the server's refusal explained", async () => {
    const admin = await w.as('admin');
    const officer = await w.as('canbo.tuphap');
    const me = await officer.call('GET', '/api/v1/me');
    const commune = await officer.call('GET', `/api/v1/units/${me.unit_id}`);
    const password = 'province-officer-123';
    await admin.call('POST', '/api/v1/users', { username: 'canbo.tinh', display_name: 'Chuyên viên Sở Tư pháp', role: 'officer', unit_id: commune.parent_id, password });
    const b = await launch();
    try {
      const page = await newPage(b.context);
      await signIn(page, w.client.base, 'canbo.tinh', password);
      await page.waitForFunction(() => window.hoagiai.unitLevel === 'province');
      await page.locator('#nav a[href="#/teams"]').waitFor({ state: 'attached' });
      assert.equal(await page.locator('#nav a[href="#/privacy"]').count(), 0, 'not in the menu');
      await open(page, '#/privacy');
      await page.locator('#pv-forbidden', { hasText: 'công chức tư pháp – hộ tịch của xã' }).waitFor();
      assert.equal(await page.locator('main form').count(), 0, 'no form');
      await screens(page, '49-can-bo-tinh-quyen-du-lieu');
      assertNoPageProblems(page);
    } finally {
      await b.close();
    }
  });

  test("the commune leadership (viewer): the same screens, read only", async () => {
    const b = await launch();
    try {
      const page = await newPage(b.context);
      await signIn(page, w.client.base, 'chutich.xa', w.logins['chutich.xa']);
      await page.locator('#title', { hasText: 'Tổng quan của xã' }).waitFor();
      assert.equal(await page.locator('#nav a[href="#/privacy"]').count(), 0, 'no data-subject register for the leadership');
      assert.equal(await page.getByText('Vai trò này').count(), 0, 'no dead end');
      const screens_ = [
        ['#/cases', '50-xem-vu-viec'],
        ['#/teams', '51-xem-to'],
        ['#/trainings', '52-xem-tap-huan'],
        ['#/funding', '53-xem-kinh-phi'],
        ['#/fees', '54-xem-thu-lao'],
        ['#/review', '55-xem-danh-gia'],
        ['#/stats', '56-xem-thong-ke'],
        ['#/reports', '57-xem-bao-cao'],
      ];
      for (const [hash, name] of screens_) {
        await open(page, hash);
        assert.equal(await page.locator('main details.add, main form button[type=submit]').count(), 0, `${hash}: no write form`);
        assert.equal(await page.locator('#fees-pay, #fu-pay').count(), 0, `${hash}: nothing to pay`);
        if (hash !== '#/cases' && hash !== '#/fees' && hash !== '#/stats') await page.getByText('Chỉ xem: vai trò của bạn không sửa được dữ liệu này.').waitFor();
        await screens(page, name);
      }
      // A case opens with no command offered.
      await open(page, '#/cases');
      await page.locator('main a.card').first().click();
      await page.locator('main dl.facts').waitFor();
      assert.equal(await page.locator('main .actions a.button').count(), 0, 'no command on a case');
      assertNoPageProblems(page);
    } finally {
      await b.close();
    }
  });

  test('the administrator: accounts, connected systems (secret once, revoke), units read only', async () => {
    const api = await w.as('admin');
    const b = await launch();
    try {
      const page = await newPage(b.context);
      await signIn(page, w.client.base, 'admin', w.logins.admin);
      await open(page, '#/admin/users');
      await page.locator('table.data').waitFor();
      await page.getByText('+ Thêm tài khoản').click();
      await page.getByLabel('Tên đăng nhập').fill('pho.chutich');
      await page.getByLabel('Tên hiển thị').fill('Phó Chủ tịch UBND xã');
      // A leader's account is linked to a mediator; a viewer's is not.
      await page.getByLabel('Vai trò').selectOption('team_leader');
      await page.getByLabel('Là hòa giải viên').waitFor();
      await page.getByLabel('Vai trò').selectOption('viewer');
      await page.getByLabel('Là hòa giải viên').waitFor({ state: 'hidden' });
      const units = await api.call('GET', '/api/v1/units?level=commune&code=11257');
      await page.getByLabel('Đơn vị').selectOption(units.items.find((u) => !u.valid_to).id);
      await screens(page, '60-quan-tri-tai-khoan');
      await page.getByRole('button', { name: 'Thêm tài khoản' }).click();
      const gen = await page.locator('#us-generated').textContent();
      const password = /pho\.chutich: (\S+) —/.exec(gen)[1];
      // The shown password works.
      await new Admin(w.server.base).login('pho.chutich', password);

      await open(page, '#/admin/clients');
      await page.getByText('+ Đăng ký hệ thống').click();
      await page.getByLabel('Tên hệ thống').fill('Bảng số liệu của huyện đoàn');
      await page.getByRole('button', { name: 'Đăng ký hệ thống' }).click();
      await page.locator('#cl-secret').waitFor();
      await screens(page, '61-quan-tri-he-thong-ket-noi');
      const card = page.locator('.card', { hasText: 'Bảng số liệu của huyện đoàn' });
      // Under the fixed bottom bar on a phone now and then: the click is dispatched to the button itself.
      await card.getByRole('button', { name: 'Thu hồi' }).dispatchEvent('click');
      // The confirmation can sit under the same bar (and the secret's note above it): dispatched too.
      await card.getByRole('group', { name: 'Xác nhận' }).getByRole('button', { name: 'Thu hồi' }).dispatchEvent('click');
      await page.locator('.card', { hasText: 'Bảng số liệu của huyện đoàn' }).locator('.badge.bad').waitFor();
      const cl = await api.call('GET', '/api/v1/api-clients?limit=100');
      assert.ok(cl.items.find((x) => x.name === 'Bảng số liệu của huyện đoàn').revoked_at, 'revoked on the server');

      await open(page, '#/admin/units');
      await page.getByText('hoagiai units import --official --province 31').waitFor();
      await page.getByLabel('Tìm theo tên, nội dung').fill('Hải Hưng');
      await page.locator('table.data td', { hasText: 'Xã / phường / đặc khu' }).first().waitFor();
      await screens(page, '62-quan-tri-don-vi');
      assert.equal(await page.locator('main details.add').count(), 0, 'units are read only');
      assertNoPageProblems(page);
    } finally {
      await b.close();
    }
  });

  test("the demo's mediator sees the cases assigned to them", async () => {
    const b = await launch();
    try {
      const page = await newPage(b.context);
      await signIn(page, w.client.base, 'hgv.lan', w.logins['hgv.lan']);
      await page.locator('#title', { hasText: 'Vụ việc được phân công cho tôi' }).waitFor();
      await page.locator('main a.card').first().waitFor();
      await screens(page, '63-hoa-giai-vien-demo');
    } finally {
      await b.close();
    }
  });
});
