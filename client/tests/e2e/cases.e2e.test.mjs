// End to end with cases: offline create through the outbox, commands, a conflict between two phones.
// They need the teams / mediators / cases API; on a server without it they are skipped, saying so.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Admin } from './server.mjs';
import { LEADER_PASSWORD, MEDIATOR_PASSWORD, assertNoPageProblems, goOffline, launch, newPage, screen, signIn, skipReason, world } from './harness.mjs';

const skip = skipReason();
// A skipped suite is not counted in the summary; a skipped test is.
if (skip) test('cases on the phone', { skip }, () => {});

describe('cases on the phone', { skip: skip || false }, () => {
  /** @type {any} */
  let w;
  /** @type {string} */
  let caseId = '';
  before(async () => {
    w = await world();
  });
  after(async () => {
    await w?.stop();
  });

  const needCases = (t) => {
    if (!w.hasCases || !w.team) {
      if (process.env.CI === 'true') throw new Error('the server has no teams/mediators/cases API: in CI that is a failure, not a skip');
      t.skip('the server has no teams/mediators/cases API yet (issue 3)');
      return true;
    }
    return false;
  };

  /** @param {any} page */
  const pill = (page, text) => page.locator('#sync').filter({ hasText: text }).waitFor();
  /** Saved (left the form), then accepted by the server (the outbox is empty). @param {any} page */
  const saveAndSend = async (page) => {
    const before = await page.evaluate(() => location.hash);
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.waitForFunction((h) => location.hash !== h, before);
    // Polled from here: waitForFunction does not wait for an async predicate's answer.
    // @ts-ignore
    for (let i = 0; (await page.evaluate(() => window.hoagiai.outbox.count())) !== 0; i++) {
      assert.ok(i < 150, 'the outbox empties');
      await new Promise((r) => setTimeout(r, 100));
    }
    await pill(page, 'Đã gửi hết');
  };

  test('a case made with no signal waits, is sent when the signal returns, and exists once', async (t) => {
    if (needCases(t)) return;
    const b = await launch();
    try {
      const page = await newPage(b.context);
      await signIn(page, w.client.base, 'lan.nt', LEADER_PASSWORD);
      await page.goto(w.client.base + '/#/cases/new');
      await page.getByRole('button', { name: 'Gửi vụ việc' }).waitFor();
      await goOffline(page, b.context);
      await page.locator('label', { hasText: 'Đất đai' }).click();
      await page.locator('label', { hasText: 'Một bên hoặc các bên yêu cầu hòa giải' }).click();
      await page.getByLabel('Nội dung chính của vụ việc').fill('Tranh chấp lối đi chung giữa hai hộ liền kề.');
      await page.getByLabel('Họ và tên').fill('Nguyễn Văn An');
      await page.getByLabel('Tuổi').fill('62');
      await page.getByLabel('Địa chỉ').fill('Thôn Hội Yên');
      await page.getByRole('button', { name: '+ Thêm một bên' }).click();
      await page.getByLabel('Họ và tên').fill('Trần Thị Bình');
      await page.getByLabel('Tuổi').fill('55');
      await page.getByRole('button', { name: '+ Thêm một bên' }).click();
      await page.getByText('Đã lưu nháp trên máy').waitFor();
      await screen(page, '10-vu-viec-moi');

      // The first send reaches the server but its answer is lost: the retry carries the same
      // Idempotency-Key, and the server answers with the first result instead of a second case.
      const sentKeys = w.client.tap.loseFirst((/** @type {{method: string, path: string}} */ r) => r.method === 'POST' && r.path === '/api/v1/cases');

      await page.getByRole('button', { name: 'Gửi vụ việc' }).click();
      await page.getByRole('heading', { name: 'Nguyễn Văn An – Trần Thị Bình' }).waitFor();
      await page.locator('.badge.wait', { hasText: 'Đang chờ gửi' }).first().waitFor();
      await pill(page, 'Đang chờ gửi: 1');
      await screen(page, '11-vu-viec-cho-gui');
      caseId = await page.evaluate(() => location.hash.split('/')[2]);

      await page.goto(w.client.base + '/#/');
      await page.locator('.card.pending').waitFor();
      // Search ignores diacritics.
      await page.getByLabel('Tìm theo tên, nội dung').fill('nguyen van an');
      await page.locator('.card', { hasText: 'Nguyễn Văn An' }).waitFor();
      await page.getByLabel('Tìm theo tên, nội dung').fill('');

      await b.context.setOffline(false);
      await pill(page, 'Đã gửi hết');
      const keys = sentKeys();
      assert.ok(keys.length >= 2 && keys.every((k) => k === keys[0]), 'the first answer was lost on the way, the retry had the same key');
      const list = await w.admin.call('GET', `/api/v1/cases?team_id=${w.team.id}`);
      assert.equal(list.items.length, 1, 'exactly one case');
      assert.equal(list.items[0].id, caseId, 'with the id the phone gave it');
      await page.reload();
      await page.locator('.card', { hasText: 'Nguyễn Văn An' }).waitFor();
      assert.equal(await page.locator('.card.pending').count(), 0);
      await screen(page, '12-danh-sach');
      assertNoPageProblems(page);
    } finally {
      await b.close();
    }
  });

  test('the leader assigns a mediator, the mediator records a session, the leader records the end and a follow-up', async (t) => {
    if (needCases(t) || !caseId) return t.skip('needs the case of the previous test');
    const b = await launch();
    try {
      const page = await newPage(b.context);
      await signIn(page, w.client.base, 'lan.nt', LEADER_PASSWORD);
      await page.goto(`${w.client.base}/#/cases/${caseId}`);
      await page.getByRole('link', { name: 'Phân công hòa giải viên' }).click();
      await page.locator('label', { hasText: 'Trần Văn Đức' }).click();
      await screen(page, '13-phan-cong');
      await saveAndSend(page);
      await page.reload();
      await page.getByText('Trần Văn Đức').first().waitFor();
      await screen(page, '14-trang-vu-viec');

      await page.goto(w.client.base + '/#/mediators');
      await page.locator('.card', { hasText: 'Lê Thị Hoa' }).waitFor();
      await screen(page, '15-hoa-giai-vien');
      await page.goto(w.client.base + '/#/logbook');
      await page.getByRole('button', { name: 'Xem và in' }).click();
      await page.locator('table.logbook, .warn').first().waitFor();
      await screen(page, '16-so-theo-doi');
      assertNoPageProblems(page);
    } finally {
      await b.close();
    }

    // The mediator: the cases assigned to them, and a session.
    const m = await launch();
    try {
      const page = await newPage(m.context);
      await signIn(page, w.client.base, 'duc.tv', MEDIATOR_PASSWORD);
      await page.locator('#title', { hasText: 'Vụ việc được phân công cho tôi' }).waitFor();
      await page.locator('.card', { hasText: 'Nguyễn Văn An' }).click();
      await page.getByRole('link', { name: 'Ghi buổi hòa giải' }).click();
      await page.getByLabel('Địa điểm').fill('Nhà văn hóa thôn');
      await page.getByLabel('Người được mời tham gia (mỗi dòng một người)').fill('Nguyễn Văn Cường');
      await screen(page, '17-ghi-buoi-hoa-giai');
      await saveAndSend(page);
      assertNoPageProblems(page);
    } finally {
      await m.close();
    }

    const b2 = await launch();
    try {
      const page = await newPage(b2.context);
      await signIn(page, w.client.base, 'lan.nt', LEADER_PASSWORD);
      await page.goto(`${w.client.base}/#/cases/${caseId}/end`);
      await page.getByLabel('Nội dung thỏa thuận của các bên').fill('Hai bên thống nhất mở lối đi rộng 1,5 m.');
      await screen(page, '18-ket-thuc');
      await saveAndSend(page);
      const c = await w.admin.call('GET', `/api/v1/cases/${caseId}`);
      assert.equal(c.status, 'successful');
      await page.goto(`${w.client.base}/#/cases/${caseId}/follow-up`);
      await page.locator('label', { hasText: 'Đã thực hiện' }).click();
      await screen(page, '21-theo-doi-thuc-hien');
      await saveAndSend(page);
      assertNoPageProblems(page);
    } finally {
      await b2.close();
    }
  });

  test('two phones edit one case: the second sees both versions and chooses', async (t) => {
    if (needCases(t)) return;
    // A fresh open case for this test.
    const leaderApi = await new Admin(w.server.base).login('lan.nt', LEADER_PASSWORD);
    const created = await leaderApi.call('POST', '/api/v1/cases', {
      team_id: w.team.id,
      received_on: new Date().toISOString().slice(0, 10),
      basis: 'party_request',
      category: 'neighbourhood',
      summary: 'Tiếng ồn',
      parties: [{ kind: 'person', role: 'party', full_name: 'Phạm Văn Cường' }],
    });
    const a = await launch();
    const b = await launch();
    try {
      const pa = await newPage(a.context);
      const pb = await newPage(b.context);
      await signIn(pa, w.client.base, 'lan.nt', LEADER_PASSWORD);
      await signIn(pb, w.client.base, 'lan.nt', LEADER_PASSWORD);
      await pa.goto(`${w.client.base}/#/cases/${created.id}/edit`);
      await pb.goto(`${w.client.base}/#/cases/${created.id}/edit`);
      await screen(pa, '20-sua-vu-viec');
      await pa.goto(`${w.client.base}/#/cases/${created.id}/escalation`);
      await pa.getByLabel('Đã báo cho').waitFor();
      await screen(pa, '23-bao-nguy-co');
      await pa.goto(`${w.client.base}/#/cases/${created.id}/out-of-scope`);
      await pa.getByLabel('Lý do').waitFor();
      await screen(pa, '24-khong-thuoc-pham-vi');
      await pa.goto(`${w.client.base}/#/cases/${created.id}/edit`);
      await pa.getByLabel('Nội dung chính của vụ việc').fill('Tiếng ồn từ xưởng mộc (A)');
      await pb.getByLabel('Nội dung chính của vụ việc').fill('Tiếng ồn ban đêm (B)');
      await saveAndSend(pa);
      await screen(pa, '22-vu-viec-da-sua');
      await pb.getByRole('button', { name: 'Lưu' }).click();
      await pill(pb, 'Đang chờ gửi: 1');
      await pb.goto(w.client.base + '/#/outbox');
      await pb.getByText('Có người khác đã sửa vụ việc này').first().waitFor();
      await pb.getByText('Tiếng ồn từ xưởng mộc (A)').waitFor();
      await pb.getByText('Tiếng ồn ban đêm (B)').waitFor();
      await screen(pb, '19-xung-dot');
      await pb.getByRole('button', { name: 'Lưu lựa chọn' }).click();
      await pill(pb, 'Đã gửi hết');
      const c = await leaderApi.call('GET', `/api/v1/cases/${created.id}`);
      assert.equal(c.summary, 'Tiếng ồn ban đêm (B)', "B's text, chosen over A's");
      assert.equal(c.version, created.version + 2, 'both edits were applied, in turn');
      assertNoPageProblems(pa);
      assertNoPageProblems(pb);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
