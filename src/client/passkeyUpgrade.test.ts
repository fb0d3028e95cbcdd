import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decidePasskeyUpgrade, RECENT_SIGN_IN_MS, type UpgradeFacts } from './passkeyUpgrade';

const NOW = 1_800_000_000_000;
const ok: UpgradeFacts = {
  upgradesOn: true, siteOff: false, passwordEnteredAt: NOW - 10_000, now: NOW, unlocked: true,
  algorithmSupported: true, uvRequired: false, excludedPresent: false,
};

test('a password just entered on this origin, vault unlocked: the passkey is saved', () => {
  assert.equal(decidePasskeyUpgrade(ok), 'save');
  assert.equal(decidePasskeyUpgrade({ ...ok, passwordEnteredAt: NOW - RECENT_SIGN_IN_MS }), 'save', 'the edge of "recently"');
});

test('no recent password sign-in (none, too old, or from the future): NotAllowedError', () => {
  assert.equal(decidePasskeyUpgrade({ ...ok, passwordEnteredAt: null }), 'refuse');
  assert.equal(decidePasskeyUpgrade({ ...ok, passwordEnteredAt: NOW - RECENT_SIGN_IN_MS - 1 }), 'refuse');
  assert.equal(decidePasskeyUpgrade({ ...ok, passwordEnteredAt: NOW + 60_000 }), 'refuse', 'a clock moved back does not stretch it');
});

test('what would need the person (the PIN, consent to an InvalidStateError) is refused, all alike', () => {
  assert.equal(decidePasskeyUpgrade({ ...ok, unlocked: false }), 'refuse');
  assert.equal(decidePasskeyUpgrade({ ...ok, uvRequired: true }), 'refuse');
  assert.equal(decidePasskeyUpgrade({ ...ok, excludedPresent: true }), 'refuse');
});

test('upgrades turned off (everywhere or for the site), or an algorithm Latchkey lacks: the browser decides', () => {
  assert.equal(decidePasskeyUpgrade({ ...ok, upgradesOn: false }), 'browser');
  assert.equal(decidePasskeyUpgrade({ ...ok, siteOff: true }), 'browser');
  assert.equal(decidePasskeyUpgrade({ ...ok, algorithmSupported: false }), 'browser');
  assert.equal(decidePasskeyUpgrade({ ...ok, upgradesOn: false, passwordEnteredAt: null }), 'browser', 'off wins over the rest');
});
