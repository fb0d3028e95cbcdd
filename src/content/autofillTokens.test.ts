import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asksForPasskeys } from './autofillTokens';

test('the webauthn token, split on ASCII whitespace, any case', () => {
  for (const v of ['webauthn', 'username webauthn', 'current-password webauthn', 'section-login username WebAuthn', ' username\twebauthn\n', 'WEBAUTHN username']) {
    assert.equal(asksForPasskeys(v), true, JSON.stringify(v));
  }
  for (const v of [null, '', 'username', 'webauthn-like', 'username,webauthn', 'usernamewebauthn', 'username\u00a0webauthn', 'on']) {
    assert.equal(asksForPasskeys(v), false, JSON.stringify(v));
  }
});
