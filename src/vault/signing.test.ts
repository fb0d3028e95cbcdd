// Sign-in uses (signing.ts), through the Vault facade: counters, last-used dates, beginSigning.
import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Vault } from './vault.js';
import { toBase64url } from '../core/base64url.js';
import { PasskeyNotFoundError, VaultInputError } from './errors.js';
import type { ExportedPasskey } from './schema.js';
import { CHEAP_KDF, samplePasskey, uniqueDbName, T0, openCheap } from './testFixtures.js';

test('markUsed moves a passkey to the front of its site and never backwards', async () => {
  const { vault } = await openCheap('markused');
  const key = await vault.initialize('1234');
  const a = samplePasskey({ createdAt: T0, userName: 'a' });
  const b = samplePasskey({ createdAt: T0 + 1000, userName: 'b' });
  await vault.addPasskey(key, a.passkey, a.privateKey);
  await vault.addPasskey(key, b.passkey, b.privateKey);
  await vault.markUsed(a.passkey.credentialId, T0 + 5000);
  assert.deepEqual((await vault.listByRpId('example.com')).map((p) => p.userName), ['a', 'b']);
  await vault.markUsed(a.passkey.credentialId, T0 + 2000);
  assert.equal((await vault.get(a.passkey.credentialId))?.lastUsedAt, T0 + 5000);
  await assert.rejects(vault.markUsed('AAAAAAAAAAAAAAAAAAAAAA', T0), PasskeyNotFoundError);
  vault.close();
});

test('an imported passkey keeps its signature counter and markUsed raises it; own passkeys stay at 0', async () => {
  const { vault } = await openCheap('signcount');
  const key = await vault.initialize('1234');
  const own = samplePasskey();
  const imported = samplePasskey({ userName: 'imported' });
  await vault.addPasskey(key, own.passkey, own.privateKey);
  await vault.addPasskey(key, { ...imported.passkey, signCount: 41 }, imported.privateKey);
  assert.equal(await vault.markUsed(own.passkey.credentialId, T0), 0);
  assert.equal(await vault.markUsed(imported.passkey.credentialId, T0), 42);
  assert.equal(await vault.markUsed(imported.passkey.credentialId, T0 + 1), 43);
  assert.equal((await vault.get(imported.passkey.credentialId))?.signCount, 43);
  await assert.rejects(vault.addPasskey(key, { ...samplePasskey().passkey, signCount: -1 }, own.privateKey), /signCount/);
  vault.close();
});

test('useForSigning counts the use and returns the key with the counter, in one step', async () => {
  const { vault } = await openCheap('useforsigning');
  const key = await vault.initialize('1234');
  const imported = samplePasskey({ userName: 'counted' });
  await vault.addPasskey(key, { ...imported.passkey, signCount: 7 }, imported.privateKey);
  const used = await vault.useForSigning(key, imported.passkey.credentialId, T0);
  assert.deepEqual(used.privateKey, imported.privateKey);
  assert.equal(used.signCount, 8);
  assert.equal((await vault.get(imported.passkey.credentialId))?.lastUsedAt, T0);
  await assert.rejects(vault.useForSigning(key, 'AAAAAAAAAAAAAAAAAAAAAA', T0), PasskeyNotFoundError);
  vault.close();
});

test('recordLastUsed: several dates in one transaction, only forward, counters untouched, deleted passkeys skipped', async () => {
  const dbName = uniqueDbName('last-used');
  const vault = await Vault.open({ dbName, kdf: CHEAP_KDF, cacheSites: true });
  const key = await vault.initialize('1234');
  const a = samplePasskey();
  const b = samplePasskey({ signCount: 7 });
  const gone = samplePasskey();
  for (const p of [a, b, gone]) await vault.addPasskey(key, p.passkey, p.privateKey);
  await vault.listByRpId('example.com');
  const use = await vault.beginSigning(key, a.passkey.credentialId, T0 + 5);
  assert.equal(use.stored, false);
  assert.equal((await vault.beginSigning(key, b.passkey.credentialId, T0 + 1)).stored, true); // counter 8, stored
  await vault.deletePasskey(gone.passkey.credentialId);
  await vault.recordLastUsed([
    { credentialId: a.passkey.credentialId, at: T0 + 5 },
    { credentialId: b.passkey.credentialId, at: T0 }, // earlier than stored: stays T0 + 1
    { credentialId: gone.passkey.credentialId, at: T0 + 9 },
  ]);
  const other = await Vault.open({ dbName, kdf: CHEAP_KDF });
  assert.equal((await other.get(a.passkey.credentialId))?.lastUsedAt, T0 + 5);
  const storedB = await other.get(b.passkey.credentialId);
  assert.equal(storedB?.lastUsedAt, T0 + 1);
  assert.equal(storedB?.signCount, 8);
  assert.equal(await other.get(gone.passkey.credentialId), undefined);
  assert.deepEqual((await vault.listByRpId('example.com')).map((p) => p.lastUsedAt), [T0 + 5, T0 + 1]);
  await assert.rejects(vault.recordLastUsed([{ credentialId: a.passkey.credentialId, at: Number.NaN }]), VaultInputError);
  other.close();
  vault.close();
});

test('beginSigning: own passkey from the cache (lastUsedAt stored after), imported counter stored before; the key unseals', async () => {
  const dbName = uniqueDbName('begin');
  const vault = await Vault.open({ dbName, kdf: CHEAP_KDF, cacheSites: true });
  const key = await vault.initialize('1234');
  const own = samplePasskey();
  const imported = samplePasskey({ signCount: 41 });
  await vault.addPasskey(key, own.passkey, own.privateKey);
  await vault.addPasskey(key, imported.passkey, imported.privateKey);
  await vault.listByRpId('example.com'); // the ceremony lists the site first
  const use = await vault.beginSigning(key, own.passkey.credentialId, T0 + 10);
  assert.equal(use.signCount, 0);
  assert.deepEqual(await use.unseal(), own.privateKey);
  assert.equal(use.stored, false);
  await vault.recordLastUsed([{ credentialId: own.passkey.credentialId, at: T0 + 10 }]);
  const other = await Vault.open({ dbName, kdf: CHEAP_KDF }); // a second connection sees what is stored
  assert.equal((await other.get(own.passkey.credentialId))?.lastUsedAt, T0 + 10);
  const counted = await vault.beginSigning(key, imported.passkey.credentialId, T0 + 20);
  assert.equal(counted.signCount, 42);
  assert.equal((await other.get(imported.passkey.credentialId))?.signCount, 42, 'stored before beginSigning returned');
  assert.deepEqual(await counted.unseal(), imported.privateKey);
  assert.equal((await vault.beginSigning(key, imported.passkey.credentialId, T0 + 30)).signCount, 43);
  // A re-sealed key (deleted, imported again) gets a new sealedKeyId.
  const before = (await vault.beginSigning(key, own.passkey.credentialId, T0 + 40)).sealedKeyId;
  await vault.deletePasskey(own.passkey.credentialId);
  await vault.importPasskeys(key, [{ ...own.passkey, signCount: 0, lastUsedAt: null, label: null, privateKey: toBase64url(own.privateKey) }] as ExportedPasskey[]);
  await vault.listByRpId('example.com');
  assert.notEqual((await vault.beginSigning(key, own.passkey.credentialId, T0 + 50)).sealedKeyId, before);
  await assert.rejects(vault.beginSigning(key, 'AAAAAAAAAAAAAAAAAAAAAA', T0), PasskeyNotFoundError);
  other.close();
  vault.close();
});
