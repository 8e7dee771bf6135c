// End to end, attachments on the phone: a photo of the signed agreement taken with no signal, made
// small, queued, sent once (its first answer lost, the retry carries the same Idempotency-Key) and
// listed on the case.
//
// SKIPPED while the server has no attachments API (POST /api/v1/attachments answers 404): the
// server side lands on main separately. Remove the skip once it is merged.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Admin } from './server.mjs';
import { png } from './png.mjs';
import { LEADER_PASSWORD, assertNoPageProblems, command, launch, newPage, screens, signIn, skipReason, world } from './harness.mjs';

const skip = skipReason();
if (skip) test('attachments on the phone', { skip }, () => {});

describe('attachments on the phone', { skip: skip || false }, () => {
  /** @type {any} */
  let w;
  /** @type {Admin} */
  let leader;
  let serverHasAttachments = false;
  before(async () => {
    w = await world();
    leader = await new Admin(w.server.base).login('lan.nt', LEADER_PASSWORD);
    const probe = await fetch(`${w.server.base}/api/v1/attachments?case_id=00000000-0000-7000-8000-000000000000&kind=other&file_name=probe.jpg`, {
      method: 'POST',
      headers: { authorization: `Bearer ${leader.token}`, 'content-type': 'image/jpeg', 'idempotency-key': 'probe' },
      body: Buffer.from([0xff, 0xd8, 0xff, 0xd9]),
    });
    serverHasAttachments = probe.status !== 404;
  });
  after(async () => {
    await w?.stop();
  });

  test('a photo taken with no signal is made small, waits, is sent once and listed on the case', async (t) => {
    if (!serverHasAttachments) {
      // The lead removes this skip when the attachments API is merged.
      t.skip('POST /api/v1/attachments answers 404: the server has no attachments API yet (issue #14, server side)');
      return;
    }
    const c = await leader.call('POST', '/api/v1/cases', {
      team_id: w.team.id,
      received_on: new Date().toISOString().slice(0, 10),
      basis: 'party_request',
      category: 'land',
      summary: 'Tranh chấp lối đi',
      parties: [{ kind: 'person', role: 'party', full_name: 'Hoàng Văn Năm', age: 40 }],
    });
    const b = await launch();
    try {
      const page = await newPage(b.context);
      await signIn(page, w.client.base, 'lan.nt', LEADER_PASSWORD);
      await page.goto(`${w.client.base}/#/cases/${c.id}`);
      await page.locator('.attachments-block').waitFor();
      await b.context.setOffline(true);
      await command(page, 'Chụp ảnh văn bản đính kèm');
      const photo = png(2400, 1800);
      await page.setInputFiles('#att-file', { name: 'IMG_20261130_0930.png', mimeType: 'image/png', buffer: photo });
      await page.locator('#att-size').waitFor();
      const size = await page.locator('.preview img').evaluate(async (img) => {
        await /** @type {HTMLImageElement} */ (img).decode();
        return [/** @type {HTMLImageElement} */ (img).naturalWidth, /** @type {HTMLImageElement} */ (img).naturalHeight];
      });
      assert.deepEqual(size, [1600, 1200], 'the long side is 1600 px');
      await screens(page, '80-chup-anh');
      await page.getByRole('button', { name: 'Lưu' }).click();
      await page.locator('.attachments-block .card.pending', { hasText: 'IMG_20261130_0930.jpg' }).waitFor();
      const op = await page.evaluate(async () => {
        const [o] = await window.hoagiai.outbox.list();
        return { type: o.body.type, size: o.body.size, path: o.path, key: o.idempotencyKey };
      });
      assert.equal(op.type, 'image/jpeg');
      assert.ok(op.size < photo.length && op.size < 5 * 1024 * 1024, `made small: ${op.size} bytes`);
      await screens(page, '81-anh-cho-gui');

      // The first send reaches the server but its answer is lost; the retry has the same key.
      let posts = 0;
      /** @type {string[]} */
      const keys = [];
      await page.route('**/api/v1/attachments?**', async (route) => {
        if (route.request().method() !== 'POST') return route.continue();
        posts++;
        keys.push(route.request().headers()['idempotency-key']);
        if (posts === 1) {
          await route.fetch();
          await route.abort('connectionreset');
        } else await route.continue();
      });
      await b.context.setOffline(false);
      await page.locator('.attachments-block .card:not(.pending)', { hasText: 'IMG_20261130_0930.jpg' }).waitFor({ timeout: 60_000 });
      await page.locator('.attachments-block .card.pending').waitFor({ state: 'detached' });
      assert.ok(posts >= 2, 'retried after the lost answer');
      assert.ok(keys.every((k) => k === op.key), 'with the same Idempotency-Key');
      const list = await leader.call('GET', `/api/v1/attachments?case_id=${c.id}`);
      assert.equal(list.items.length, 1, 'stored once');
      assert.equal(list.items[0].content_type, 'image/jpeg');
      assert.equal(list.items[0].kind, 'written_agreement');
      const bytes = Buffer.from(await (await fetch(`${w.server.base}/api/v1/attachments/${list.items[0].id}`, { headers: { authorization: `Bearer ${leader.token}` } })).arrayBuffer());
      assert.equal(bytes.length, op.size);
      assert.deepEqual([...bytes.subarray(0, 2)], [0xff, 0xd8], 'a JPEG');
      await screens(page, '82-anh-da-gui');

      // The paper log book's pages, for the team and the year.
      await page.unroute('**/api/v1/attachments?**');
      await page.goto(`${w.client.base}/#/logbook`);
      await page.locator('#lb-pages .attachments-block').waitFor();
      const year = new Date().getFullYear();
      await page.locator('#lb-pages input[type=file]').setInputFiles({ name: 'so-trang-1.png', mimeType: 'image/png', buffer: png(1800, 2400) });
      await page.locator('#lb-pages .card:not(.pending)', { hasText: 'so-trang-1.jpg' }).waitFor({ timeout: 60_000 });
      const pages = await leader.call('GET', `/api/v1/attachments?team_id=${w.team.id}&year=${year}`);
      assert.deepEqual(pages.items.map((a) => [a.kind, a.file_name]), [['logbook_pages', 'so-trang-1.jpg']]);
      await screens(page, '84-trang-so');
      assertNoPageProblems(page);
    } finally {
      await b.close();
    }
  });

  test('without the attachments API the case page says so instead of failing', async (t) => {
    if (serverHasAttachments) return t.skip('the server has the attachments API');
    const c = await leader.call('POST', '/api/v1/cases', {
      team_id: w.team.id,
      received_on: new Date().toISOString().slice(0, 10),
      basis: 'party_request',
      category: 'other',
      summary: 'Mâu thuẫn',
      parties: [{ kind: 'person', role: 'party', full_name: 'Hoàng Thị Sáu', age: 40 }],
    });
    const b = await launch();
    try {
      const page = await newPage(b.context);
      await signIn(page, w.client.base, 'lan.nt', LEADER_PASSWORD);
      await page.goto(`${w.client.base}/#/cases/${c.id}`);
      await page.getByText('Máy chủ chưa nhận tệp đính kèm').waitFor();
      // The photo is still made small and kept waiting on the phone.
      await command(page, 'Chụp ảnh văn bản đính kèm');
      await page.setInputFiles('#att-file', { name: 'anh.png', mimeType: 'image/png', buffer: png(1200, 2000) });
      await page.locator('#att-size').waitFor();
      await screens(page, '83-chup-anh-chua-co-api');
      await page.getByRole('button', { name: 'Lưu' }).click();
      await page.locator('.attachments-block .card.pending', { hasText: 'anh.jpg' }).waitFor();
      const op = await page.evaluate(async () => (await window.hoagiai.outbox.list()).map((o) => [o.kind, o.body.type, o.state]));
      assert.deepEqual(op.map((o) => o.slice(0, 2)), [['attachment', 'image/jpeg']]);
      assertNoPageProblems(page);
    } finally {
      await b.close();
    }
  });
});
