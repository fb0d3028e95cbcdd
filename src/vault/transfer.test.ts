// Backup and import (transfer.ts), through the Vault facade: export, import, never overwrite.
import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toBase64url } from '../core/base64url.js';
import { VaultInputError, VaultKeyError } from './errors.js';
import type { ExportedPasskey } from './schema.js';
import { failWrite, samplePasskey, T0, openCheap, vaultWith, rawRows, exported, signalVault } from './testFixtures.js';

test('exportPasskeys gives every passkey with its raw private key; a wrong key exports nothing', async () => {
  const { vault, key, samples } = await vaultWith('export', 3);
  await vault.renamePasskey(samples[1]!.passkey.credentialId, 'Second');
  const out = await vault.exportPasskeys(key);
  assert.equal(out.length, 3);
  for (const { passkey, privateKey } of samples) {
    const e = out.find((x) => x.credentialId === passkey.credentialId);
    assert.ok(e);
    assert.equal(e.privateKey, toBase64url(privateKey));
    const { privateKey: _pk, ...summary } = e;
    assert.deepEqual(summary, await vault.get(passkey.credentialId));
  }
  assert.equal(out.find((x) => x.credentialId === samples[1]!.passkey.credentialId)?.label, 'Second');
  await assert.rejects(vault.exportPasskeys(crypto.getRandomValues(new Uint8Array(32))), VaultKeyError);
  vault.close();
});

test('importPasskeys: adds new ids, keeps identical ones as unchanged, never overwrites a different one', async () => {
  const { vault, dbName, key, samples } = await vaultWith('import', 2);
  const before = await rawRows(dbName);
  const same = (await vault.exportPasskeys(key))[0]!;
  const fresh = exported();
  const clash = exported({ credentialId: samples[1]!.passkey.credentialId }); // same id, other key
  const r = await vault.importPasskeys(key, [fresh, same, clash]);
  assert.deepEqual(r, { added: [fresh.credentialId], unchanged: [same.credentialId], conflicts: [clash.credentialId] });
  // Existing rows are byte-for-byte as before (same sealed keys, same counters).
  const after = await rawRows(dbName);
  for (const row of before) assert.deepEqual(after.find((x) => x.credentialId === row.credentialId), row);
  // The added one keeps its counter, dates and label, and signs with its own key.
  const { privateKey: pk, ...summary } = fresh;
  assert.deepEqual(await vault.get(fresh.credentialId), { ...summary, hidden: null });
  assert.equal(toBase64url(await vault.unwrapPrivateKey(key, fresh.credentialId)), pk);
  assert.equal(await vault.markUsed(fresh.credentialId, T0 + 100), 8);
  // Importing the same list again changes nothing.
  const again = await vault.importPasskeys(key, [fresh, same, clash]);
  assert.deepEqual(again, { added: [], unchanged: [fresh.credentialId, same.credentialId], conflicts: [clash.credentialId] });
  vault.close();
});

test('importPasskeys: the same id twice in one list is added once (then unchanged or conflict)', async () => {
  const { vault, key } = await vaultWith('import-twice', 0);
  const a = exported();
  const other = exported({ credentialId: a.credentialId, rpId: 'other.example' });
  const r = await vault.importPasskeys(key, [a, a, other]);
  assert.deepEqual(r, { added: [a.credentialId], unchanged: [a.credentialId], conflicts: [a.credentialId] });
  assert.equal((await vault.get(a.credentialId))?.rpId, a.rpId);
  vault.close();
});

test('importPasskeys checks every item first: one bad item (key not matching) writes nothing', async () => {
  const { vault, dbName, key } = await vaultWith('import-check', 1);
  const before = await rawRows(dbName);
  const good = exported();
  const wrongKey = exported({ privateKey: exported().privateKey });
  await assert.rejects(vault.importPasskeys(key, [good, wrongKey]), (e: unknown) =>
    e instanceof VaultInputError && /Passkey 2 of 2/.test(e.message) && /does not belong to "publicKey"/.test(e.message));
  const cases: Array<[Partial<ExportedPasskey>, RegExp]> = [
    [{ privateKey: 'AAAA' }, /privateKey.*32 bytes/],
    [{ privateKey: toBase64url(new Uint8Array(32)) }, /not a valid P-256 private key/],
    [{ privateKey: toBase64url(new Uint8Array(32).fill(0xff)) }, /not a valid P-256 private key/],
    [{ credentialId: 'short' }, /credentialId/],
    [{ lastUsedAt: Number.NaN }, /lastUsedAt/],
    [{ signCount: undefined }, /signCount/],
    [{ label: 'z'.repeat(65) }, /64 characters/],
  ];
  for (const [over, re] of cases) {
    await assert.rejects(vault.importPasskeys(key, [good, { ...exported(), ...over }]), (e: unknown) => e instanceof VaultInputError && re.test(e.message));
  }
  await assert.rejects(vault.importPasskeys(crypto.getRandomValues(new Uint8Array(32)), [good]), VaultKeyError);
  await assert.rejects(vault.importPasskeys(key, 'nope' as unknown as ExportedPasskey[]), VaultInputError);
  assert.deepEqual(await rawRows(dbName), before);
  vault.close();
});

