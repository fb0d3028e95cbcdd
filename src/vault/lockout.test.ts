import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeLockout, retryAfterMs, retryDelayMs } from './lockout.js';

test('the first three wrong PINs cost no waiting, then the delay grows to a one-hour cap', () => {
  assert.deepEqual([0, 1, 2, 3].map(retryDelayMs), [0, 0, 0, 0]);
  assert.deepEqual([4, 5, 6, 7].map(retryDelayMs), [30_000, 60_000, 120_000, 300_000]);
  const later = [8, 9, 10, 11, 50, 1000].map(retryDelayMs);
  assert.deepEqual(later, [900_000, 1_800_000, 3_600_000, 3_600_000, 3_600_000, 3_600_000]);
});

test('retryAfterMs counts down from the last failure', () => {
  const s = { failures: 4, lastFailureAt: 1_000_000 };
  assert.equal(retryAfterMs(s, 1_000_000), 30_000);
  assert.equal(retryAfterMs(s, 1_010_000), 20_000);
  assert.equal(retryAfterMs(s, 1_030_000), 0);
  assert.equal(retryAfterMs({ failures: 3, lastFailureAt: 1_000_000 }, 1_000_000), 0);
});

test('a clock set backwards never makes the wait longer than the schedule', () => {
  assert.equal(retryAfterMs({ failures: 4, lastFailureAt: 10_000_000 }, 0), 30_000);
});

test('a missing or damaged record reads as no failures instead of crashing', () => {
  assert.deepEqual(normalizeLockout(undefined), { failures: 0, lastFailureAt: null });
  assert.deepEqual(normalizeLockout({ failures: 'x' }), { failures: 0, lastFailureAt: null });
  assert.deepEqual(normalizeLockout({ id: 'lockout', failures: 5, lastFailureAt: 7 }), { failures: 5, lastFailureAt: 7 });
});
