// End to end, on a 360×640 phone: the real server on a fresh SQLite database, Debian's Chromium.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Admin } from './server.mjs';
import { LEADER_PASSWORD, assertNoPageProblems, goOffline, launch, newPage, screen, signIn, skipReason, world } from './harness.mjs';

const skip = skipReason();
// A skipped suite is not counted in the summary; a skipped test is.
if (skip) test('phone client', { skip }, () => {});

describe('phone client', { skip: skip || false }, () => {
  /** @type {any} */
  let w;
  before(async () => {
    w = await world();
  });
  after(async () => {
    await w?.stop();
  });

  test('sign in, the shell opens with no signal, settings in English, sign out clears the phone', async () => {
    const b = await launch();
    try {
      const page = await newPage(b.context);
      await page.goto(w.client.base + '/');
      await page.getByRole('button', { name: 'Đăng nhập' }).waitFor();
      await screen(page, '01-dang-nhap');

      // Wrong password: a plain message, no crash.
      await page.getByLabel('Tên đăng nhập').fill('lan.nt');
      await page.getByLabel('Mật khẩu', { exact: true }).fill('wrong-password-1');
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      await page.getByText('Sai tên đăng nhập hoặc mật khẩu.').waitFor();

      await signIn(page, w.client.base, 'lan.nt', LEADER_PASSWORD);
      await page.locator('#title').filter({ hasText: 'Vụ việc của tổ' }).waitFor();
      await screen(page, '02-vu-viec');

      // The service worker has the shell: with no signal the app still opens, signed in.
      await goOffline(page, b.context);
      await page.reload();
      await page.locator('#title').filter({ hasText: 'Vụ việc của tổ' }).waitFor();
      await page.locator('#sync').filter({ hasText: 'Mất sóng' }).waitFor();
      await page.getByText('Mất sóng — vẫn làm việc được').waitFor();
      await screen(page, '03-mat-song');

      // Work made with no signal waits in the outbox; signing out warns and can be refused.
      await page.evaluate(() =>
        // @ts-ignore
        window.hoagiai.outbox.add({ kind: 'test', method: 'POST', path: '/api/v1/nothing', body: {}, label: 'Thử' }),
      );
      await page.locator('#sync').filter({ hasText: 'Đang chờ gửi: 1' }).waitFor();
      await page.goto(w.client.base + '/#/outbox');
      await page.getByRole('button', { name: 'Gửi ngay' }).waitFor();
      await screen(page, '04-cho-gui');
      await b.context.setOffline(false);

      await page.goto(w.client.base + '/#/settings');
      await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
      await screen(page, '05-cai-dat');
      /** @type {string[]} */
      const dialogs = [];
      page.once('dialog', (d) => {
        dialogs.push(d.message());
        d.dismiss();
      });
      await page.getByRole('button', { name: 'Đăng xuất' }).click();
      await page.waitForTimeout(200);
      assert.match(dialogs[0], /CHƯA GỬI/);
      assert.equal(await page.evaluate(() => location.hash), '#/settings', 'still signed in');

      // English is a switch.
      await page.locator("label", { hasText: "English" }).click();
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      await screen(page, '06-settings-en');
      await page.locator("label", { hasText: "Tiếng Việt" }).click();

      page.once('dialog', (d) => d.accept());
      await page.getByRole('button', { name: 'Đăng xuất' }).click();
      await page.getByRole('button', { name: 'Đăng nhập' }).waitFor();
      const left = await page.evaluate(async () => {
        const db = await new Promise((res, rej) => {
          const r = indexedDB.open('hoagiai');
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
        const out = {};
        for (const s of ['outbox', 'drafts', 'cases', 'meta']) {
          out[s] = await new Promise((res) => {
            // @ts-ignore
            const q = db.transaction(s).objectStore(s).count();
            q.onsuccess = () => res(q.result);
          });
        }
        return { out, caches: (await caches.keys()).filter((k) => !k.startsWith('shell-')) };
      });
      assert.deepEqual(left, { out: { outbox: 0, drafts: 0, cases: 0, meta: 0 }, caches: [] });
      assertNoPageProblems(page);
    } finally {
      await b.close();
    }
  });

  test('an expired access token is refreshed once, shared by parallel requests', async () => {
    const b = await launch();
    try {
      const page = await newPage(b.context);
      await signIn(page, w.client.base, 'lan.nt', LEADER_PASSWORD);
      let refreshes = 0;
      page.on('request', (r) => {
        if (r.url().endsWith('/api/v1/auth/refresh')) refreshes++;
      });
      const statuses = await page.evaluate(async () => {
        // @ts-ignore
        const api = window.hoagiai.api;
        api.auth = { ...api.auth, accessExp: 0 };
        const rs = await Promise.all([1, 2, 3, 4].map(() => api.request('GET', '/api/v1/me')));
        return rs.map((r) => r.status);
      });
      assert.deepEqual(statuses, [200, 200, 200, 200]);
      assert.equal(refreshes, 1);
      // A rejected token (as after the server restarted with another key) also refreshes once.
      const again = await page.evaluate(async () => {
        // @ts-ignore
        const api = window.hoagiai.api;
        api.auth = { ...api.auth, access: 'not-a-token' };
        await api.db.put('meta', { key: 'auth', value: api.auth });
        const rs = await Promise.all([1, 2].map(() => api.request('GET', '/api/v1/me')));
        return rs.map((r) => r.status);
      });
      assert.deepEqual(again, [200, 200]);
      assert.equal(refreshes, 2);

      // Two tabs whose token expired at once: one refresh between them (a Web Lock, and the new
      // pair read back from IndexedDB), as each refresh token works only once.
      const tab2 = await b.context.newPage();
      tab2.on('request', (r) => {
        if (r.url().endsWith('/api/v1/auth/refresh')) refreshes++;
      });
      await tab2.goto(w.client.base + '/#/settings');
      // @ts-ignore
      await tab2.waitForFunction(() => window.hoagiai?.me);
      const expire = async () => {
        // @ts-ignore
        const api = window.hoagiai.api;
        api.auth = { ...api.auth, accessExp: 0 };
        await api.db.put('meta', { key: 'auth', value: api.auth });
      };
      await page.evaluate(expire);
      await tab2.evaluate(expire);
      const call = async () => {
        // @ts-ignore
        const rs = await Promise.all([1, 2].map(() => window.hoagiai.api.request('GET', '/api/v1/me')));
        return rs.map((r) => r.status);
      };
      const [s1, s2] = await Promise.all([page.evaluate(call), tab2.evaluate(call)]);
      assert.deepEqual([...s1, ...s2], [200, 200, 200, 200]);
      assert.equal(refreshes, 3, 'one refresh for both tabs');
      assertNoPageProblems(page);
    } finally {
      await b.close();
    }
  });

  test("an officer sees the commune's figures as the statistics API gives them", async () => {
    await w.admin.call('POST', '/api/v1/users', { username: 'can.bo', display_name: 'Cán bộ Tư pháp', role: 'officer', unit_id: w.commune.id, password: 'officer-password-123' });
    const officer = await new Admin(w.server.base).login('can.bo', 'officer-password-123');
    const year = String(new Date().getFullYear());
    const ind = await officer.call('GET', `/api/v1/stats/indicators?period=${year}&by=unit`);
    const b = await launch();
    try {
      const page = await newPage(b.context);
      await signIn(page, w.client.base, 'can.bo', 'officer-password-123');
      await page.locator('#title', { hasText: 'Tổng quan của xã' }).waitFor();
      await page.getByText('Tỷ lệ hòa giải thành (trên số đã kết thúc)').waitFor();
      const facts = await page.locator('main dl.facts').first().evaluate((dl) => {
        const out = {};
        const dts = dl.querySelectorAll('dt');
        dts.forEach((dt) => (out[dt.textContent] = dt.nextElementSibling.textContent));
        return out;
      });
      assert.equal(facts['Hòa giải thành'], String(ind.figures.cases.successful));
      assert.equal(facts['Hòa giải không thành'], String(ind.figures.cases.unsuccessful));
      assert.match(facts['Tiếp nhận'], new RegExp(`^${ind.figures.cases.received} `));
      await screen(page, '07-tong-quan');
      assertNoPageProblems(page);
    } finally {
      await b.close();
    }
  });

  test('an officer pays the fees of the cases that ended and prints the list to sign', async () => {
    const officer = await new Admin(w.server.base).login('can.bo', 'officer-password-123');
    const day = (n) => {
      const d = new Date(Date.now() - n * 86_400_000);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    };
    await w.admin.call('POST', '/api/v1/funding/policies', {
      unit_id: w.province.id,
      legal_basis: 'Nghị quyết của HĐND thành phố',
      valid_from: '2020-01-01',
      item: 'case_fee',
      rate: 400000,
      rate_unit: 'per_case_per_team',
    });
    // A case of this quarter (today), mediated by two mediators, ended with an agreement.
    const c = await officer.call('POST', '/api/v1/cases', {
      team_id: w.team.id,
      received_on: day(0),
      basis: 'party_request',
      category: 'neighbourhood',
      summary: 'Tranh chấp lối đi chung',
      parties: [{ kind: 'person', full_name: 'Đỗ Văn Hải', age: 60 }],
    });
    for (const m of w.mediators.slice(0, 2)) {
      await officer.call('POST', `/api/v1/cases/${c.id}/assignments`, { mediator_id: m.id, chosen_by: 'leader', assigned_on: day(0) });
    }
    await officer.call('POST', `/api/v1/cases/${c.id}/sessions`, { held_on: day(0) });
    await officer.call('POST', `/api/v1/cases/${c.id}/end`, { end_reason: 'agreement', agreement_text: 'Hai bên thống nhất', ended_on: day(0) });

    const b = await launch();
    try {
      const page = await newPage(b.context);
      await signIn(page, w.client.base, 'can.bo', 'officer-password-123');
      await page.goto(w.client.base + '/#/fees');
      await page.locator('#title', { hasText: 'Thù lao hòa giải viên theo vụ, việc' }).waitFor();
      const pay = page.getByRole('button', { name: /^Chi trả 1 vụ, việc — 400\.000/ });
      await pay.waitFor();
      await screen(page, '08-thu-lao');
      await pay.click();
      // Nothing is paid before the officer confirms the amount.
      await page.getByText('Xác nhận chi 1 vụ, việc, tổng 400.000').waitFor();
      const from0 = day(0).slice(0, 8) + '01';
      assert.equal((await officer.call('GET', `/api/v1/funding/fee-suggestions?from=${from0}&to=${day(0)}`)).payable_cases, 1, 'not paid yet');
      await screen(page, '08b-xac-nhan-chi');
      await page.getByRole('button', { name: 'Xác nhận chi' }).click();
      await page.getByRole('heading', { name: 'DANH SÁCH XÁC NHẬN NHẬN TIỀN' }).waitFor();
      const rows = await page.locator('table.sheet tbody tr').count();
      assert.equal(rows, 3, 'two recipients and the total');
      await page.getByRole('columnheader', { name: 'Ký nhận' }).waitFor();
      await screen(page, '09-danh-sach-ky-nhan');
      // Paid once: nothing is owed any more for this quarter.
      const from = day(0).slice(0, 8) + '01';
      const left = await officer.call('GET', `/api/v1/funding/fee-suggestions?from=${from}&to=${day(0)}`);
      assert.equal(left.payable_cases, 0);
      assertNoPageProblems(page);
    } finally {
      await b.close();
    }
  });
});
