// The summaries store (schema v4) never disagrees with the passkey records: after every kind of
// write, and when a write fails halfway (both roll back together).
import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openVaultDb } from './db.js';
import { VaultQuotaError } from './errors.js';
import { Vault } from './vault.js';
import { CHEAP_KDF, T0, exported, failWrite, samplePasskey, uniqueDbName } from './testFixtures.js';

async function bothStores(dbName: string) {
  const db = await openVaultDb({ name: dbName });
  const byId = (a: { credentialId: string }, b: { credentialId: string }) => (a.credentialId < b.credentialId ? -1 : 1);
  const records = (await db.getAll('passkeys')).sort(byId);
  const summaries = (await db.getAll('summaries')).sort(byId);
  db.close();
  return { records, summaries };
}

async function assertInStep(dbName: string, what: string) {
  const { records, summaries } = await bothStores(dbName);
  assert.deepEqual(summaries, records.map(({ wrappedPrivateKey: _w, ...s }) => s), `after ${what}`);
  assert.ok(summaries.every((s) => !('wrappedPrivateKey' in s)));
}

test('every kind of write keeps each summary equal to its record without the wrapped key', async () => {
  const dbName = uniqueDbName('rows');
  const vault = await Vault.open({ dbName, kdf: CHEAP_KDF, cacheSites: true });
  const key = await vault.initialize('1234');
  const user = 'dXNlcg';
  const a = samplePasskey({ userHandle: user });
  const b = samplePasskey({ userHandle: user, signCount: 3 });
  const steps: Array<[string, () => Promise<unknown>]> = [
    ['add', () => vault.addPasskey(key, a.passkey, a.privateKey)],
    ['add (counting)', () => vault.addPasskey(key, b.passkey, b.privateKey)],
    ['rename', () => vault.renamePasskey(a.passkey.credentialId, 'Work')],
    ['markUsed', () => vault.markUsed(b.passkey.credentialId, T0 + 1)],
    ['beginSigning from the cache + recordLastUsed', async () => {
      await vault.listByRpId('example.com');
      await vault.beginSigning(key, a.passkey.credentialId, T0 + 2);
      await vault.recordLastUsed([{ credentialId: a.passkey.credentialId, at: T0 + 2 }]);
    }],
    ['useForSigning', () => vault.useForSigning(key, b.passkey.credentialId, T0 + 3)],
    ['hideUnknownCredential', () => vault.hideUnknownCredential('example.com', a.passkey.credentialId, T0 + 4)],
    ['applyAcceptedCredentials', () => vault.applyAcceptedCredentials('example.com', user, [a.passkey.credentialId], T0 + 5)],
    ['updateUserDetails', () => vault.updateUserDetails('example.com', user, 'new@example.com', 'New')],
    ['hide + unhide', async () => { await vault.hideUnknownCredential('example.com', b.passkey.credentialId, T0); await vault.unhidePasskey(b.passkey.credentialId); }],
    ['import', () => vault.importPasskeys(key, [exported(), exported({ rpId: 'other.example' })])],
    ['changePin', () => vault.changePin('1234', '5678')],
    ['delete', () => vault.deletePasskey(a.passkey.credentialId)],
  ];
  for (const [what, write] of steps) {
    await write();
    await assertInStep(dbName, what);
  }
  assert.equal((await bothStores(dbName)).summaries.length, 3);
  await vault.deleteAllPasskeys();
  assert.deepEqual(await bothStores(dbName), { records: [], summaries: [] });
  vault.close();
});

test('a write that fails on the summaries store rolls back its record too', async () => {
  const dbName = uniqueDbName('rows-fail');
  const vault = await Vault.open({ dbName, kdf: CHEAP_KDF });
  const key = await vault.initialize('1234');
  const a = samplePasskey();
  await vault.addPasskey(key, a.passkey, a.privateKey);
  const before = await bothStores(dbName);
  // The 2nd put of a rename is the summary's (the record's came first).
  const restore = failWrite('put', 'QuotaExceededError', 2);
  try {
    await assert.rejects(vault.renamePasskey(a.passkey.credentialId, 'Lost?'), VaultQuotaError);
  } finally {
    restore();
  }
  assert.deepEqual(await bothStores(dbName), before);
  const restoreAdd = failWrite('add', 'QuotaExceededError', 2);
  const c = samplePasskey();
  try {
    await assert.rejects(vault.addPasskey(key, c.passkey, c.privateKey), VaultQuotaError);
  } finally {
    restoreAdd();
  }
  assert.deepEqual(await bothStores(dbName), before);
  vault.close();
});
