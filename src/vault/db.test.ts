import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDB } from 'idb';
import { openVaultDb } from './db.js';
import { VaultVersionError } from './errors.js';
import { DB_VERSION, upgrades, type PasskeyRecord, type UpgradeStep } from './schema.js';
import { Vault } from './vault.js';
import { KEY_CHECK_AAD, VAULT_KEY_AAD, importVaultKey, passkeyAad, seal } from './aead.js';
import { deriveKek, type KdfParams } from './kdf.js';
import { CHEAP_KDF, samplePasskey, uniqueDbName } from './testFixtures.js';

test('step 0 -> 1 creates "meta" and "passkeys" with a non-unique rpId index', async () => {
  const db = await openVaultDb({ name: uniqueDbName('v1'), upgrades: upgrades.slice(0, 1) });
  assert.equal(db.version, 1);
  assert.deepEqual([...db.objectStoreNames].sort(), ['meta', 'passkeys']);
  const tx = db.transaction(['meta', 'passkeys']);
  assert.equal(tx.objectStore('meta').keyPath, 'id');
  const passkeys = tx.objectStore('passkeys');
  assert.equal(passkeys.keyPath, 'credentialId');
  const idx = passkeys.index('rpId');
  assert.equal(idx.keyPath, 'rpId');
  assert.equal(idx.unique, false);
  await tx.done;
  db.close();
});

test('a fresh database is at the current version, with the same stores', async () => {
  const db = await openVaultDb({ name: uniqueDbName('current') });
  assert.equal(DB_VERSION, 4);
  assert.equal(db.version, DB_VERSION);
  assert.deepEqual([...db.objectStoreNames].sort(), ['meta', 'passkeys', 'summaries']);
  const tx = db.transaction('summaries');
  assert.deepEqual(tx.store.keyPath, ['rpId', 'credentialId']);
  assert.equal(tx.store.index('credentialId').unique, true);
  await tx.done;
  db.close();
});

test('step 1 -> 2 on a database really written at version 1: every row kept, label null, still usable', async () => {
  const name = uniqueDbName('v1-to-v2');
  // Version 1 exactly as the first release wrote it: only the first step, rows without "label".
  const v1 = await openVaultDb({ name, upgrades: upgrades.slice(0, 1) });
  assert.equal(v1.version, 1);
  const vaultKey = crypto.getRandomValues(new Uint8Array(32));
  const kdf: KdfParams = { ...CHEAP_KDF, salt: crypto.getRandomValues(new Uint8Array(16)) };
  const wrapped = await seal(await deriveKek('1234', kdf), vaultKey, VAULT_KEY_AAD);
  const aesKey = await importVaultKey(vaultKey);
  const keyCheck = await seal(aesKey, new Uint8Array(0), KEY_CHECK_AAD);
  const samples = [samplePasskey({ rpId: 'a.example', createdAt: 1 }), samplePasskey({ rpId: 'b.example', createdAt: 2 }),
    samplePasskey({ rpId: 'a.example', createdAt: 3, userName: 'third' })];
  const v1Rows = await Promise.all(samples.map(async ({ passkey, privateKey }) => ({
    ...passkey, signCount: 5, lastUsedAt: null,
    wrappedPrivateKey: await seal(aesKey, privateKey, passkeyAad(passkey.credentialId, passkey.rpId)),
  })));
  const tx = v1.transaction(['meta', 'passkeys'], 'readwrite');
  await Promise.all([
    tx.objectStore('meta').put({ id: 'vaultKey', kdf, ...wrapped, keyCheck, createdAt: 1 }),
    ...v1Rows.map((r) => tx.objectStore('passkeys').put(r as unknown as PasskeyRecord)),
    tx.done,
  ]);
  v1.close();

  const vault = await Vault.open({ dbName: name, kdf: CHEAP_KDF });
  assert.deepEqual(await vault.unlock('1234'), vaultKey);
  const listed = await vault.listAll();
  assert.equal(listed.length, 3);
  for (const row of v1Rows) {
    const { wrappedPrivateKey: _w, ...summary } = row;
    assert.deepEqual(await vault.get(row.credentialId), { ...summary, label: null, hidden: null });
  }
  for (const { passkey, privateKey } of samples) {
    assert.deepEqual(await vault.unwrapPrivateKey(vaultKey, passkey.credentialId), privateKey);
  }
  assert.deepEqual((await vault.listByRpId('a.example')).map((p) => p.userName), ['third', 'ada@example.com']);
  await vault.renamePasskey(samples[0]!.passkey.credentialId, 'Laptop');
  vault.close();

  const raw = await openDB(name);
  assert.equal(raw.version, DB_VERSION);
  const stored = await raw.getAll('passkeys');
  assert.ok(stored.every((r) => 'label' in r && r.hidden === null && r.wrappedPrivateKey.ciphertext instanceof Uint8Array));
  assert.deepEqual(stored.map((r) => r.label).sort(), ['Laptop', null, null]);
  raw.close();
});

