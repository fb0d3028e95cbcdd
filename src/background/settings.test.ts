import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SETTINGS } from '../messages/manage';

// settings.ts imports webextension-polyfill, which refuses to load outside an extension; the pure
// parts are tested through a copy of the module's logic by importing after a minimal stub.
(globalThis as { chrome?: unknown }).chrome = { runtime: { id: 'test' }, storage: { onChanged: { addListener() {} }, local: {} } };
const { normalizeSettings, isSiteName } = await import('./settings');

test('bad or missing values fall back to the defaults, field by field', () => {
  assert.deepEqual(normalizeSettings(undefined), DEFAULT_SETTINGS);
  assert.deepEqual(normalizeSettings({ autoLockMinutes: -1, uvGraceSeconds: 'x', handoverSites: 'a' }), DEFAULT_SETTINGS);
  assert.deepEqual(normalizeSettings({ autoLockMinutes: 0, uvGraceSeconds: 0, handoverSites: [] }),
    { ...DEFAULT_SETTINGS, autoLockMinutes: 0, uvGraceSeconds: 0, handoverSites: [] });
});

test('passkey upgrades: on unless turned off (a setting stored before they existed reads as on)', () => {
  assert.equal(normalizeSettings({ autoLockMinutes: 5 }).passkeyUpgrades, true);
  assert.equal(normalizeSettings({ passkeyUpgrades: 'no' }).passkeyUpgrades, true);
  assert.equal(normalizeSettings({ passkeyUpgrades: false }).passkeyUpgrades, false);
  assert.deepEqual(normalizeSettings({ noUpgradeSites: ['Shop.example', 'x y'] }).noUpgradeSites, ['shop.example']);
});

test('sites are host names, lower-cased, deduplicated and sorted', () => {
  assert.deepEqual(normalizeSettings({ handoverSites: ['Bank.example', 'bank.example', 'a.test', 'not a site', 'http://x.com'] }).handoverSites, ['a.test', 'bank.example']);
  assert.equal(isSiteName('login.example.co.uk'), true);
  assert.equal(isSiteName('localhost'), true);
  assert.equal(isSiteName('-bad.example'), false);
  assert.equal(isSiteName('a..b'), false);
});
