import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uuidv7 } from '../../src/uuid.js';

test('uuidv7 has the version and variant bits and sorts by time', () => {
  const ids = Array.from({ length: 1000 }, () => uuidv7());
  for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
});
