// The PIN and the vault key (keyWrap.ts), through the Vault facade: first PIN, unlock, wrong-PIN
// delays, PIN change.
import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Vault } from './vault.js';
import { PinPolicyError, TooSoonError, VaultKeyError, VaultStateError, WrongPinError } from './errors.js';
import { VAULT_KEY_AAD, importVaultKey, passkeyAad, unseal } from './aead.js';
import { deriveKek } from './kdf.js';
import type { VaultKeyRecord } from './schema.js';
import { openVaultDb } from './db.js';
import { CHEAP_KDF, testClock, failWrite, rawRows, samplePasskey, uniqueDbName, T0, openCheap, vaultWith } from './testFixtures.js';

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
  const c = testClock(T0); // the monotonic clock moves with the wall time given
  const vault = await Vault.open({ dbName: uniqueDbName('delays'), kdf: CHEAP_KDF, clock: c });
  const key = await vault.initialize('1234');
  for (let i = 1; i <= 3; i++) {
    await assert.rejects(vault.unlock('0000', c.at(T0)), (e: unknown) =>
      e instanceof WrongPinError && e.code === 'wrong-pin' && e.attempts === i && e.retryAfterMs === 0);
  }
  await assert.rejects(vault.unlock('0000', c.at(T0)), (e: unknown) =>
    e instanceof WrongPinError && e.attempts === 4 && e.retryAfterMs === 30_000 && /30 seconds/.test(e.message));
  assert.deepEqual(await vault.unlockState(c.at(T0 + 10_000)), { attempts: 4, retryAfterMs: 20_000 });
  // While waiting even the right PIN is not checked, and the attempt is not counted.
  await assert.rejects(vault.unlock('1234', c.at(T0 + 10_000)), (e: unknown) =>
    e instanceof TooSoonError && e.code === 'too-soon' && e.retryAfterMs === 20_000);
  assert.equal((await vault.unlockState(c.at(T0 + 10_000))).attempts, 4);
  const t1 = T0 + 30_000;
  await assert.rejects(vault.unlock('0000', c.at(t1)), (e: unknown) => e instanceof WrongPinError && e.attempts === 5 && e.retryAfterMs === 60_000);
  const t2 = t1 + 60_000;
  await assert.rejects(vault.unlock('0000', c.at(t2)), (e: unknown) => e instanceof WrongPinError && e.attempts === 6 && e.retryAfterMs === 120_000);
  assert.deepEqual(await vault.unlock('1234', c.at(t2 + 120_000)), key);
  assert.deepEqual(await vault.unlockState(c.at(t2 + 120_000)), { attempts: 0, retryAfterMs: 0 });
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
  const dbName = uniqueDbName('persist-lockout');
  const c = testClock();
  const vault = await Vault.open({ dbName, kdf: CHEAP_KDF, clock: c });
  const key = await vault.initialize('1234');
  const { passkey, privateKey } = samplePasskey();
  await vault.addPasskey(key, passkey, privateKey);
  for (let i = 0; i < 12; i++) await vault.unlock('0000', c.at(T0 + i * 3_600_000)).catch(() => {});
  vault.close();
  // Reopened in another worker life: its monotonic clock starts again, the wall clock goes on.
  const again = await Vault.open({ dbName, kdf: CHEAP_KDF, clock: testClock() });
  assert.deepEqual(await again.unlockState(T0 + 11 * 3_600_000), { attempts: 12, retryAfterMs: 3_600_000 });
  await assert.rejects(again.unlock('1234', T0 + 11 * 3_600_000 + 1), TooSoonError);
  assert.deepEqual(await again.unlock('1234', T0 + 12 * 3_600_000), key);
  assert.deepEqual(await again.unwrapPrivateKey(key, passkey.credentialId), privateKey);
  again.close();
});