/**
 * Opens the vault (which runs the upgrade walk) with the second IDBCursor.update throwing, as a bug
 * or a storage error would after the first row was updated; the open must fail. Returns how many
 * updates were tried.
 */
async function openWithSecondUpdateFailing(name: string): Promise<number> {
  const proto = IDBCursor.prototype;
  const update = proto.update;
  let calls = 0;
  proto.update = function (this: IDBCursor, value: unknown) {
    if (++calls === 2) throw new DOMException('Injected failure', 'UnknownError');
    return update.call(this, value);
  };
  try {
    await assert.rejects(Vault.open({ dbName: name, kdf: CHEAP_KDF }));
  } finally {
    proto.update = update;
  }
  return calls;
}

test('step 1 -> 2 failing halfway through the walk rolls the whole upgrade back', async () => {
  const name = uniqueDbName('v2-halfway');
  const v1 = await openVaultDb({ name, upgrades: upgrades.slice(0, 1) });
  const rows = Array.from({ length: 3 }, () => ({ ...samplePasskey().passkey, signCount: 0, lastUsedAt: null }));
  const tx = v1.transaction('passkeys', 'readwrite');
  await Promise.all([...rows.map((r) => tx.store.put(r as unknown as PasskeyRecord)), tx.done]);
  v1.close();

  // The second row's update throws, as a bug or a storage error would, after the first was updated.
  assert.equal(await openWithSecondUpdateFailing(name), 2);
  const raw = await openDB(name);
  assert.equal(raw.version, 1);
  assert.deepEqual((await raw.getAll('passkeys')).map((r) => 'label' in r), [false, false, false]);
  raw.close();
  const vault = await Vault.open({ dbName: name, kdf: CHEAP_KDF }); // and the next start upgrades cleanly
  assert.deepEqual((await vault.listAll()).map((p) => p.label), [null, null, null]);
  vault.close();
});

