// End to end, the leader's phone: screens redraw from the server's answer once the outbox sends
// (badge, status, offered commands, the outbox's own list), and the written agreement, recusal,
// reassignment, deadline exception and referral forms, each queued through the outbox.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Admin } from './server.mjs';
import { LEADER_PASSWORD, assertNoPageProblems, goOffline, launch, newPage, screens, signIn, skipReason, world } from './harness.mjs';

const skip = skipReason();
if (skip) test("the leader's phone", { skip }, () => {});

const day = (n = 0) => {
  const d = new Date(Date.now() - n * 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

describe("the leader's phone", { skip: skip || false }, () => {
  /** @type {any} */
  let w;
  /** @type {Admin} */
  let leader;
  before(async () => {
    w = await world();
    leader = await new Admin(w.server.base).login('lan.nt', LEADER_PASSWORD);
  });
  after(async () => {
    await w?.stop();
  });

  /** A case of the team, assigned to `who` (in progress). @param {string} name @param {any[]} who */
  const caseFor = async (name, who) => {
    const c = await leader.call('POST', '/api/v1/cases', {
      team_id: w.team.id,
      received_on: day(2),
      basis: 'party_request',
      category: 'land',
      summary: `Tranh chấp ranh giới đất (${name})`,
      parties: [
        { kind: 'person', role: 'party', full_name: name, age: 50 },
        { kind: 'person', role: 'party', full_name: 'Lê Văn Tám', age: 48 },
      ],
    });
    for (const m of who) await leader.call('POST', `/api/v1/cases/${c.id}/assignments`, { mediator_id: m.id, chosen_by: 'leader', assigned_on: day(1) });
    return c;
  };

  /** @param {any} page */
  const settled = (page) => page.waitForFunction(() => !window.hoagiai.rendering && !document.querySelector('main .loading'));
  /** @param {any} page */
  const count = (page) => page.evaluate(() => window.hoagiai.outbox.count());
  /** Saves the form, back on the case page. @param {any} page */
  const save = async (page) => {
    const before = await page.evaluate(() => location.hash);
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.waitForFunction((h) => location.hash !== h, before);
    await settled(page);
  };
  /** Saves and waits for the server to accept it. @param {any} page */
  const saveAndSend = async (page) => {
    await save(page);
    for (let i = 0; (await count(page)) !== 0; i++) {
      assert.ok(i < 150, 'sent');
      await new Promise((r) => setTimeout(r, 100));
    }
    // The page redraws from the server's answer.
    await page.locator('main .badge.wait').waitFor({ state: 'detached' });
    await settled(page);
  };
  /** A command on the case page; the rarer ones are folded under "Việc khác". */
  const link = (page, name) => {
    const l = page.locator('main .actions a.button', { hasText: name });
    return {
      count: () => l.count(),
      waitFor: () => l.waitFor({ state: 'attached' }),
      click: async () => {
        if (!(await l.isVisible()) && (await page.locator('main details.more-actions').count())) await page.locator('main details.more-actions > summary').click();
        await l.click();
      },
    };
  };

  test('an end recorded with no signal: once sent, the case shows the server’s record and offers only what it allows; the outbox stops saying it will retry', async () => {
    const c = await caseFor('Nguyễn Văn Một', [w.mediators[1]]);
    const b = await launch();
    try {
      const page = await newPage(b.context);
      await signIn(page, w.client.base, 'lan.nt', LEADER_PASSWORD);
      await page.goto(`${w.client.base}/#/cases/${c.id}`);
      await settled(page);
      await link(page, 'Ghi buổi hòa giải').waitFor();
      assert.equal(await link(page, 'Ghi văn bản hòa giải thành').count(), 0, 'no written agreement before the end');
      assert.equal(await link(page, 'Phân công hòa giải viên').count(), 0, 'a first assignment only while received');
      await screens(page, '70-to-truong-vu-viec-dang-hoa-giai');

      await goOffline(page, b.context);
      await link(page, 'Ghi kết thúc hòa giải').click();
      await page.getByLabel('Nội dung thỏa thuận của các bên').fill('Hai bên thống nhất cắm lại mốc giới theo bản đồ địa chính.');
      await save(page);
      await page.locator('main .badge.wait', { hasText: 'Đang chờ gửi' }).waitFor();
      // Waiting: the record is still the server's last one, but nothing is offered that the end rules out.
      await page.locator('main .badge.st-in_progress', { hasText: 'Đang hòa giải' }).waitFor();
      assert.equal(await link(page, 'Ghi buổi hòa giải').count(), 0, 'no session after a (waiting) end');
      assert.equal(await link(page, 'Ghi kết thúc hòa giải').count(), 0, 'no second end');
      await screens(page, '71-to-truong-ket-thuc-cho-gui');
      await page.goto(`${w.client.base}/#/outbox`);
      await page.getByText(/^Sẽ thử lại lúc/).waitFor();
      await page.goto(`${w.client.base}/#/cases/${c.id}`);
      await settled(page);
      await page.locator('main .badge.wait').waitFor();

      // The signal returns: the screen redraws from the server's answer, with no reload.
      await b.context.setOffline(false);
      await page.locator('main .badge.st-successful', { hasText: 'Hòa giải thành' }).waitFor();
      await page.locator('main .badge.wait').waitFor({ state: 'detached' });
      await page.locator('#sync', { hasText: 'Đã gửi hết' }).waitFor();
      assert.equal(await page.locator('main .badge.st-in_progress').count(), 0);
      assert.equal(await link(page, 'Ghi buổi hòa giải').count(), 0, 'no session on a concluded case');
      await link(page, 'Ghi văn bản hòa giải thành').waitFor();
      await link(page, 'Theo dõi việc thực hiện').waitFor();
      await page.getByText('Hai bên thống nhất cắm lại mốc giới theo bản đồ địa chính.').waitFor();
      await screens(page, '72-to-truong-da-gui');
      assert.equal((await leader.call('GET', `/api/v1/cases/${c.id}`)).status, 'successful');

      // The written agreement, with no signal; the outbox screen is open when the signal returns.
      await goOffline(page, b.context);
      await link(page, 'Ghi văn bản hòa giải thành').click();
      await page.locator('label', { hasText: 'Điểm chỉ' }).click();
      await screens(page, '73-van-ban-hoa-giai-thanh');
      await save(page);
      await page.goto(`${w.client.base}/#/outbox`);
      await page.getByText(/^Sẽ thử lại lúc/).waitFor();
      await screens(page, '74-cho-gui-se-thu-lai');
      await b.context.setOffline(false);
      await page.getByText('Không có việc nào đang chờ gửi.').waitFor();
      assert.equal(await page.getByText(/^Sẽ thử lại lúc/).count(), 0, 'no "will retry" once sent');
      const done = await leader.call('GET', `/api/v1/cases/${c.id}`);
      assert.equal(done.written_agreement?.signature, 'fingerprinted');
      await page.goto(`${w.client.base}/#/cases/${c.id}`);
      await settled(page);
      await page.getByRole('heading', { name: 'Văn bản hòa giải thành' }).waitFor();
      assert.equal(await link(page, 'Ghi văn bản hòa giải thành').count(), 0, 'recorded once');
      assertNoPageProblems(page);
    } finally {
      await b.close();
    }
  });

  test('reassignment, recusal and the deadline exception, then a referral of an unsuccessful case', async () => {
    const [, duc, hoa] = w.mediators;
    const c = await caseFor('Phạm Văn Hai', [duc]);
    const b = await launch();
    try {
      const page = await newPage(b.context);
      await signIn(page, w.client.base, 'lan.nt', LEADER_PASSWORD);
      await page.goto(`${w.client.base}/#/cases/${c.id}`);
      await settled(page);

      // Reassign: Đức is replaced by Hoa in one command.
      await link(page, 'Phân công lại hòa giải viên').click();
      await settled(page);
      await page.getByRole('group', { name: 'Bằng hòa giải viên' }).locator('label', { hasText: hoa.full_name }).click();
      await page.getByLabel('Lý do phân công lại').fill('Hòa giải viên bận việc gia đình');
      await screens(page, '75-phan-cong-lai');
      await saveAndSend(page);
      let rec = await leader.call('GET', `/api/v1/cases/${c.id}`);
      assert.equal(rec.assignments.find((a) => a.mediator_id === duc.id).end_reason, 'reassigned');
      assert.ok(rec.assignments.some((a) => a.mediator_id === hoa.id && !a.ended_on), 'Hoa is assigned');

      // Recusal: Hoa has an interest in the case; her assignment ends as a recusal.
      await link(page, 'Hòa giải viên có quyền lợi liên quan (từ chối)').click();
      await settled(page);
      await page.locator('label', { hasText: `${hoa.full_name} (đang được phân công)` }).click();
      await page.getByLabel('Ghi chú').fill('Là chị gái của một bên');
      await screens(page, '76-tu-choi');
      await saveAndSend(page);
      rec = await leader.call('GET', `/api/v1/cases/${c.id}`);
      assert.equal(rec.assignments.find((a) => a.mediator_id === hoa.id).end_reason, 'recusal');
      assert.ok(rec.conflicts.some((x) => x.mediator_id === hoa.id));
      await page.getByRole('heading', { name: 'Hòa giải viên có quyền lợi liên quan' }).waitFor();

      // The deadline exception.
      await link(page, 'Ghi lý do chưa hòa giải đúng hạn').click();
      await settled(page);
      await page.locator('label', { hasText: 'Các bên thống nhất thời gian khác' }).click();
      await screens(page, '77-ngoai-le-thoi-han');
      await saveAndSend(page);
      rec = await leader.call('GET', `/api/v1/cases/${c.id}`);
      assert.equal(rec.deadline.exception, 'parties_agreed_time');
      await page.getByText('Lý do không bắt đầu hòa giải trong thời hạn').waitFor();
      assert.equal(await link(page, 'Ghi lý do chưa hòa giải đúng hạn').count(), 0, 'recorded once');

      // A case that ended unsuccessfully is sent on to the court.
      const u = await caseFor('Trần Văn Ba', [duc]);
      await leader.call('POST', `/api/v1/cases/${u.id}/sessions`, { held_on: day(0) });
      const ended = await leader.call('GET', `/api/v1/cases/${u.id}`);
      await leader.call('POST', `/api/v1/cases/${u.id}/end`, {
        end_reason: 'party_withdrew',
        ended_on: day(0),
        demands: ended.parties.map((p) => ({ party_id: p.id, demand: 'Giữ nguyên yêu cầu' })),
      });
      await page.goto(`${w.client.base}/#/cases/${u.id}`);
      await settled(page);
      assert.equal(await link(page, 'Ghi văn bản hòa giải thành').count(), 0, 'no written agreement for an unsuccessful case');
      await link(page, 'Ghi chuyển cơ quan có thẩm quyền').click();
      await settled(page);
      await page.getByLabel('Chuyển đến cơ quan').fill('Tòa án nhân dân khu vực 1');
      await screens(page, '78-chuyen-co-quan');
      await saveAndSend(page);
      rec = await leader.call('GET', `/api/v1/cases/${u.id}`);
      assert.equal(rec.referral?.body, 'Tòa án nhân dân khu vực 1');
      await page.getByText('Tòa án nhân dân khu vực 1').first().waitFor();
      assert.equal(await link(page, 'Ghi chuyển cơ quan có thẩm quyền').count(), 0, 'recorded once');
      await screens(page, '79-vu-viec-khong-thanh');
      assertNoPageProblems(page);
    } finally {
      await b.close();
    }
  });
});