test('importPasskeys is one transaction: a write failing after others succeeded leaves the vault as before', async () => {
  const { vault, dbName, key } = await vaultWith('import-abort', 2);
  const before = await rawRows(dbName);
  const items = [exported(), exported(), exported()];
  const restore = failWrite('add', 'UnknownError', 2); // the second add "fails on disk"
  try {
    await assert.rejects(vault.importPasskeys(key, items), (e: unknown) => (e as { name?: string }).name === 'UnknownError');
  } finally {
    restore();
  }
  assert.deepEqual(await rawRows(dbName), before);
  // Nothing half-done blocks a retry.
  assert.equal((await vault.importPasskeys(key, items)).added.length, 3);
  vault.close();
});

test('EdDSA (alg -8): a 32-byte seed and a 32-byte public key are stored, unwrapped, exported and imported', async () => {
  const { vault } = await openCheap('eddsa');
  const key = await vault.initialize('1234');
  const a = samplePasskey({ alg: -8 });
  assert.equal((await vault.addPasskey(key, a.passkey, a.privateKey)).alg, -8);
  assert.deepEqual(await vault.unwrapPrivateKey(key, a.passkey.credentialId), a.privateKey);
  await assert.rejects(vault.addPasskey(key, samplePasskey({ alg: -8 }).passkey, new Uint8Array(64)), /privateKey.*length 32/);
  const out = await vault.exportPasskeys(key);
  assert.equal(out[0]!.alg, -8);
  assert.equal(out[0]!.privateKey, toBase64url(a.privateKey));
  // Into a second vault: unchanged where it is, added where it is not.
  assert.deepEqual(await vault.importPasskeys(key, out), { added: [], unchanged: [a.passkey.credentialId], conflicts: [] });
  const second = (await openCheap('eddsa-2')).vault;
  const key2 = await second.initialize('5678');
  const fresh = exported({ alg: -8 });
  assert.deepEqual(await second.importPasskeys(key2, [...out, fresh]), { added: [a.passkey.credentialId, fresh.credentialId], unchanged: [], conflicts: [] });
  assert.equal(toBase64url(await second.unwrapPrivateKey(key2, fresh.credentialId)), fresh.privateKey);
  vault.close();
  second.close();
});

test('EdDSA import checks the public key against the seed (ed25519.getPublicKey), and the key sizes', async () => {
  const { vault, dbName, key } = await vaultWith('eddsa-import-check', 1);
  const before = await rawRows(dbName);
  const good = exported({ alg: -8 });
  const cases: Array<[ExportedPasskey, RegExp]> = [
    [exported({ alg: -8, privateKey: exported({ alg: -8 }).privateKey }), /does not belong to "publicKey"/],
    // An ES256 key labelled EdDSA, and an EdDSA key labelled ES256.
    [{ ...exported(), alg: -8 }, /publicKey.*32\.\.32/],
    [{ ...exported({ alg: -8 }), alg: -7 }, /publicKey.*65\.\.65/],
    // A P-256 scalar with a 32-byte public key that is not its Ed25519 key.
    [{ ...good, privateKey: exported().privateKey }, /does not belong to "publicKey"/],
    [{ ...good, privateKey: toBase64url(new Uint8Array(64)) }, /privateKey.*32 bytes/],
  ];
  for (const [item, re] of cases) {
    await assert.rejects(vault.importPasskeys(key, [good, item]), (e: unknown) => e instanceof VaultInputError && re.test(e.message));
  }
  assert.deepEqual(await rawRows(dbName), before);
  vault.close();
});

test('a backup keeps the hidden mark; one without it (older file, other manager) is not hidden', async () => {
  const { vault, key, ids } = await signalVault('hidden-backup', { rpId: 'a.example' }, { rpId: 'a.example' });
  await vault.hideUnknownCredential('a.example', ids[0]!, T0);
  const items = await vault.exportPasskeys(key);
  const { vault: other } = await openCheap('hidden-backup-2');
  const key2 = await other.initialize('1234');
  const [withMark, withoutMark] = [items.find((p) => p.credentialId === ids[0]), items.find((p) => p.credentialId === ids[1])];
  const { hidden: _h, ...older } = withMark!;
  assert.equal((await other.importPasskeys(key2, [older as ExportedPasskey, withoutMark!])).added.length, 2);
  assert.equal((await other.get(ids[0]!))!.hidden, null);
  const { vault: third } = await openCheap('hidden-backup-3');
  const key3 = await third.initialize('1234');
  await third.importPasskeys(key3, items);
  assert.deepEqual((await third.get(ids[0]!))!.hidden, { at: T0, by: 'unknown' });
  await assert.rejects(third.importPasskeys(key3, [{ ...withoutMark!, credentialId: 'QkJC', hidden: { at: 'x' } as never }]), VaultInputError);
  for (const v of [vault, other, third]) v.close();
});
