import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LATCHKEY_AAGUID, LATCHKEY_AAGUID_STRING } from './aaguid.js';
import { toHex } from './_webauthnTestVectors.js';

test('LATCHKEY_AAGUID is the 16 bytes of the UUID string, in order', () => {
  assert.equal(LATCHKEY_AAGUID_STRING, '2332c610-74c5-48a4-a987-96300ef7cd89');
  assert.equal(LATCHKEY_AAGUID.length, 16);
  assert.equal(toHex(LATCHKEY_AAGUID), '2332c61074c548a4a98796300ef7cd89');
});
