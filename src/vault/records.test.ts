// Passkey records (records.ts), through the Vault facade: add, read, rename, delete, and that every
// kind of write is one transaction.
import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuplicatePasskeyError, PasskeyNotFoundError, VaultInputError, VaultKeyError, VaultQuotaError, WrongPinError } from './errors.js';
import { openVaultDb } from './db.js';
import { failWrite, samplePasskey, T0, openCheap, vaultWith, rawRows, exported } from './testFixtures.js';

test('add, get, list and unwrap; summaries never carry the wrapped key', async () => {
  const { vault } = await openCheap('add');
  const key = await vault.initialize('1234');
  const a = samplePasskey({ rpId: 'example.com', createdAt: T0 });
  const b = samplePasskey({ rpId: 'example.com', createdAt: T0 + 1000, userName: 'bob' });
  const c = samplePasskey({ rpId: 'other.example', createdAt: T0 + 2000 });
  const summary = await vault.addPasskey(key, a.passkey, a.privateKey);
  assert.deepEqual(summary, { ...a.passkey, signCount: 0, lastUsedAt: null, label: null, hidden: null });
  await vault.addPasskey(key, b.passkey, b.privateKey);
  await vault.addPasskey(key, c.passkey, c.privateKey);

  const got = await vault.get(a.passkey.credentialId);
  assert.deepEqual(got, summary);
  assert.ok(got && !('wrappedPrivateKey' in got));
  assert.equal(await vault.get('AAAAAAAAAAAAAAAAAAAAAA'), undefined);

  const forSite = await vault.listByRpId('example.com');
  assert.deepEqual(forSite.map((p) => p.userName), ['bob', 'ada@example.com']); // newer first
  assert.ok(forSite.every((p) => !('wrappedPrivateKey' in p)));
  assert.deepEqual(await vault.listByRpId('nobody.example'), []);
  assert.equal((await vault.listAll()).length, 3);

  assert.deepEqual(await vault.unwrapPrivateKey(key, c.passkey.credentialId), c.privateKey);
  await assert.rejects(vault.unwrapPrivateKey(key, 'AAAAAAAAAAAAAAAAAAAAAA'), PasskeyNotFoundError);
  vault.close();
});

test('a wrong vault key cannot add or unwrap', async () => {
  const { vault } = await openCheap('wrongkey');
  const key = await vault.initialize('1234');
  const { passkey, privateKey } = samplePasskey();
  await vault.addPasskey(key, passkey, privateKey);
  const other = crypto.getRandomValues(new Uint8Array(32));
  await assert.rejects(vault.unwrapPrivateKey(other, passkey.credentialId), (e: unknown) => e instanceof VaultKeyError && e.code === 'vault-key');
  const second = samplePasskey();
  await assert.rejects(vault.addPasskey(other, second.passkey, second.privateKey), VaultKeyError);
  assert.equal(await vault.get(second.passkey.credentialId), undefined);
  await assert.rejects(vault.unwrapPrivateKey(new Uint8Array(16), passkey.credentialId), VaultInputError);
  vault.close();
});

test('AAD binding: swapping wrapped keys between two records makes both fail to unwrap', async () => {
  const { vault, dbName } = await openCheap('aad');
  const key = await vault.initialize('1234');
  const a = samplePasskey({ rpId: 'a.example' });
  const b = samplePasskey({ rpId: 'a.example' });
  await vault.addPasskey(key, a.passkey, a.privateKey);
  await vault.addPasskey(key, b.passkey, b.privateKey);

  // An attacker with write access to IndexedDB swaps the sealed keys (same vault key, so GCM alone would accept).
  const db = await openVaultDb({ name: dbName });
  const tx = db.transaction('passkeys', 'readwrite');
  const [ra, rb] = await Promise.all([tx.store.get(a.passkey.credentialId), tx.store.get(b.passkey.credentialId)]);
  assert.ok(ra && rb);
  const sealedA = ra.wrappedPrivateKey;
  [ra.wrappedPrivateKey, rb.wrappedPrivateKey] = [rb.wrappedPrivateKey, ra.wrappedPrivateKey];
  await Promise.all([tx.store.put(ra), tx.store.put(rb), tx.done]);

  await assert.rejects(vault.unwrapPrivateKey(key, a.passkey.credentialId), VaultKeyError);
  await assert.rejects(vault.unwrapPrivateKey(key, b.passkey.credentialId), VaultKeyError);

  // Moving a record to another site (changing rpId) fails the same way.
  const tx2 = db.transaction('passkeys', 'readwrite');
  const moved = await tx2.store.get(a.passkey.credentialId);
  assert.ok(moved);
  // a's own sealed key, but the record now claims another site.
  await Promise.all([tx2.store.put({ ...moved, wrappedPrivateKey: sealedA, rpId: 'evil.example' }), tx2.done]);
  await assert.rejects(vault.unwrapPrivateKey(key, a.passkey.credentialId), VaultKeyError);
  db.close();
  vault.close();
});

test('a duplicate credentialId is refused and the store is unchanged', async () => {
  const { vault } = await openCheap('dup');
  const key = await vault.initialize('1234');
  const first = samplePasskey({ userName: 'first' });
  await vault.addPasskey(key, first.passkey, first.privateKey);
  const before = await vault.listAll();
  const clash = samplePasskey({ credentialId: first.passkey.credentialId, userName: 'second', rpId: 'other.example' });
  await assert.rejects(vault.addPasskey(key, clash.passkey, clash.privateKey), (e: unknown) =>
    e instanceof DuplicatePasskeyError && e.code === 'duplicate-passkey');
  assert.deepEqual(await vault.listAll(), before);
  assert.deepEqual(await vault.listByRpId('other.example'), []);
  assert.deepEqual(await vault.unwrapPrivateKey(key, first.passkey.credentialId), first.privateKey);
  vault.close();
});

