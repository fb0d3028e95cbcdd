import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeLastUsed } from './describeTime';

test('describes never-used and recent use', () => {
  const now = 1_000_000_000;
  assert.equal(describeLastUsed(null, now), 'Never used');
  assert.equal(describeLastUsed(now - 10_000, now), 'Used just now');
  assert.equal(describeLastUsed(now - 60_000, now), 'Used 1 minute ago');
  assert.equal(describeLastUsed(now - 3 * 3600_000, now), 'Used 3 hours ago');
  assert.equal(describeLastUsed(now - 2 * 86400_000, now), 'Used 2 days ago');
});
