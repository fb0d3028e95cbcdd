// The PIN and the vault key (keyWrap.ts), through the Vault facade: first PIN, unlock, wrong-PIN
// delays, PIN change.
import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Vault } from './vault.js';
import { PinPolicyError, TooSoonError, VaultStateError, WrongPinError } from './errors.js';
import { openVaultDb } from './db.js';
import { CHEAP_KDF, samplePasskey, uniqueDbName, T0, openCheap } from './testFixtures.js';

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
