import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Vault } from './vault.js';
import { toBase64url } from '../core/base64url.js';
import {
  DuplicatePasskeyError, PasskeyNotFoundError, PinPolicyError, TooSoonError, VaultInputError, VaultKeyError,
  VaultQuotaError, VaultStateError, WrongPinError,
} from './errors.js';
import { openVaultDb } from './db.js';
import type { ExportedPasskey } from './schema.js';
import { CHEAP_KDF, failWrite, samplePasskey, uniqueDbName } from './testFixtures.js';

async function openCheap(label: string, dbName = uniqueDbName(label)) {
  return { vault: await Vault.open({ dbName, kdf: CHEAP_KDF }), dbName };
}

const T0 = 1_700_000_000_000;

test('initialize returns a 32-byte vault key, and unlock with the same PIN returns it again', async () => {
  const { vault } = await openCheap('init');
  assert.equal(await vault.isInitialized(), false);
  const key = await vault.initialize('1234');
  assert.equal(key.length, 32);
  assert.equal(await vault.isInitialized(), true);
  assert.deepEqual(await vault.unlock('1234', T0), key);
  vault.close();
});

test('unlock before any PIN is set says so', async () => {
  const { vault } = await openCheap('uninit');
  await assert.rejects(vault.unlock('1234', T0), (e: unknown) => e instanceof VaultStateError && e.code === 'not-initialized');
  vault.close();
});

test('initialize refuses a second time and keeps the first PIN', async () => {
  const { vault } = await openCheap('reinit');
  const key = await vault.initialize('1234');
  await assert.rejects(vault.initialize('5678'), (e: unknown) => e instanceof VaultStateError && e.code === 'already-initialized');
  assert.deepEqual(await vault.unlock('1234', T0), key);
  vault.close();
});

test('PIN policy: at least 4 characters of any text, counted after NFC', async () => {
  const { vault } = await openCheap('policy');
  for (const bad of ['', '123']) await assert.rejects(vault.initialize(bad), PinPolicyError);
  // Five code points typed, three characters after NFC ("é", "é", "e").
  await assert.rejects(vault.initialize('e\u0301e\u0301e'), /at least 4 characters long \(it has 3\)/);
  await assert.rejects(vault.initialize(1234 as unknown as string), PinPolicyError);
  assert.equal(await vault.isInitialized(), false);
  assert.equal((await vault.initialize('pin ü')).length, 32); // any text, spaces and letters included
  vault.close();
});

test('wrong PINs: three free, then growing delays; TooSoon while waiting; a right PIN resets', async () => {
  const { vault } = await openCheap('delays');
  const key = await vault.initialize('1234');
  for (let i = 1; i <= 3; i++) {
    await assert.rejects(vault.unlock('0000', T0), (e: unknown) =>
      e instanceof WrongPinError && e.code === 'wrong-pin' && e.attempts === i && e.retryAfterMs === 0);
  }
  await assert.rejects(vault.unlock('0000', T0), (e: unknown) =>
    e instanceof WrongPinError && e.attempts === 4 && e.retryAfterMs === 30_000 && /30 seconds/.test(e.message));
  assert.deepEqual(await vault.unlockState(T0 + 10_000), { attempts: 4, retryAfterMs: 20_000 });
  // While waiting even the right PIN is not checked, and the attempt is not counted.
  await assert.rejects(vault.unlock('1234', T0 + 10_000), (e: unknown) =>
    e instanceof TooSoonError && e.code === 'too-soon' && e.retryAfterMs === 20_000);
  assert.equal((await vault.unlockState(T0 + 10_000)).attempts, 4);
  const t1 = T0 + 30_000;
  await assert.rejects(vault.unlock('0000', t1), (e: unknown) => e instanceof WrongPinError && e.attempts === 5 && e.retryAfterMs === 60_000);
  const t2 = t1 + 60_000;
  await assert.rejects(vault.unlock('0000', t2), (e: unknown) => e instanceof WrongPinError && e.attempts === 6 && e.retryAfterMs === 120_000);
  assert.deepEqual(await vault.unlock('1234', t2 + 120_000), key);
  assert.deepEqual(await vault.unlockState(t2 + 120_000), { attempts: 0, retryAfterMs: 0 });
  vault.close();
});