test('step 2 -> 3 on a database really written at version 2: every row kept, hidden null, signals work', async () => {
  const name = uniqueDbName('v2-to-v3');
  // Version 2 exactly as that release wrote it: the first two steps, rows with "label", without "hidden".
  const v2 = await openVaultDb({ name, upgrades: upgrades.slice(0, 2) });
  assert.equal(v2.version, 2);
  const vaultKey = crypto.getRandomValues(new Uint8Array(32));
  const kdf: KdfParams = { ...CHEAP_KDF, salt: crypto.getRandomValues(new Uint8Array(16)) };
  const wrapped = await seal(await deriveKek('1234', kdf), vaultKey, VAULT_KEY_AAD);
  const aesKey = await importVaultKey(vaultKey);
  const keyCheck = await seal(aesKey, new Uint8Array(0), KEY_CHECK_AAD);
  const user = 'dXNlci0x';
  const samples = [samplePasskey({ rpId: 'a.example', createdAt: 1, userHandle: user }), samplePasskey({ rpId: 'b.example', createdAt: 2 }),
    samplePasskey({ rpId: 'a.example', createdAt: 3, userName: 'third', userHandle: user, alg: -8 })];
  const v2Rows = await Promise.all(samples.map(async ({ passkey, privateKey }, i) => ({
    ...passkey, signCount: 0, lastUsedAt: i === 0 ? 10 : null, label: i === 1 ? 'Laptop' : null,
    wrappedPrivateKey: await seal(aesKey, privateKey, passkeyAad(passkey.credentialId, passkey.rpId)),
  })));
  const tx = v2.transaction(['meta', 'passkeys'], 'readwrite');
  await Promise.all([
    tx.objectStore('meta').put({ id: 'vaultKey', kdf, ...wrapped, keyCheck, createdAt: 1 }),
    tx.objectStore('meta').put({ id: 'lockout', failures: 2, lastFailureAt: 5 }),
    ...v2Rows.map((r) => tx.objectStore('passkeys').put(r as unknown as PasskeyRecord)),
    tx.done,
  ]);
  v2.close();

  const vault = await Vault.open({ dbName: name, kdf: CHEAP_KDF });
  assert.deepEqual(await vault.unlockState(10), { attempts: 2, retryAfterMs: 0 });
  assert.deepEqual(await vault.unlock('1234'), vaultKey);
  assert.equal((await vault.listAll()).length, 3);
  for (const row of v2Rows) {
    const { wrappedPrivateKey: _w, ...summary } = row;
    assert.deepEqual(await vault.get(row.credentialId), { ...summary, hidden: null });
  }
  for (const { passkey, privateKey } of samples) {
    assert.deepEqual(await vault.unwrapPrivateKey(vaultKey, passkey.credentialId), privateKey);
  }
  // The new field is usable at once on the upgraded rows.
  const [first, , third] = samples.map((s) => s.passkey.credentialId);
  assert.deepEqual(await vault.applyAcceptedCredentials('a.example', user, [third!], 20), { hidden: [first!], shown: [] });
  vault.close();

  const raw = await openDB(name);
  assert.equal(raw.version, DB_VERSION);
  const stored = await raw.getAll('passkeys');
  assert.equal(stored.length, 3);
  assert.ok(stored.every((r) => r.wrappedPrivateKey.ciphertext instanceof Uint8Array));
  assert.deepEqual(Object.fromEntries(stored.map((r) => [r.credentialId, r.hidden])),
    { [first!]: { at: 20, by: 'not-accepted' }, [samples[1]!.passkey.credentialId]: null, [third!]: null });
  assert.deepEqual(stored.map((r) => r.label).sort(), ['Laptop', null, null]);
  raw.close();
});

test('step 2 -> 3 failing halfway through the walk rolls the whole upgrade back', async () => {
  const name = uniqueDbName('v3-halfway');
  const v2 = await openVaultDb({ name, upgrades: upgrades.slice(0, 2) });
  const rows = Array.from({ length: 3 }, () => ({ ...samplePasskey().passkey, signCount: 0, lastUsedAt: null, label: null }));
  const tx = v2.transaction('passkeys', 'readwrite');
  await Promise.all([...rows.map((r) => tx.store.put(r as unknown as PasskeyRecord)), tx.done]);
  v2.close();

  await openWithSecondUpdateFailing(name);
  const raw = await openDB(name);
  assert.equal(raw.version, 2);
  assert.deepEqual((await raw.getAll('passkeys')).map((r) => 'hidden' in r), [false, false, false]);
  raw.close();
  const vault = await Vault.open({ dbName: name, kdf: CHEAP_KDF });
  assert.deepEqual((await vault.listAll()).map((p) => p.hidden), [null, null, null]);
  vault.close();
});

test('the ladder runs only the missing steps and keeps the data (a stand-in next step)', async () => {
  const name = uniqueDbName('ladder');
  const v = await Vault.open({ dbName: name, kdf: CHEAP_KDF });
  const key = await v.initialize('1234');
  const { passkey, privateKey } = samplePasskey();
  await v.addPasskey(key, passkey, privateKey);
  v.close();

  const ran: number[] = [];
  const counted = upgrades.map((step, i): UpgradeStep => (db, tx) => { ran.push(i + 1); step(db, tx); });
  const next: UpgradeStep = (_db, tx) => {
    ran.push(DB_VERSION + 1);
    tx.objectStore('passkeys').createIndex('userHandle', 'userHandle');
  };
  const db = await openVaultDb({ name, upgrades: [...counted, next] });
  assert.deepEqual(ran, [DB_VERSION + 1]);
  assert.equal(db.version, DB_VERSION + 1);
  assert.equal((await db.getAll('passkeys')).length, 1);
  db.close();
});

