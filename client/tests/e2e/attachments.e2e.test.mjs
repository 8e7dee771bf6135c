// End to end, attachments on the phone: a photo of the signed agreement taken with no signal, made
// small, queued, sent once (its first answer lost, the retry carries the same Idempotency-Key) and
// listed on the case.
//
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Admin } from './server.mjs';
import { png } from './png.mjs';
import { LEADER_PASSWORD, assertNoPageProblems, command, goOffline, launch, newPage, screens, signIn, skipReason, world } from './harness.mjs';

const skip = skipReason();
if (skip) test('attachments on the phone', { skip }, () => {});

describe('attachments on the phone', { skip: skip || false }, () => {
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

  test('a photo taken with no signal is made small, waits, is sent once and listed on the case', async () => {
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
      // The first upload that reaches the server has its answer lost on the way back (staged
      // before the signal goes, so it holds whenever that upload goes out).
      const sentKeys = w.client.tap.loseFirst((/** @type {{method: string, path: string}} */ r) => r.method === 'POST' && r.path.startsWith('/api/v1/attachments?'));
      await goOffline(page, b.context);
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
      await b.context.setOffline(false);
      await page.locator('.attachments-block .card:not(.pending)', { hasText: 'IMG_20261130_0930.jpg' }).waitFor({ timeout: 60_000 });
      await page.locator('.attachments-block .card.pending').waitFor({ state: 'detached' });
      // The list may show the stored photo (the lost answer's work) before the outbox's retry has
      // gone out: the photo is sent once the outbox holds nothing.
      await page.waitForFunction(async () => (await window.hoagiai.outbox.list()).length === 0, undefined, { timeout: 60_000 });
      const keys = sentKeys();
      assert.ok(keys.length >= 2, 'retried after the lost answer');
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

  test('the sent photo is read by the commune officer and refused to a statistics client', async () => {
    const list = await leader.call('GET', `/api/v1/attachments?team_id=${w.team.id}&year=${new Date().getFullYear()}`);
    assert.equal(list.items.length, 1, 'the log-book page of the first test');
    const id = list.items[0].id;
    // An officer of the commune.
    await w.admin.call('POST', '/api/v1/users', {
      username: 'canbo.tp', display_name: 'Cán bộ Tư pháp', role: 'officer', unit_id: w.commune.id, password: 'officer-password-123',
    });
    const officer = await new Admin(w.server.base).login('canbo.tp', 'officer-password-123');
    const read = await fetch(`${w.server.base}/api/v1/attachments/${id}`, { headers: { authorization: `Bearer ${officer.token}` } });
    assert.equal(read.status, 200);
    assert.equal(read.headers.get('content-type'), 'image/jpeg');
    // A statistics client of the same commune.
    const client = await officer.call('POST', '/api/v1/api-clients', { name: 'Sở Tư pháp', unit_id: w.commune.id });
    const token = await fetch(`${w.server.base}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${client.id}&client_secret=${encodeURIComponent(client.client_secret)}`,
    }).then((r) => r.json());
    const refused = await fetch(`${w.server.base}/api/v1/attachments/${id}`, { headers: { authorization: `Bearer ${token.access_token}` } });
    assert.equal(refused.status, 403);
  });
});
