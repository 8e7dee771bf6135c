// The outbox against fake-indexeddb: ordering, retries with the same key, never twice, never lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IDBFactory } from 'fake-indexeddb';
import { openDb } from '../../src/idb.js';
import { Outbox, backoff } from '../../src/outbox.js';

const headers = (h = {}) => ({ get: (n) => h[n] ?? h[n.toLowerCase()] ?? null });
const ok = (body = {}) => ({ status: 201, headers: headers(), body });

async function setup(send, extra = {}) {
  const factory = new IDBFactory();
  const db = await openDb(factory);
  let t = 1_000_000;
  const clock = { now: () => t, advance: (ms) => (t += ms) };
  const box = new Outbox({ db, send, now: clock.now, random: () => 0.5, ...extra });
  return { factory, db, box, clock };
}

test('an operation keeps its id and key across retries and leaves only when accepted', async () => {
  const seen = [];
  let online = false;
  const { box, clock } = await setup(async (op) => {
    seen.push(op.idempotencyKey);
    if (!online) throw new TypeError('Failed to fetch');
    return ok({ id: op.body.id });
  });
  const op = await box.add({ kind: 'create_case', method: 'POST', path: '/api/v1/cases', body: { id: 'c1' }, caseId: 'c1' });
  assert.equal((await box.flush()).offline, true);
  assert.equal(await box.count(), 1, 'kept while offline');
  const [waiting] = await box.list();
  assert.equal(waiting.attempts, 1);
  assert.ok(waiting.nextAttemptAt > clock.now(), 'backs off');
  assert.equal((await box.flush()).sent, 0, 'not due yet');
  clock.advance(backoff(1, () => 1) + 1);
  assert.equal((await box.flush()).offline, true);
  online = true;
  clock.advance(backoff(2, () => 1) + 1);
  assert.equal((await box.flush()).sent, 1);
  assert.equal(await box.count(), 0);
  assert.deepEqual(seen, [op.idempotencyKey, op.idempotencyKey, op.idempotencyKey]);
});

test('server errors and idempotency_in_progress are retried later with Retry-After', async () => {
  const answers = [
    { status: 503, headers: headers(), body: { code: 'unavailable' } },
    { status: 409, headers: headers({ 'Retry-After': '7' }), body: { code: 'idempotency_in_progress' } },
    ok(),
  ];
  const { box, clock } = await setup(async () => answers.shift());
  await box.add({ kind: 'session', method: 'POST', path: '/x', body: {} });
  await box.flush();
  clock.advance(MAX);
  await box.flush();
  const [op] = await box.list();
  assert.equal(op.nextAttemptAt, clock.now() + 7000);
  clock.advance(7000);
  assert.equal((await box.flush()).sent, 1);
});
const MAX = 11 * 60_000;

test('a 412 becomes a conflict that stays until the user resolves it; later ops on that case wait', async () => {
  const calls = [];
  let conflict = true;
  const { box } = await setup(async (op) => {
    calls.push(op.kind);
    if (op.kind === 'update_case' && conflict) return { status: 412, headers: headers(), body: { code: 'precondition_failed', current: { version: 3, summary: 'theirs' } } };
    return ok();
  });
  const upd = await box.add({ kind: 'update_case', method: 'PATCH', path: '/c/1', body: { summary: 'mine' }, ifMatch: 2, caseId: '1' });
  await box.add({ kind: 'session', method: 'POST', path: '/c/1/sessions', body: {}, caseId: '1' });
  await box.add({ kind: 'session', method: 'POST', path: '/c/2/sessions', body: {}, caseId: '2' });
  const r = await box.flush();
  assert.equal(r.sent, 1, 'the other case goes on');
  assert.deepEqual(calls, ['update_case', 'session']);
  const list = await box.list();
  assert.equal(list.length, 2, 'nothing dropped');
  assert.equal(list[0].state, 'conflict');
  assert.equal(list[0].problem.current.summary, 'theirs');
  await box.flush();
  assert.equal(calls.length, 2, 'the conflict is not resent by itself');
  conflict = false;
  await box.retry(upd.id, { body: { summary: 'merged' }, ifMatch: 3 });
  assert.equal((await box.flush()).sent, 2);
  assert.equal(await box.count(), 0);
});

