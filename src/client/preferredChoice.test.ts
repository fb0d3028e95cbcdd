import assert from 'node:assert/strict';
import { test } from 'node:test';
import { preferredChoice } from './preferredChoice';

test('the first known hint decides; none or unknown means Latchkey', () => {
  assert.equal(preferredChoice([]), 'latchkey');
  assert.equal(preferredChoice(['client-device', 'security-key']), 'latchkey');
  assert.equal(preferredChoice(['security-key', 'client-device']), 'browser');
  assert.equal(preferredChoice(['hybrid']), 'browser');
  assert.equal(preferredChoice(['something-new', 'hybrid']), 'browser');
  assert.equal(preferredChoice(['something-new']), 'latchkey');
});
