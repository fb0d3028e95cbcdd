import assert from 'node:assert/strict';
import { test } from 'node:test';
import { excludesPlatformAuthenticator } from './attachment';

test('only "cross-platform" rules out a platform authenticator such as Latchkey', () => {
  assert.equal(excludesPlatformAuthenticator({ authenticatorAttachment: 'cross-platform' }), true);
  assert.equal(excludesPlatformAuthenticator({ authenticatorAttachment: 'platform' }), false);
  assert.equal(excludesPlatformAuthenticator({ authenticatorAttachment: 'bogus' }), false, 'unknown values are ignored (§5.4.5)');
  assert.equal(excludesPlatformAuthenticator({}), false);
  assert.equal(excludesPlatformAuthenticator(undefined), false);
});