test('parallel wrong guesses cannot slip past the delay', async () => {
  const { vault } = await openCheap('parallel');
  await vault.initialize('1234');
  const results = await Promise.allSettled(Array.from({ length: 8 }, () => vault.unlock('0000', T0)));
  const wrong = results.filter((r) => r.status === 'rejected' && r.reason instanceof WrongPinError).length;
  const tooSoon = results.filter((r) => r.status === 'rejected' && r.reason instanceof TooSoonError).length;
  assert.equal(wrong, 4); // 3 free + the one that starts the 30 s wait
  assert.equal(tooSoon, 4);
  vault.close();
});

test('the wrong-PIN count survives closing and reopening, and nothing is deleted', async () => {
  const { vault, dbName } = await openCheap('persist-lockout');
  const key = await vault.initialize('1234');
  const { passkey, privateKey } = samplePasskey();
  await vault.addPasskey(key, passkey, privateKey);
  for (let i = 0; i < 12; i++) await vault.unlock('0000', T0 + i * 3_600_000).catch(() => {});
  vault.close();
  const again = await Vault.open({ dbName, kdf: CHEAP_KDF });
  assert.deepEqual(await again.unlockState(T0 + 11 * 3_600_000), { attempts: 12, retryAfterMs: 3_600_000 });
  await assert.rejects(again.unlock('1234', T0 + 11 * 3_600_000 + 1), TooSoonError);
  assert.deepEqual(await again.unlock('1234', T0 + 12 * 3_600_000), key);
  assert.deepEqual(await again.unwrapPrivateKey(key, passkey.credentialId), privateKey);
  again.close();
});

test('passkeys and the PIN persist across close and reopen', async () => {
  const { vault, dbName } = await openCheap('persist');
  const key = await vault.initialize('1234');
  const { passkey, privateKey } = samplePasskey();
  await vault.addPasskey(key, passkey, privateKey);
  vault.close();
  await assert.rejects(vault.listAll(), (e: unknown) => e instanceof VaultStateError && e.code === 'db-closed');
  const again = await Vault.open({ dbName, kdf: CHEAP_KDF });
  const key2 = await again.unlock('1234', T0);
  assert.deepEqual(key2, key);
  assert.equal((await again.listAll()).length, 1);
  assert.deepEqual(await again.unwrapPrivateKey(key2, passkey.credentialId), privateKey);
  again.close();
});

test('changePin: the new PIN unlocks, the old one does not, passkeys still unwrap', async () => {
  const { vault, dbName } = await openCheap('changepin');
  const key = await vault.initialize('1234');
  const { passkey, privateKey } = samplePasskey();
  await vault.addPasskey(key, passkey, privateKey);
  await vault.changePin('1234', 'new pin');
  vault.close();
  const again = await Vault.open({ dbName, kdf: CHEAP_KDF });
  await assert.rejects(again.unlock('1234', T0), WrongPinError);
  const key2 = await again.unlock('new pin', T0);
  assert.deepEqual(key2, key);
  assert.deepEqual(await again.unwrapPrivateKey(key2, passkey.credentialId), privateKey);
  again.close();
});

test('changePin with a wrong old PIN counts as a wrong PIN and changes nothing', async () => {
  const { vault } = await openCheap('changepin-wrong');
  const key = await vault.initialize('1234');
  await assert.rejects(vault.changePin('0000', '5678'), (e: unknown) => e instanceof WrongPinError && e.attempts === 1);
  assert.equal((await vault.unlockState()).attempts, 1);
  await assert.rejects(vault.changePin('1234', '12'), PinPolicyError); // policy first: not counted
  assert.equal((await vault.unlockState()).attempts, 1);
  assert.deepEqual(await vault.unlock('1234'), key);
  vault.close();
});

test('changePin uses the KDF settings of this release, so parameters can change over time', async () => {
  const dbName = uniqueDbName('kdf-migrate');
  const old = await Vault.open({ dbName, kdf: CHEAP_KDF });
  const key = await old.initialize('1234');
  old.close();
  const stronger = { ...CHEAP_KDF, memoryKiB: 2048, iterations: 2 };
  const now = await Vault.open({ dbName, kdf: stronger });
  assert.deepEqual(await now.unlock('1234'), key); // old parameters still read from the record
  await now.changePin('1234', '4321');
  now.close();
  const db = await openVaultDb({ name: dbName });
  const rec = await db.get('meta', 'vaultKey');
  db.close();
  assert.ok(rec?.id === 'vaultKey');
  assert.equal(rec.kdf.memoryKiB, 2048);
  assert.equal(rec.kdf.iterations, 2);
  assert.equal(rec.kdf.salt.length, 16);
});

