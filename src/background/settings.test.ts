import 'fake-indexeddb/auto';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SETTINGS } from '../messages/manage';

// settings.ts imports webextension-polyfill, which refuses to load outside an extension: a minimal
// stand-in for the one thing it checks. The settings themselves go to (fake) IndexedDB, the real
// store's code; storage.local is a Map here, standing for the old home and for what a content
// script can write.
(globalThis as { chrome?: unknown }).chrome = { runtime: { id: 'test' }, storage: { onChanged: { addListener() {} }, local: {} } };
const { normalizeSettings, isSiteName, settingsKeeper, indexedDbStore } = await import('./settings');

let n = 0;
function legacyMap(initial?: unknown) {
  const m = new Map<string, unknown>();
  if (initial !== undefined) m.set('latchkey.settings', initial);
  return {
    map: m,
    store: { async read() { return m.get('latchkey.settings'); }, async remove() { m.delete('latchkey.settings'); } },
  };
}

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

test('an update from the storage.local release moves the settings once, then removes the old key', async () => {
  const db = `settings-test-${n++}`;
  const legacy = legacyMap({ autoLockMinutes: 60, uvGraceSeconds: 30, handoverSites: ['bank.example'] });
  const s = settingsKeeper(indexedDbStore(db), legacy.store);
  assert.deepEqual(await s.read(), { ...DEFAULT_SETTINGS, autoLockMinutes: 60, uvGraceSeconds: 30, handoverSites: ['bank.example'] });
  assert.equal(legacy.map.has('latchkey.settings'), false);
  // A restarted background (a new keeper on the same database) reads the moved record.
  assert.deepEqual(await settingsKeeper(indexedDbStore(db), legacyMap().store).read(), { ...DEFAULT_SETTINGS, autoLockMinutes: 60, uvGraceSeconds: 30, handoverSites: ['bank.example'] });
});

test('once the record exists, a write to storage.local (what a content script can do) changes nothing', async () => {
  const db = `settings-test-${n++}`;
  const legacy = legacyMap();
  const first = settingsKeeper(indexedDbStore(db), legacy.store);
  assert.deepEqual(await first.read(), DEFAULT_SETTINGS);
  // The attack: auto-lock off, an hour of grace, the site handed over.
  legacy.map.set('latchkey.settings', { autoLockMinutes: 0, uvGraceSeconds: 3600, handoverSites: ['victim.example'] });
  assert.deepEqual(await first.read(), DEFAULT_SETTINGS);
  const restarted = settingsKeeper(indexedDbStore(db), legacy.store);
  assert.deepEqual(await restarted.read(), DEFAULT_SETTINGS);
});

test('updates are kept in the database, one after another, and survive a restart', async () => {
  const db = `settings-test-${n++}`;
  const s = settingsKeeper(indexedDbStore(db), legacyMap().store);
  await Promise.all([s.update({ autoLockMinutes: 5 }), s.update({ handoverSites: ['a.test'] }), s.update({ uvGraceSeconds: 0 })]);
  const again = settingsKeeper(indexedDbStore(db), legacyMap({ autoLockMinutes: 999 }).store);
  assert.deepEqual(await again.read(), { ...DEFAULT_SETTINGS, autoLockMinutes: 5, uvGraceSeconds: 0, handoverSites: ['a.test'] });
});

test('a damaged record falls back to the defaults field by field, and is not replaced by storage.local', async () => {
  const db = `settings-test-${n++}`;
  await indexedDbStore(db).write({ autoLockMinutes: 'x', uvGraceSeconds: 10, handoverSites: null } as never);
  const s = settingsKeeper(indexedDbStore(db), legacyMap({ autoLockMinutes: 0 }).store);
  assert.deepEqual(await s.read(), { ...DEFAULT_SETTINGS, uvGraceSeconds: 10 });
});

test('a failed read (storage not ready) is tried again, and nothing is written in its place', async () => {
  let calls = 0;
  const writes: unknown[] = [];
  const flaky = { async read() { if (calls++ === 0) throw new Error('not ready'); return { found: true, value: { autoLockMinutes: 5 } }; }, async write(v: unknown) { writes.push(v); } };
  const s = settingsKeeper(flaky, legacyMap().store);
  await assert.rejects(s.read(), /not ready/);
  assert.equal((await s.read()).autoLockMinutes, 5);
  assert.deepEqual(writes, []);
});