test('changePin: the new PIN unlocks with a new vault key, the old PIN and old key do not, passkeys still unwrap', async () => {
  const { vault, dbName } = await openCheap('changepin');
  const key = await vault.initialize('1234');
  const { passkey, privateKey } = samplePasskey();
  await vault.addPasskey(key, passkey, privateKey);
  const rotated = await vault.changePin('1234', 'new pin');
  assert.notDeepEqual(rotated, key, 'the vault key was rotated');
  // The old key is refused for new writes at once (the key check is the new key's).
  const late = samplePasskey();
  await assert.rejects(vault.addPasskey(key, late.passkey, late.privateKey), VaultKeyError);
  await assert.rejects(vault.unwrapPrivateKey(key, passkey.credentialId), VaultKeyError);
  vault.close();
  const again = await Vault.open({ dbName, kdf: CHEAP_KDF });
  await assert.rejects(again.unlock('1234', T0), WrongPinError);
  const key2 = await again.unlock('new pin', T0);
  assert.deepEqual(key2, rotated);
  assert.deepEqual(await again.unwrapPrivateKey(key2, passkey.credentialId), privateKey);
  assert.equal(await again.get(late.passkey.credentialId), undefined);
  again.close();
});

/** The wrapped vault key as stored: what an old copy of the profile holds. */
async function storedVaultKeyRecord(dbName: string): Promise<VaultKeyRecord> {
  const db = await openVaultDb({ name: dbName });
  const rec = await db.get('meta', 'vaultKey');
  db.close();
  assert.ok(rec?.id === 'vaultKey');
  return rec;
}

test('an old copy of the profile plus the old PIN opens nothing saved after a PIN change (the vault key is rotated)', async () => {
  const { vault, dbName } = await openCheap('rotate-attack');
  const key = await vault.initialize('1234');
  const before = samplePasskey();
  await vault.addPasskey(key, before.passkey, before.privateKey);
  const copied = await storedVaultKeyRecord(dbName); // the attacker's copy, taken before the change
  await vault.changePin('1234', '9876-new');
  const newKey = await vault.unlock('9876-new');
  const after = samplePasskey({ rpId: 'bank.example' });
  await vault.addPasskey(newKey, after.passkey, after.privateKey);
  // The attacker: the old wrapped key and the old PIN give the old vault key...
  const oldKey = await unseal(await deriveKek('1234', copied.kdf), copied, VAULT_KEY_AAD, 'vault key');
  assert.deepEqual(oldKey, key);
  // ...which opens neither the passkey saved later nor the re-sealed earlier one, in today's database.
  const rows = await rawRows(dbName);
  const oldAes = await importVaultKey(oldKey);
  for (const r of rows) {
    await assert.rejects(unseal(oldAes, r.wrappedPrivateKey, passkeyAad(r.credentialId, r.rpId), 'private key'), VaultKeyError);
  }
  assert.deepEqual(await vault.unwrapPrivateKey(newKey, after.passkey.credentialId), after.privateKey);
  assert.deepEqual(await vault.unwrapPrivateKey(newKey, before.passkey.credentialId), before.privateKey);
  vault.close();
});

test('a PIN change interrupted in its transaction leaves the old state whole: old PIN, old key, every passkey', async () => {
  const { vault, dbName, key, samples } = await vaultWith('rotate-crash', 4);
  const before = await rawRows(dbName);
  const beforeMeta = await storedVaultKeyRecord(dbName);
  // puts in a PIN change: 1 = the wrong-PIN reservation; then, in the one rotation transaction,
  // 2..5 = the four re-sealed passkeys, 6 = the new wrapped key, 7 = the wrong-PIN reset.
  for (const nth of [2, 4, 6, 7]) {
    const restore = failWrite('put', 'UnknownError', nth);
    try {
      await assert.rejects(vault.changePin('1234', '5678'), (e: unknown) => (e as { name?: string }).name === 'UnknownError');
    } finally {
      restore();
    }
    assert.deepEqual(await rawRows(dbName), before, `every passkey as it was (failed put ${nth})`);
    assert.deepEqual(await storedVaultKeyRecord(dbName), beforeMeta);
    await assert.rejects(vault.unlock('5678'), WrongPinError);
    assert.deepEqual(await vault.unlock('1234'), key);
    for (const { passkey, privateKey } of samples) assert.deepEqual(await vault.unwrapPrivateKey(key, passkey.credentialId), privateKey);
  }
  // And once it goes through, all of it is new: every passkey opens with the new key only.
  const rotated = await vault.changePin('1234', '5678');
  for (const { passkey, privateKey } of samples) assert.deepEqual(await vault.unwrapPrivateKey(rotated, passkey.credentialId), privateKey);
  assert.ok((await rawRows(dbName)).every((r, i) => !equalIv(r.wrappedPrivateKey.iv, before[i]!.wrappedPrivateKey.iv)), 'every key sealed anew');
  vault.close();
});