test('initialize and unlock with the real default KDF (64 MiB, t=3)', async () => {
  const vault = await Vault.open({ dbName: uniqueDbName('defaults') });
  const key = await vault.initialize('2468');
  assert.deepEqual(await vault.unlock('2468', T0), key);
  await assert.rejects(vault.unlock('1357', T0), WrongPinError);
  vault.close();
});

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

/** A vault with a PIN and `n` passkeys; returns the raw rows too, to compare "unchanged" byte for byte. */
async function vaultWith(label: string, n: number) {
  const { vault, dbName } = await openCheap(label);
  const key = await vault.initialize('1234');
  const samples = Array.from({ length: n }, (_, i) => samplePasskey({ createdAt: T0 + i, userName: `user${i}` }));
  for (const { passkey, privateKey } of samples) await vault.addPasskey(key, passkey, privateKey);
  return { vault, dbName, key, samples };
}

async function rawRows(dbName: string) {
  const db = await openVaultDb({ name: dbName });
  const rows = (await db.getAll('passkeys')).sort((a, b) => (a.credentialId < b.credentialId ? -1 : 1));
  db.close();
  return rows;
}

/** An importable passkey made from scratch (as a backup or Bitwarden would hand it over). */
function exported(over: Partial<ExportedPasskey> = {}): ExportedPasskey {
  const { passkey, privateKey } = samplePasskey(over.alg === undefined ? {} : { alg: over.alg });
  return { ...passkey, signCount: 7, lastUsedAt: T0 + 99, label: 'From backup', privateKey: toBase64url(privateKey), ...over };
}

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

// ---- Signal API actions (WebAuthn L3 §5.1.10) --------------------------------------------------

async function signalVault(label: string, ...over: Parameters<typeof samplePasskey>[0][]) {
  const { vault } = await openCheap(label);
  const key = await vault.initialize('1234');
  const ids: string[] = [];
  for (const o of over) {
    const { passkey, privateKey } = samplePasskey(o);
    await vault.addPasskey(key, passkey, privateKey);
    ids.push(passkey.credentialId);
  }
  return { vault, key, ids };
}

test('a new passkey is not hidden', async () => {
  const { vault, ids } = await signalVault('hidden-new', {});
  assert.equal((await vault.get(ids[0]!))!.hidden, null);
  vault.close();
});

test('hideUnknownCredential hides only the passkey with that RP ID and id, once, and keeps it', async () => {
  const { vault, ids } = await signalVault('hide-unknown', { rpId: 'a.example' }, { rpId: 'a.example' });
  assert.equal(await vault.hideUnknownCredential('b.example', ids[0]!, T0), false, 'another RP ID: untouched');
  assert.equal(await vault.hideUnknownCredential('a.example', 'AAAA', T0), false, 'no such id');
  assert.equal(await vault.hideUnknownCredential('a.example', ids[0]!, T0), true);
  assert.equal(await vault.hideUnknownCredential('a.example', ids[0]!, T0 + 5), false, 'already hidden: first mark kept');
  assert.deepEqual((await vault.get(ids[0]!))!.hidden, { at: T0, by: 'unknown' });
  assert.equal((await vault.get(ids[1]!))!.hidden, null);
  assert.equal((await vault.listAll()).length, 2, 'hidden, not deleted');
  vault.close();
});

