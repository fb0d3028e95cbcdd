import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { p256 } from '@noble/curves/nist.js';
import { generateES256KeyPair, generateES256KeyPairAsync, importES256PrivateKey, p1363ToDer, signES256, signES256WithKey } from './es256.js';
import { spkiFromP256 } from './cose.js';
import { CROSS_ORIGIN, LONG_CREDENTIAL_ID, NONE_ES256, TOP_ORIGIN_VECTOR, hex, toHex } from './_webauthnTestVectors.js';

const nodeKey = (publicKey: Uint8Array) => createPublicKey({ key: Buffer.from(spkiFromP256(publicKey)), format: 'der', type: 'spki' });
const nodeVerify = (publicKey: Uint8Array, message: Uint8Array, derSig: Uint8Array) =>
  verify('sha256', message, nodeKey(publicKey), derSig); // ECDSA signatures default to DER in Node

// The §16 assertion signatures: over authenticatorData ‖ SHA-256(clientDataJSON) (§6.3.3 step 11).
const assertionVectors = [NONE_ES256, CROSS_ORIGIN, TOP_ORIGIN_VECTOR, LONG_CREDENTIAL_ID].map((v) => ({
  privateKey: hex(v.registration.credentialPrivateKey),
  message: Uint8Array.from([...hex(v.authentication.authenticatorData), ...sha256(hex(v.authentication.clientDataJSON))]),
  signature: hex(v.authentication.signature),
}));

// The low-S form (r, n - s) of a DER signature whose s is above n/2.
const lowS = (der: Uint8Array) => {
  const sig = p256.Signature.fromBytes(der, 'der');
  return sig.hasHighS() ? new p256.Signature(sig.r, p256.Point.CURVE().n - sig.s).toBytes('der') : der;
};

test('generates a 32-byte private key and the matching 65-byte uncompressed public key', () => {
  const { privateKey, publicKey } = generateES256KeyPair();
  assert.equal(privateKey.length, 32);
  assert.equal(publicKey.length, 65);
  assert.equal(publicKey[0], 0x04);
  assert.deepEqual(publicKey, p256.getPublicKey(privateKey, false));
  assert.notDeepEqual(generateES256KeyPair().privateKey, privateKey);
});

test('signs DER signatures that Node verifies over SHA-256 of the message', () => {
  const { privateKey, publicKey } = generateES256KeyPair();
  for (let i = 0; i < 20; i++) {
    const message = Uint8Array.from({ length: 37 + 32 }, (_, j) => (i * 7 + j) & 0xff);
    const signature = signES256(privateKey, message);
    assert.equal(signature[0], 0x30); // DER SEQUENCE
    assert.ok(signature.length >= 8 && signature.length <= 72);
    assert.equal(nodeVerify(publicKey, message, signature), true);
    assert.equal(p256.Signature.fromBytes(signature, 'der').hasHighS(), false);
    message[0] = message[0]! ^ 1;
    assert.equal(nodeVerify(publicKey, message, signature), false);
  }
});

test('the spec §16 assertion signatures verify against our SPKI of the spec keys', () => {
  for (const { privateKey, message, signature } of assertionVectors) {
    assert.equal(nodeVerify(p256.getPublicKey(privateKey, false), message, signature), true);
  }
});

test('reproduces the spec §16 signatures (RFC 6979 nonces), in low-S form', () => {
  // The spec signs with deterministic nonces but does not normalize s; noble does (lowS).
  // Same nonce means the same r, and s is either equal or n - s.
  for (const { privateKey, message, signature } of assertionVectors) {
    assert.equal(toHex(signES256(privateKey, message)), toHex(lowS(signature)));
  }
  // §16.5's signature already has a low s, so it matches exactly.
  const topOrigin = assertionVectors[2]!;
  assert.equal(toHex(signES256(topOrigin.privateKey, topOrigin.message)), toHex(topOrigin.signature));
});

test('refuses a private key that is not 32 bytes', () => {
  assert.throws(() => signES256(new Uint8Array(31), new Uint8Array(1)), TypeError);
  assert.throws(() => signES256(new Uint8Array(32).fill(1), 'x' as unknown as Uint8Array), TypeError);
});

// ---- WebCrypto path ----

test('WebCrypto key pair: 32-byte scalar whose public key is the 65-byte point returned', async () => {
  const { privateKey, publicKey } = await generateES256KeyPairAsync();
  assert.equal(privateKey.length, 32);
  assert.equal(publicKey.length, 65);
  assert.deepEqual(publicKey, p256.getPublicKey(privateKey, false));
});

test('WebCrypto signatures are low-S DER that Node verifies, and fail on a changed message', async () => {
  const { privateKey, publicKey } = await generateES256KeyPairAsync();
  const key = await importES256PrivateKey(privateKey, publicKey);
  assert.equal(key.extractable, false);
  for (let i = 0; i < 20; i++) {
    const message = Uint8Array.from({ length: 69 }, (_, j) => (i * 11 + j) & 0xff);
    const signature = await signES256WithKey(key, message);
    assert.equal(signature[0], 0x30);
    assert.equal(nodeVerify(publicKey, message, signature), true);
    assert.equal(p256.Signature.fromBytes(signature, 'der').hasHighS(), false);
    message[5] = message[5]! ^ 1;
    assert.equal(nodeVerify(publicKey, message, signature), false);
  }
});

test('a spec §16 key imports and signs verifiably; a mismatched public key is refused', async () => {
  for (const { privateKey } of assertionVectors) {
    const pub = p256.getPublicKey(privateKey, false);
    const key = await importES256PrivateKey(privateKey, pub);
    const msg = new Uint8Array([1, 2, 3]);
    assert.equal(nodeVerify(pub, msg, await signES256WithKey(key, msg)), true);
  }
  const other = p256.getPublicKey(p256.utils.randomSecretKey(), false);
  await assert.rejects(importES256PrivateKey(assertionVectors[0]!.privateKey, other));
});

test('p1363ToDer: minimal integers, 0x00 before a set top bit, high S folded to n - s', () => {
  const n = p256.Point.CURVE().n;
  const be = (v: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((v >> BigInt(8 * (31 - i))) & 0xffn));
  const raw = (r: bigint, s: bigint) => Uint8Array.from([...be(r), ...be(s)]);
  // r: 16 significant bytes (16 leading zero bytes dropped), the first with its top bit set (0x00 added).
  const r1 = 0x80n << 120n, s1 = 5n;
  const der1 = p1363ToDer(raw(r1, s1));
  const sig1 = p256.Signature.fromBytes(der1, 'der');
  assert.equal(sig1.r, r1);
  assert.equal(sig1.s, s1);
  assert.equal(der1[3], 17); // 16 significant bytes + the 0x00
  assert.equal(der1[4], 0x00);
  const rSmall = 0x1234n;
  const der2 = p1363ToDer(raw(rSmall, n - 7n)); // high S
  const sig2 = p256.Signature.fromBytes(der2, 'der');
  assert.equal(sig2.r, rSmall);
  assert.equal(sig2.s, 7n);
  assert.deepEqual([...der2.subarray(0, 6)], [0x30, 7, 0x02, 2, 0x12, 0x34]);
  assert.throws(() => p1363ToDer(new Uint8Array(63)), TypeError);
});