test('a 422 is kept as failed; a changed POST body gets a new key', async () => {
  let n = 0;
  const keys = [];
  const { box } = await setup(async (op) => {
    keys.push(op.idempotencyKey);
    return n++ === 0 ? { status: 422, headers: headers(), body: { code: 'validation_failed', errors: [] } } : ok();
  });
  const op = await box.add({ kind: 'create_case', method: 'POST', path: '/c', body: { a: 1 } });
  await box.flush();
  assert.equal((await box.list())[0].state, 'failed');
  await box.retry(op.id, { body: { a: 2 } });
  await box.flush();
  assert.notEqual(keys[0], keys[1]);
  assert.equal(await box.count(), 0);
});

test('a 401 stops the run and keeps the operation due', async () => {
  const { box } = await setup(async () => ({ status: 401, headers: headers(), body: { code: 'unauthorized' } }));
  await box.add({ kind: 'x', method: 'POST', path: '/x', body: {} });
  assert.equal((await box.flush()).auth, true);
  const [op] = await box.list();
  assert.equal(op.state, 'pending');
  assert.equal(op.leaseOwner, undefined);
});

test('two tabs flushing one outbox send each operation once', async () => {
  const factory = new IDBFactory();
  const sent = [];
  const send = async (op) => {
    sent.push(op.id);
    await new Promise((r) => setTimeout(r, 20));
    return ok();
  };
  const a = new Outbox({ db: await openDb(factory), send });
  const b = new Outbox({ db: await openDb(factory), send });
  for (let i = 0; i < 5; i++) await a.add({ kind: 'x', method: 'POST', path: '/x', body: { i } });
  const [ra, rb] = await Promise.all([a.flush(), b.flush()]);
  assert.equal(ra.sent + rb.sent, 5);
  assert.equal(new Set(sent).size, 5);
  assert.equal(sent.length, 5, 'no operation sent twice');
  assert.equal(await a.count(), 0);
});

test('one draft sent from two tabs is queued once', async () => {
  const factory = new IDBFactory();
  const dbA = await openDb(factory);
  const dbB = await openDb(factory);
  await dbA.put('drafts', { id: 'd1', body: { id: 'case-1' } });
  const send = async () => ok();
  const a = new Outbox({ db: dbA, send });
  const b = new Outbox({ db: dbB, send });
  const op = { kind: 'create_case', method: /** @type {'POST'} */ ('POST'), path: '/c', body: { id: 'case-1' }, caseId: 'case-1' };
  const [qa, qb] = await Promise.all([a.add(op, 'd1'), b.add(op, 'd1')]);
  assert.equal([qa, qb].filter(Boolean).length, 1);
  assert.equal(await a.count(), 1);
  assert.equal((await dbA.all('drafts')).length, 0);
});

test('a live lease held by another tab is respected, an expired one is taken over', async () => {
  const factory = new IDBFactory();
  let t = 5_000_000;
  const now = () => t;
  const sent = [];
  const a = new Outbox({ db: await openDb(factory), send: async () => new Promise(() => {}), now }); // hangs: tab A died mid-send
  const b = new Outbox({ db: await openDb(factory), send: async (op) => (sent.push(op.idempotencyKey), ok()), now });
  const op = await a.add({ kind: 'x', method: 'POST', path: '/x', body: {} });
  a.flush();
  await new Promise((r) => setTimeout(r, 20));
  assert.equal((await b.flush()).sent, 0, 'lease is live');
  t += 121_000;
  assert.equal((await b.flush()).sent, 1, 'expired lease taken over');
  assert.deepEqual(sent, [op.idempotencyKey], 'same key: the server replays if A had got through');
});

test('discard removes only on request; the db can be wiped on sign-out', async () => {
  const { box, db } = await setup(async () => ok());
  const op = await box.add({ kind: 'x', method: 'POST', path: '/x', body: {} });
  await box.discard(op.id);
  assert.equal(await box.count(), 0);
  await db.put('cases', { id: 'c' });
  await db.put('meta', { key: 'auth', refresh: 'r' });
  await db.clearAll();
  assert.deepEqual(await db.all('cases'), []);
  assert.deepEqual(await db.all('meta'), []);
});

test('backoff grows and is capped', () => {
  const r = () => 0.5;
  assert.equal(backoff(1, r), 2000);
  assert.equal(backoff(2, r), 4000);
  assert.equal(backoff(30, r), 600000);
});