test('applyAcceptedCredentials hides what the list leaves out, for that user only, and shows listed ones again', async () => {
  const alice = 'YWxpY2U';
  const bob = 'Ym9i';
  const { vault, ids } = await signalVault('accepted',
    { rpId: 'a.example', userHandle: alice }, { rpId: 'a.example', userHandle: alice },
    { rpId: 'a.example', userHandle: bob }, { rpId: 'b.example', userHandle: alice });
  const [a1, a2, b1, other] = ids as [string, string, string, string];
  assert.deepEqual(await vault.applyAcceptedCredentials('a.example', alice, [a2], T0), { hidden: [a1], shown: [] });
  assert.deepEqual((await vault.get(a1))!.hidden, { at: T0, by: 'not-accepted' });
  for (const id of [a2, b1, other]) assert.equal((await vault.get(id))!.hidden, null);
  // An empty list hides every passkey of that user at that site (the spec's actions, literally).
  assert.deepEqual(await vault.applyAcceptedCredentials('a.example', alice, [], T0 + 1), { hidden: [a2], shown: [] });
  assert.deepEqual((await vault.get(a1))!.hidden, { at: T0, by: 'not-accepted' }, 'the first mark stays');
  // Listed again: shown again, whichever signal hid it.
  await vault.hideUnknownCredential('a.example', b1, T0);
  assert.deepEqual(await vault.applyAcceptedCredentials('a.example', alice, [a1, a2, 'QUJD'], T0 + 2), { hidden: [], shown: [a1, a2].sort((x, y) => (x < y ? -1 : 1)) });
  assert.deepEqual(await vault.applyAcceptedCredentials('a.example', bob, [b1], T0 + 3), { hidden: [], shown: [b1] });
  assert.equal((await vault.listAll()).filter((p) => p.hidden).length, 0);
  vault.close();
});

test('updateUserDetails renames every passkey of that site and user (hidden too), keeps labels, nothing else', async () => {
  const user = 'dXNlcg';
  const { vault, ids } = await signalVault('details',
    { rpId: 'a.example', userHandle: user, label: 'Work' }, { rpId: 'a.example', userHandle: user },
    { rpId: 'a.example' }, { rpId: 'b.example', userHandle: user });
  await vault.hideUnknownCredential('a.example', ids[1]!, T0);
  assert.equal(await vault.updateUserDetails('a.example', user, 'ada.l@example.com', 'Ada L.'), 2);
  assert.equal(await vault.updateUserDetails('a.example', user, 'ada.l@example.com', 'Ada L.'), 0, 'no change, no write');
  const [p0, p1, p2, p3] = await Promise.all(ids.map((id) => vault.get(id)));
  assert.deepEqual([p0!.userName, p0!.userDisplayName, p0!.label], ['ada.l@example.com', 'Ada L.', 'Work']);
  assert.deepEqual([p1!.userName, p1!.userDisplayName], ['ada.l@example.com', 'Ada L.']);
  assert.deepEqual(p1!.hidden, { at: T0, by: 'unknown' });
  assert.equal(p2!.userName, 'ada@example.com');
  assert.equal(p3!.userName, 'ada@example.com');
  vault.close();
});

test('unhidePasskey shows a hidden passkey again; unknown ids are refused', async () => {
  const { vault, ids } = await signalVault('unhide', { rpId: 'a.example' });
  await vault.hideUnknownCredential('a.example', ids[0]!, T0);
  assert.equal((await vault.unhidePasskey(ids[0]!)).hidden, null);
  assert.equal((await vault.get(ids[0]!))!.hidden, null);
  assert.equal((await vault.unhidePasskey(ids[0]!)).hidden, null, 'showing a shown passkey is harmless');
  await assert.rejects(vault.unhidePasskey('AAAA'), PasskeyNotFoundError);
  vault.close();
});

test('a signal write that fails leaves every passkey as it was (one transaction)', async () => {
  const user = 'dXNlcg';
  const { vault, ids } = await signalVault('signal-atomic', { rpId: 'a.example', userHandle: user }, { rpId: 'a.example', userHandle: user });
  const restore = failWrite('put', 'QuotaExceededError', 2);
  try {
    await assert.rejects(vault.applyAcceptedCredentials('a.example', user, [], T0), VaultQuotaError);
  } finally {
    restore();
  }
  for (const id of ids) assert.equal((await vault.get(id))!.hidden, null);
  vault.close();
});

test('signal actions check their arguments', async () => {
  const { vault } = await signalVault('signal-args');
  await assert.rejects(vault.hideUnknownCredential('', 'AAAA', T0), VaultInputError);
  await assert.rejects(vault.applyAcceptedCredentials('a.example', 'AAAA', 'AAAA' as unknown as string[], T0), VaultInputError);
  await assert.rejects(vault.updateUserDetails('a.example', 'AAAA', 1 as unknown as string, 'x'), VaultInputError);
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

// ---- the background's cache of each site's passkeys (cacheSites) and beginSigning ----

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
