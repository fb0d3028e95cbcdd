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
  assert.deepEqual(normalizeLockout(undefined), { failures: 0, lastFailureAt: null, mono: null });
  assert.deepEqual(normalizeLockout({ failures: 'x' }), { failures: 0, lastFailureAt: null, mono: null });
  assert.deepEqual(normalizeLockout({ id: 'lockout', failures: 5, lastFailureAt: 7 }), { failures: 5, lastFailureAt: 7, mono: null });
  assert.deepEqual(normalizeLockout({ failures: 5, lastFailureAt: 7, mono: { life: 'a', at: 3 } }), { failures: 5, lastFailureAt: 7, mono: { life: 'a', at: 3 } });
  assert.deepEqual(normalizeLockout({ failures: 5, lastFailureAt: 7, mono: { life: 1, at: 'x' } }).mono, null);
});

test('the stricter clock counts: a wall clock moved forward shortens nothing within the same worker life', () => {
  const s = { failures: 4, lastFailureAt: 1_000_000, mono: { life: 'w1', at: 500 } };
  // Wall a day later, monotonic 10 s later: 20 s left.
  assert.equal(retryAfterMs(s, 1_000_000 + 86_400_000, { life: 'w1', now: 10_500 }), 20_000);
  // Monotonic further than the wall (e.g. the wall moved back): the wall's smaller elapsed time counts.
  assert.equal(retryAfterMs(s, 1_005_000, { life: 'w1', now: 60_000 }), 25_000);
  // Another life: its monotonic clock means nothing here; the wall clock alone.
  assert.equal(retryAfterMs(s, 1_030_000, { life: 'w2', now: 1 }), 0);
  // No monotonic reading stored (a record from before): the wall clock alone, as before.
  assert.equal(retryAfterMs({ failures: 4, lastFailureAt: 1_000_000 }, 1_010_000, { life: 'w1', now: 0 }), 20_000);
});
