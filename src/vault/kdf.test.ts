import { test } from 'node:test';
import assert from 'node:assert/strict';
import { argon2id as hashWasmArgon2id } from 'hash-wasm';
import { argon2id as nobleArgon2id } from '@noble/hashes/argon2.js';
import { DEFAULT_KDF, deriveKek, type KdfParams } from './kdf.js';
import { VaultInputError } from './errors.js';
import { CHEAP_KDF } from './testFixtures.js';

const hex = (u8: Uint8Array) => Buffer.from(u8).toString('hex');

// Reference implementation's known answer (phc-winner-argon2 src/test.c, Argon2id v=19, m=2^16, t=2, p=1).
test('hash-wasm argon2id gives the reference implementation\'s known answer', async () => {
  const tag = await hashWasmArgon2id({
    password: 'password', salt: 'somesalt', parallelism: 1, iterations: 2, memorySize: 65536, hashLength: 32, outputType: 'hex',
  });
  assert.equal(tag, '09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7');
});

test('deriveKek equals an independent Argon2id (noble) imported as the AES-GCM key', async () => {
  const salt = new Uint8Array(16).map((_, i) => i);
  const params: KdfParams = { ...CHEAP_KDF, salt };
  const kek = await deriveKek('1234', params);
  const raw = nobleArgon2id(new TextEncoder().encode('1234'), salt, { m: 1024, t: 1, p: 1, dkLen: 32 });
  const ref = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt']);
  const iv = new Uint8Array(12);
  const data = new TextEncoder().encode('known plaintext');
  const a = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, kek, data));
  const b = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, ref, data));
  assert.equal(hex(a), hex(b));
  assert.equal(kek.extractable, false);
  assert.deepEqual(kek.usages.sort(), ['decrypt', 'encrypt']);
});

test('the PIN is NFC-normalised: composed and decomposed "é" give the same key', async () => {
  const params: KdfParams = { ...CHEAP_KDF, salt: new Uint8Array(16).fill(9) };
  const iv = new Uint8Array(12);
  const enc = async (pin: string) => hex(new Uint8Array(await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv }, await deriveKek(pin, params), new Uint8Array(1))));
  assert.equal(await enc('caf\u00e9'), await enc('cafe\u0301'));
  assert.notEqual(await enc('caf\u00e9'), await enc('cafe'));
});

test('deriveKek refuses bad parameters with a message naming the field', async () => {
  const salt = new Uint8Array(16);
  await assert.rejects(deriveKek('1234', { ...CHEAP_KDF, salt: new Uint8Array(8) }), /params\.salt.*length 16/);
  await assert.rejects(deriveKek('1234', { ...CHEAP_KDF, salt, iterations: 0 }), VaultInputError);
  await assert.rejects(deriveKek('1234', { ...CHEAP_KDF, salt, memoryKiB: 4 }), /memoryKiB/);
  await assert.rejects(deriveKek('1234', { ...CHEAP_KDF, salt, algorithm: 'scrypt' as 'argon2id' }), /algorithm/);
});

test('DEFAULT_KDF is Argon2id with 64 MiB, 3 passes, 1 lane', () => {
  assert.deepEqual({ ...DEFAULT_KDF }, { algorithm: 'argon2id', memoryKiB: 65536, iterations: 3, parallelism: 1 });
  assert.ok(Object.isFrozen(DEFAULT_KDF));
});