test('a failing upgrade step aborts the whole upgrade: still the old version, data intact', async () => {
  const name = uniqueDbName('failstep');
  const v = await Vault.open({ dbName: name, kdf: CHEAP_KDF });
  await v.initialize('1234');
  v.close();
  const broken: UpgradeStep = (db) => { db.createObjectStore('half-done'); throw new Error('step failed'); };
  await assert.rejects(openVaultDb({ name, upgrades: [...upgrades, broken] }));
  const again = await Vault.open({ dbName: name, kdf: CHEAP_KDF });
  assert.equal(await again.isInitialized(), true);
  again.close();
  const raw = await openDB(name);
  assert.equal(raw.version, DB_VERSION);
  assert.equal(raw.objectStoreNames.contains('half-done'), false);
  raw.close();
});

test('a database from a future version is refused with VaultVersionError and left untouched', async () => {
  const name = uniqueDbName('future');
  // What a later release might have written: a higher version, its own stores, our data.
  const FUTURE = DB_VERSION + 1;
  const future = await openDB(name, FUTURE, {
    upgrade(db) {
      db.createObjectStore('meta', { keyPath: 'id' });
      db.createObjectStore('passkeys', { keyPath: 'credentialId' }).createIndex('rpId', 'rpId');
      db.createObjectStore('settings');
    },
  });
  await future.put('passkeys', { credentialId: 'keep-me', rpId: 'example.com' });
  future.close();

  await assert.rejects(Vault.open({ dbName: name }), (e: unknown) =>
    e instanceof VaultVersionError && e.code === 'db-version' && e.foundVersion === FUTURE && e.supportedVersion === DB_VERSION &&
    /newer version of Latchkey/.test(e.message));

  const after = await openDB(name);
  assert.equal(after.version, FUTURE);
  assert.deepEqual(await after.get('passkeys', 'keep-me'), { credentialId: 'keep-me', rpId: 'example.com' });
  after.close();
});

test('an open vault steps aside for a newer version, then reports itself closed', async () => {
  const name = uniqueDbName('blocking');
  const v = await Vault.open({ dbName: name, kdf: CHEAP_KDF });
  await v.initialize('1234');
  const next: UpgradeStep = () => {};
  const db = await openVaultDb({ name, upgrades: [...upgrades, next] }); // would wait forever if v held on
  assert.equal(db.version, DB_VERSION + 1);
  db.close();
  await assert.rejects(v.isInitialized(), (e: unknown) => (e as { code?: string }).code === 'db-closed');
});

/** A database exactly as the version-3 release wrote it: three steps, rows with label and hidden, a PIN. */
async function writeV3(name: string, n: number) {
  const v3 = await openVaultDb({ name, upgrades: upgrades.slice(0, 3) });
  assert.equal(v3.version, 3);
  const vaultKey = crypto.getRandomValues(new Uint8Array(32));
  const kdf: KdfParams = { ...CHEAP_KDF, salt: crypto.getRandomValues(new Uint8Array(16)) };
  const wrapped = await seal(await deriveKek('1234', kdf), vaultKey, VAULT_KEY_AAD);
  const aesKey = await importVaultKey(vaultKey);
  const keyCheck = await seal(aesKey, new Uint8Array(0), KEY_CHECK_AAD);
  const samples = Array.from({ length: n }, (_, i) => samplePasskey({ rpId: `site${i % 3}.example`, createdAt: i, userName: `user${i}`, alg: i % 2 ? -8 : -7 }));
  const rows = await Promise.all(samples.map(async ({ passkey, privateKey }, i) => ({
    ...passkey, signCount: i, lastUsedAt: i % 2 ? 100 + i : null, label: i === 1 ? 'Laptop' : null,
    hidden: i === 2 ? { at: 50, by: 'unknown' } : null,
    wrappedPrivateKey: await seal(aesKey, privateKey, passkeyAad(passkey.credentialId, passkey.rpId)),
  })));
  const tx = v3.transaction(['meta', 'passkeys'], 'readwrite');
  await Promise.all([
    tx.objectStore('meta').put({ id: 'vaultKey', kdf, ...wrapped, keyCheck, createdAt: 1 }),
    ...rows.map((r) => tx.objectStore('passkeys').put(r as unknown as PasskeyRecord)),
    tx.done,
  ]);
  v3.close();
  return { vaultKey, samples, rows };
}

