import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mayBeLatchkeys } from './transports';

test('an entry may name a Latchkey passkey unless its transports name only other devices', () => {
  const d = (transports?: string[]) => ({ type: 'public-key', id: 'AAAA', ...(transports ? { transports } : {}) });
  assert.equal(mayBeLatchkeys(d()), true, 'no hint');
  assert.equal(mayBeLatchkeys(d([])), true, 'an empty hint');
  assert.equal(mayBeLatchkeys(d(['internal'])), true);
  assert.equal(mayBeLatchkeys(d(['hybrid', 'internal'])), true);
  assert.equal(mayBeLatchkeys(d(['usb'])), false);
  assert.equal(mayBeLatchkeys(d(['usb', 'nfc', 'ble', 'smart-card', 'hybrid'])), false);
  assert.equal(mayBeLatchkeys(d(['some-future-transport'])), false, 'an unknown transport is not Latchkey\'s either');
  assert.equal(mayBeLatchkeys({ type: 'other', id: 'AAAA' }), false);
});
