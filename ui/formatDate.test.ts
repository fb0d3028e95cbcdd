import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeCreated, describeLastUsed, describeWait, formatDate } from './formatDate';

const utc = { timeZone: 'UTC' };
const mar3 = Date.UTC(2025, 2, 3, 12, 0, 0);

test('formats a calendar date as day, short month, year', () => {
  assert.equal(formatDate(mar3, utc), '3 Mar 2025');
  assert.equal(describeCreated(mar3, utc), 'Created 3 Mar 2025');
});

test('the date is the one in the given time zone', () => {
  const lateUtc = Date.UTC(2025, 2, 3, 23, 30);
  assert.equal(formatDate(lateUtc, { timeZone: 'Asia/Tokyo' }), '4 Mar 2025');
});

test('describes the last use: never, recent, then the date', () => {
  const now = mar3;
  assert.equal(describeLastUsed(null, now, utc), 'Never used');
  assert.equal(describeLastUsed(now - 10_000, now, utc), 'Used just now');
  assert.equal(describeLastUsed(now + 5_000, now, utc), 'Used just now');
  assert.equal(describeLastUsed(now - 60_000, now, utc), 'Used 1 minute ago');
  assert.equal(describeLastUsed(now - 3 * 3600_000, now, utc), 'Used 3 hours ago');
  assert.equal(describeLastUsed(now - 86400_000, now, utc), 'Used 1 day ago');
  assert.equal(describeLastUsed(now - 6 * 86400_000, now, utc), 'Used 6 days ago');
  assert.equal(describeLastUsed(now - 30 * 86400_000, now, utc), 'Used 1 Feb 2025');
});

test('describes the wait after wrong PINs', () => {
  assert.equal(describeWait(0), '0 s');
  assert.equal(describeWait(1), '1 s');
  assert.equal(describeWait(29_100), '30 s');
  assert.equal(describeWait(60_000), '1 min');
  assert.equal(describeWait(125_000), '2 min 5 s');
});
