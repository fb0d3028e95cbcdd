import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDB } from 'idb';
import { openVaultDb } from './db.js';
import { VaultVersionError } from './errors.js';
import { DB_VERSION, upgrades, type UpgradeStep } from './schema.js';
import { Vault } from './vault.js';
import { CHEAP_KDF, samplePasskey, uniqueDbName } from './testFixtures.js';

test('step 0 -> 1 creates "meta" and "passkeys" with a non-unique rpId index', async () => {
  const db = await openVaultDb({ name: uniqueDbName('v1') });
  assert.equal(db.version, 1);
  assert.equal(DB_VERSION, 1);
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

test('the ladder runs only the missing steps and keeps the data (a stand-in v2 step)', async () => {
  const name = uniqueDbName('ladder');
  const v = await Vault.open({ dbName: name, kdf: CHEAP_KDF });
  const key = await v.initialize('1234');
  const { passkey, privateKey } = samplePasskey();
  await v.addPasskey(key, passkey, privateKey);
  v.close();

  const ran: number[] = [];
  const v1: UpgradeStep = (db, tx) => { ran.push(1); upgrades[0]!(db, tx); };
  const v2: UpgradeStep = (db, tx) => {
    ran.push(2);
    tx.objectStore('passkeys').createIndex('userHandle', 'userHandle');
  };
  const db = await openVaultDb({ name, upgrades: [v1, v2] });
  assert.deepEqual(ran, [2]);
  assert.equal(db.version, 2);
  assert.equal((await db.getAll('passkeys')).length, 1);
  db.close();
});

test('a failing upgrade step aborts the whole upgrade: still the old version, data intact', async () => {
  const name = uniqueDbName('failstep');
  const v = await Vault.open({ dbName: name, kdf: CHEAP_KDF });
  await v.initialize('1234');
  v.close();
  const broken: UpgradeStep = (db) => { db.createObjectStore('half-done'); throw new Error('step failed'); };
  await assert.rejects(openVaultDb({ name, upgrades: [upgrades[0]!, broken] }));
  const again = await Vault.open({ dbName: name, kdf: CHEAP_KDF });
  assert.equal(await again.isInitialized(), true);
  again.close();
  const raw = await openDB(name);
  assert.equal(raw.version, 1);
  assert.equal(raw.objectStoreNames.contains('half-done'), false);
  raw.close();
});

test('a database from a future version is refused with VaultVersionError and left untouched', async () => {
  const name = uniqueDbName('future');
  // What a later release might have written: version 3, its own stores, our data.
  const future = await openDB(name, 3, {
    upgrade(db) {
      db.createObjectStore('meta', { keyPath: 'id' });
      db.createObjectStore('passkeys', { keyPath: 'credentialId' }).createIndex('rpId', 'rpId');
      db.createObjectStore('settings');
    },
  });
  await future.put('passkeys', { credentialId: 'keep-me', rpId: 'example.com' });
  future.close();

  await assert.rejects(Vault.open({ dbName: name }), (e: unknown) =>
    e instanceof VaultVersionError && e.code === 'db-version' && e.foundVersion === 3 && e.supportedVersion === 1 &&
    /newer version of Latchkey/.test(e.message));

  const after = await openDB(name);
  assert.equal(after.version, 3);
  assert.deepEqual(await after.get('passkeys', 'keep-me'), { credentialId: 'keep-me', rpId: 'example.com' });
  after.close();
});

test('an open vault steps aside for a newer version, then reports itself closed', async () => {
  const name = uniqueDbName('blocking');
  const v = await Vault.open({ dbName: name, kdf: CHEAP_KDF });
  await v.initialize('1234');
  const v2: UpgradeStep = () => {};
  const db = await openVaultDb({ name, upgrades: [upgrades[0]!, v2] }); // would wait forever if v held on
  assert.equal(db.version, 2);
  db.close();
  await assert.rejects(v.isInitialized(), (e: unknown) => (e as { code?: string }).code === 'db-closed');
});