function equalIv(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

test('a passkey saved while the PIN change seals is re-sealed too (the change seals again), or refused: never left under the old key', async () => {
  const { vault, key } = await vaultWith('rotate-race', 3);
  const late = samplePasskey({ rpId: 'late.example' });
  // Started together: the add checks the old key and seals while the change seals everything.
  const [added, rotated] = await Promise.allSettled([vault.addPasskey(key, late.passkey, late.privateKey), vault.changePin('1234', '5678')]);
  assert.equal(rotated.status, 'fulfilled');
  const newKey = (rotated as PromiseFulfilledResult<Uint8Array>).value;
  if (added.status === 'fulfilled') {
    assert.deepEqual(await vault.unwrapPrivateKey(newKey, late.passkey.credentialId), late.privateKey);
  } else {
    assert.ok(added.reason instanceof VaultKeyError, String(added.reason));
    assert.equal(await vault.get(late.passkey.credentialId), undefined);
  }
  // Whatever the order, every stored passkey opens with the new key.
  for (const p of await vault.listAll()) await vault.unwrapPrivateKey(newKey, p.credentialId);
  // An add that checked the old key before the change and writes after it is refused.
  const later = samplePasskey();
  await assert.rejects(vault.addPasskey(key, later.passkey, later.privateKey), VaultKeyError);
  vault.close();
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

test('moving the wall clock forward does not skip the wait while the worker lives (the monotonic clock counts too)', async () => {
  const dbName = uniqueDbName('clock-forward');
  const c = testClock(5_000);
  const vault = await Vault.open({ dbName, kdf: CHEAP_KDF, clock: c });
  const key = await vault.initialize('1234');
  for (let i = 0; i < 4; i++) await vault.unlock('0000', T0).catch(() => {}); // the 4th starts a 30 s wait
  // Someone sets the computer's clock a day ahead; 1 s has really passed.
  c.at(6_000);
  const dayLater = T0 + 86_400_000;
  assert.deepEqual(await vault.unlockState(dayLater), { attempts: 4, retryAfterMs: 29_000 });
  await assert.rejects(vault.unlock('1234', dayLater), (e: unknown) => e instanceof TooSoonError && e.retryAfterMs === 29_000);
  // And back: a wall clock set to before the attempt does not shorten it either (the stricter
  // clock says no time passed: the full wait, never more).
  await assert.rejects(vault.unlock('1234', T0 - 86_400_000), (e: unknown) => e instanceof TooSoonError && e.retryAfterMs === 30_000);
  // Once 30 s have really passed (both clocks), the PIN is checked again.
  c.at(35_000);
  assert.deepEqual(await vault.unlock('1234', T0 + 30_000), key);
  // What remains: another worker life has only the wall clock (docs/security/vault.md).
  for (let i = 0; i < 4; i++) await vault.unlock('0000', T0 + 40_000).catch(() => {});
  vault.close();
  const restarted = await Vault.open({ dbName, kdf: CHEAP_KDF, clock: testClock() });
  assert.equal((await restarted.unlockState(T0 + 40_000 + 86_400_000)).retryAfterMs, 0);
  restarted.close();
});
