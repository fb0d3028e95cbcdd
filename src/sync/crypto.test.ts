import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MIN_PADDED_BYTES, SyncIntegrityError, WrongPairingSecretError, deriveSyncKeys, openFile, openLocal, pad, randomBytes,
  recordName, sealFile, sealLocal, tagOf, unpad, unwrapRootKey, wrapRootKey,
} from './crypto';

const keys = deriveSyncKeys(new Uint8Array(32).fill(7));

test('record names: stable per id and key, 32 hex characters, unrelated across ids, kinds and keys', () => {
  const a = recordName(keys, 'passkey', 'cred-1');
  assert.match(a, /^[0-9a-f]{32}$/);
  assert.equal(recordName(keys, 'passkey', 'cred-1'), a);
  assert.notEqual(recordName(keys, 'passkey', 'cred-2'), a);
  assert.notEqual(recordName(keys, 'setting', 'cred-1'), a);
  assert.notEqual(recordName(deriveSyncKeys(new Uint8Array(32).fill(8)), 'passkey', 'cred-1'), a);
});

test('padding: powers of two from 2 KiB, so small records all have one size; round trip', () => {
  assert.equal(pad(new Uint8Array(10)).length, MIN_PADDED_BYTES);
  assert.equal(pad(new Uint8Array(1500)).length, MIN_PADDED_BYTES);
  assert.equal(pad(new Uint8Array(2045)).length, 4096);
  const p = new Uint8Array([1, 2, 3]);
  assert.deepEqual(unpad(pad(p)), p);
  const bad = pad(p); bad[100] = 1;
  assert.throws(() => unpad(bad), /padding/);
});

test('a sealed file opens at its own path only, and any change to it is refused', () => {
  const { bytes, tag } = sealFile(keys, 'r/abc', { hello: 'world' });
  assert.equal(tagOf(bytes), tag);
  assert.deepEqual(openFile(keys, 'r/abc', bytes), { value: { hello: 'world' }, tag });
  assert.throws(() => openFile(keys, 'r/abd', bytes), SyncIntegrityError, 'moved to another name');
  const flipped = bytes.slice(); flipped[bytes.length - 1]! ^= 1;
  assert.throws(() => openFile(keys, 'r/abc', flipped), SyncIntegrityError);
  const retagged = bytes.slice(); retagged[4]! ^= 1; // another revision's tag
  assert.throws(() => openFile(keys, 'r/abc', retagged), SyncIntegrityError);
  assert.throws(() => openFile(keys, 'r/abc', bytes.subarray(0, 100)), /failed its integrity check/);
  assert.throws(() => openFile(deriveSyncKeys(new Uint8Array(32)), 'r/abc', bytes), SyncIntegrityError, 'another key');
});

test('tombstone-sized and record-sized plaintexts give files of the same size', () => {
  assert.equal(sealFile(keys, 'r/a', { deleted: true }).bytes.length, sealFile(keys, 'r/a', { label: 'x'.repeat(64), pk: 'y'.repeat(300) }).bytes.length);
});

test('the root key unwraps with the right pairing secret only', () => {
  const root = randomBytes(32);
  const secret = randomBytes(16);
  const file = JSON.parse(JSON.stringify(wrapRootKey(root, secret)));
  assert.deepEqual(unwrapRootKey(file, secret), root);
  const other = secret.slice(); other[0]! ^= 1;
  assert.throws(() => unwrapRootKey(file, other), WrongPairingSecretError);
  assert.throws(() => unwrapRootKey({ v: 2 }, secret), SyncIntegrityError);
});

test('local secrets open under the same vault key only', () => {
  const vk = randomBytes(32);
  const s = sealLocal(vk, { appPassword: 'p' });
  assert.deepEqual(openLocal(vk, s), { appPassword: 'p' });
  assert.throws(() => openLocal(randomBytes(32), s));
});
