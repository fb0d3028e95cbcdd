// The background's cache of each site's passkeys (siteCache.ts, VaultOpenOpts.cacheSites).
import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Vault } from './vault.js';
import { toBase64url } from '../core/base64url.js';
import type { ExportedPasskey } from './schema.js';
import { CHEAP_KDF, samplePasskey, uniqueDbName, T0, } from './testFixtures.js';

test('cacheSites: a site read from memory still shows every add, rename, delete and import at once', async () => {
  const dbName = uniqueDbName('cache');
  const vault = await Vault.open({ dbName, kdf: CHEAP_KDF, cacheSites: true });
  const key = await vault.initialize('1234');
  const a = samplePasskey();
  await vault.addPasskey(key, a.passkey, a.privateKey);
  assert.equal((await vault.listByRpId('example.com')).length, 1); // now cached
  const b = samplePasskey({ createdAt: T0 + 1 });
  await vault.addPasskey(key, b.passkey, b.privateKey);
  assert.deepEqual((await vault.listByRpId('example.com')).map((p) => p.credentialId), [b.passkey.credentialId, a.passkey.credentialId]);
  await vault.renamePasskey(a.passkey.credentialId, 'Work');
  assert.equal((await vault.listByRpId('example.com')).find((p) => p.credentialId === a.passkey.credentialId)?.label, 'Work');
  await vault.deletePasskey(b.passkey.credentialId);
  assert.deepEqual((await vault.listByRpId('example.com')).map((p) => p.credentialId), [a.passkey.credentialId]);
  const c = samplePasskey();
  const exported = [{ ...c.passkey, signCount: 0, lastUsedAt: null, label: null, privateKey: toBase64url(c.privateKey) }] as ExportedPasskey[];
  await vault.importPasskeys(key, exported);
  assert.equal((await vault.listByRpId('example.com')).length, 2);
  await vault.deleteAllPasskeys();
  assert.deepEqual(await vault.listByRpId('example.com'), []);
  vault.close();
});

test('cacheSites: the Signal API actions show at once too (hide, accepted list, user details, show again)', async () => {
  const vault = await Vault.open({ dbName: uniqueDbName('cache-signal'), kdf: CHEAP_KDF, cacheSites: true });
  const key = await vault.initialize('1234');
  const a = samplePasskey();
  await vault.addPasskey(key, a.passkey, a.privateKey);
  const id = a.passkey.credentialId;
  const listed = async () => (await vault.listByRpId('example.com')).find((p) => p.credentialId === id)!;
  assert.equal((await listed()).hidden, null); // now cached
  assert.equal(await vault.hideUnknownCredential('example.com', id, T0), true);
  assert.deepEqual((await listed()).hidden, { at: T0, by: 'unknown' });
  await vault.applyAcceptedCredentials('example.com', a.passkey.userHandle, [id], T0 + 1);
  assert.equal((await listed()).hidden, null);
  await vault.updateUserDetails('example.com', a.passkey.userHandle, 'new@example.com', 'New Name');
  assert.equal((await listed()).userName, 'new@example.com');
  await vault.hideUnknownCredential('example.com', id, T0 + 2);
  await vault.unhidePasskey(id);
  assert.equal((await listed()).hidden, null);
  vault.close();
});

test('cacheSites: after deleteAllPasskeys sites read as empty from memory, and adds, evictions and other writes stay right', async () => {
  const dbName = uniqueDbName('cache-empty');
  const vault = await Vault.open({ dbName, kdf: CHEAP_KDF, cacheSites: true });
  const key = await vault.initialize('1234');
  const old = samplePasskey();
  await vault.addPasskey(key, old.passkey, old.privateKey);
  await vault.deleteAllPasskeys();
  assert.deepEqual(await vault.listByRpId('example.com'), []);
  assert.deepEqual(await vault.listByRpId('other.example'), []);
  const a = samplePasskey();
  await vault.addPasskey(key, a.passkey, a.privateKey);
  const b = samplePasskey({ rpId: 'never-listed.example' });
  await vault.addPasskey(key, b.passkey, b.privateKey); // a site not read since the clear
  assert.deepEqual((await vault.listByRpId('example.com')).map((p) => p.credentialId), [a.passkey.credentialId]);
  assert.deepEqual((await vault.listByRpId('never-listed.example')).map((p) => p.credentialId), [b.passkey.credentialId]);
  // The cache holds 64 sites: once example.com is evicted it is read from the database again.
  for (let i = 0; i < 64; i++) assert.deepEqual(await vault.listByRpId(`site${i}.example`), []);
  assert.deepEqual((await vault.listByRpId('example.com')).map((p) => p.credentialId), [a.passkey.credentialId]);
  // Any other write ends the "empty" knowledge: an import shows up.
  await vault.deleteAllPasskeys();
  const c = samplePasskey({ rpId: 'imported.example' });
  await vault.importPasskeys(key, [{ ...c.passkey, signCount: 0, lastUsedAt: null, label: null, privateKey: toBase64url(c.privateKey) }] as ExportedPasskey[]);
  assert.deepEqual((await vault.listByRpId('imported.example')).map((p) => p.credentialId), [c.passkey.credentialId]);
  // The passkey counts for beginSigning as usual.
  assert.equal((await vault.beginSigning(key, c.passkey.credentialId, T0)).signCount, 0);
  const other = await Vault.open({ dbName, kdf: CHEAP_KDF });
  assert.deepEqual((await other.listAll()).map((p) => p.credentialId).sort(), [c.passkey.credentialId]);
  other.close();
  vault.close();
});
