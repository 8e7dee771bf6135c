import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fold, matches, filterItems } from '../../src/search.js';

test('fold drops diacritics and case, đ becomes d', () => {
  assert.equal(fold('Nguyễn Văn Đạt'), 'nguyen van dat');
  assert.equal(fold('ĐẶNG THỊ HỒNG'), 'dang thi hong');
  assert.equal(fold('  Hòa   giải '), 'hoa giai');
  // Precomposed and decomposed forms fold alike (keyboards differ).
  assert.equal(fold('Nguy\u1ec5n'), fold('Nguye\u0302\u0303n'));
});

test('matches ignores diacritics and word order', () => {
  assert.ok(matches('Nguyễn Văn A', 'nguyen'));
  assert.ok(matches('Trần Thị Đào', 'dao tran'));
  assert.ok(matches('Tranh chấp đất đai', 'dat dai'));
  assert.ok(matches('Nguyễn', 'Nguyễn'));
  assert.ok(!matches('Nguyễn Văn A', 'nguyen b'));
  assert.ok(matches('anything', ''));
});

test('filterItems keeps order', () => {
  const items = [{ n: 'Đỗ Minh' }, { n: 'Lê Đức' }, { n: 'Phạm Do' }];
  assert.deepEqual(filterItems(items, 'do', (i) => i.n).map((i) => i.n), ['Đỗ Minh', 'Phạm Do']);
});