test('addPasskey checks its input and names the field', async () => {
  const { vault } = await openCheap('input');
  const key = await vault.initialize('1234');
  const { passkey, privateKey } = samplePasskey();
  const cases: Array<[Partial<typeof passkey>, RegExp]> = [
    [{ credentialId: 'not base64url!' }, /credentialId/],
    [{ credentialId: 'AAAA' }, /credentialId.*16\.\.1023/],
    [{ rpId: '' }, /rpId/],
    [{ rpId: 'a\0b' }, /rpId/],
    [{ alg: -257 }, /alg/],
    [{ alg: -8 }, /publicKey.*32\.\.32/], // a 65-byte P-256 point is no Ed25519 key
    [{ publicKey: 'AAAA' }, /publicKey/],
    [{ backupState: true, backupEligible: false }, /backupState/],
  ];
  for (const [over, re] of cases) {
    await assert.rejects(vault.addPasskey(key, { ...passkey, ...over }, privateKey), (e: unknown) => e instanceof VaultInputError && re.test(e.message));
  }
  await assert.rejects(vault.addPasskey(key, passkey, new Uint8Array(31)), /privateKey.*length 32/);
  assert.deepEqual(await vault.listAll(), []);
  vault.close();
});

test('deletePasskey removes one passkey; deleteAllPasskeys empties the store and keeps the PIN', async () => {
  const { vault } = await openCheap('delete');
  const key = await vault.initialize('1234');
  const a = samplePasskey({ rpId: 'example.com' });
  const b = samplePasskey({ rpId: 'example.com', userName: 'bob' });
  await vault.addPasskey(key, a.passkey, a.privateKey);
  await vault.addPasskey(key, b.passkey, b.privateKey);
  await vault.deletePasskey(a.passkey.credentialId);
  assert.deepEqual((await vault.listAll()).map((p) => p.userName), ['bob']);
  await assert.rejects(vault.deletePasskey(a.passkey.credentialId), PasskeyNotFoundError);
  assert.equal(await vault.deleteAllPasskeys(), 1);
  assert.deepEqual(await vault.listAll(), []);
  assert.deepEqual(await vault.unlock('1234'), key);
  vault.close();
});

test('labels: addPasskey stores a trimmed label; renamePasskey sets, trims, clears, limits to 64 characters', async () => {
  const { vault } = await openCheap('labels');
  const key = await vault.initialize('1234');
  const a = samplePasskey();
  assert.equal((await vault.addPasskey(key, { ...a.passkey, label: '  Work laptop ' }, a.privateKey)).label, 'Work laptop');
  const id = a.passkey.credentialId;
  assert.equal((await vault.renamePasskey(id, '  Phone  ')).label, 'Phone');
  assert.equal((await vault.get(id))?.label, 'Phone');
  assert.equal((await vault.renamePasskey(id, '   ')).label, null);
  assert.equal((await vault.get(id))?.label, null);
  await vault.renamePasskey(id, '\u{1F511}'.repeat(64)); // 64 characters even though 128 UTF-16 units
  await assert.rejects(vault.renamePasskey(id, 'x'.repeat(65)), (e: unknown) =>
    e instanceof VaultInputError && /at most 64 characters/.test(e.message));
  assert.equal((await vault.get(id))?.label, '\u{1F511}'.repeat(64));
  await vault.renamePasskey(id, null);
  assert.equal((await vault.get(id))?.label, null);
  await assert.rejects(vault.renamePasskey('AAAAAAAAAAAAAAAAAAAAAA', 'x'), PasskeyNotFoundError);
  await assert.rejects(vault.renamePasskey(id, 5 as unknown as string), VaultInputError);
  const b = samplePasskey();
  await assert.rejects(vault.addPasskey(key, { ...b.passkey, label: 'y'.repeat(65) }, b.privateKey), VaultInputError);
  assert.equal(await vault.get(b.passkey.credentialId), undefined);
  vault.close();
});

test('a full disk becomes VaultQuotaError and every kind of write leaves the store unchanged', async () => {
  const { vault, dbName, key, samples } = await vaultWith('quota', 2);
  const id = samples[0]!.passkey.credentialId;
  const before = await rawRows(dbName);
  const isQuota = (e: unknown) => e instanceof VaultQuotaError && e.code === 'quota-exceeded' &&
    e.message === 'Not enough storage space to save the passkey. Free some disk space and try again.';
  const attempts: Array<['add' | 'put' | 'delete', () => Promise<unknown>]> = [
    ['add', () => { const s = samplePasskey(); return vault.addPasskey(key, s.passkey, s.privateKey); }],
    ['add', () => vault.importPasskeys(key, [exported(), exported()])],
    ['put', () => vault.renamePasskey(id, 'New name')],
    ['put', () => vault.markUsed(id, T0 + 5)],
    ['delete', () => vault.deletePasskey(id)],
  ];
  for (const [method, write] of attempts) {
    const restore = failWrite(method);
    try {
      await assert.rejects(write(), isQuota);
    } finally {
      restore();
    }
    assert.deepEqual(await rawRows(dbName), before);
  }
  // changePin writes twice: the wrong-PIN counter before Argon2 (1st put), then the re-wrapped key (2nd).
  for (const nth of [1, 2]) {
    const restore = failWrite('put', 'QuotaExceededError', nth);
    try {
      await assert.rejects(vault.changePin('1234', '5678'), isQuota);
    } finally {
      restore();
    }
    assert.deepEqual(await vault.unlock('1234'), key);
    await assert.rejects(vault.unlock('5678'), WrongPinError);
    await vault.unlock('1234');
  }
  vault.close();
});