test('step 3 -> 4 on a database really written at version 3: every row kept, each with its summary, lists read them', async () => {
  const name = uniqueDbName('v3-to-v4');
  const { vaultKey, samples, rows } = await writeV3(name, 7);
  const vault = await Vault.open({ dbName: name, kdf: CHEAP_KDF });
  assert.deepEqual(await vault.unlock('1234'), vaultKey);
  for (const { passkey, privateKey } of samples) assert.deepEqual(await vault.unwrapPrivateKey(vaultKey, passkey.credentialId), privateKey);
  const expected = rows.map(({ wrappedPrivateKey: _w, ...summary }) => summary);
  const byId = (a: { credentialId: string }, b: { credentialId: string }) => (a.credentialId < b.credentialId ? -1 : 1);
  assert.deepEqual([...await vault.listAll()].sort(byId), [...expected].sort(byId));
  // Paged by site: site0 (3 passkeys) then site1 and site2; at least 2 per page, whole sites only.
  const first = await vault.listPage(null, 2);
  assert.deepEqual([...new Set(first.passkeys.map((p) => p.rpId))], ['site0.example']);
  assert.equal(first.passkeys.length, 3);
  assert.equal(first.next, 'site0.example');
  const second = await vault.listPage(first.next, 2);
  assert.deepEqual(second.passkeys.map((p) => p.rpId), ['site1.example', 'site1.example']);
  const third = await vault.listPage(second.next, 2);
  assert.deepEqual(third.passkeys.map((p) => p.rpId), ['site2.example', 'site2.example']);
  assert.equal((await vault.listPage(third.next, 2)).next, null);
  vault.close();

  const raw = await openDB(name);
  assert.equal(raw.version, 4);
  const summaries = await raw.getAll('summaries');
  assert.equal(summaries.length, 7);
  assert.ok(summaries.every((s) => !('wrappedPrivateKey' in s)), 'no key material in the summaries');
  assert.equal((await raw.getAll('passkeys')).length, 7);
  raw.close();
});

test('step 3 -> 4 failing halfway through the copy rolls the whole upgrade back: still version 3, nothing lost', async () => {
  const name = uniqueDbName('v4-halfway');
  const { vaultKey, samples } = await writeV3(name, 4);
  const proto = IDBObjectStore.prototype;
  const put = proto.put;
  let calls = 0;
  proto.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
    if (this.name === 'summaries' && ++calls === 3) throw new DOMException('Injected failure', 'UnknownError');
    return put.apply(this, args);
  };
  try {
    await assert.rejects(Vault.open({ dbName: name, kdf: CHEAP_KDF }));
  } finally {
    proto.put = put;
  }
  assert.equal(calls, 3);
  const raw = await openDB(name);
  assert.equal(raw.version, 3);
  assert.equal(raw.objectStoreNames.contains('summaries'), false);
  assert.equal((await raw.getAll('passkeys')).length, 4);
  raw.close();
  const vault = await Vault.open({ dbName: name, kdf: CHEAP_KDF }); // the next start upgrades cleanly
  assert.equal((await vault.listAll()).length, 4);
  for (const { passkey, privateKey } of samples) assert.deepEqual(await vault.unwrapPrivateKey(vaultKey, passkey.credentialId), privateKey);
  vault.close();
});
