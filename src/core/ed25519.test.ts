import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { ed25519PublicKey, generateEd25519KeyPair, signEd25519 } from './ed25519.js';
import { spkiFromEd25519 } from './cose.js';
import { PACKED_EDDSA, hex, toHex } from './_webauthnTestVectors.js';

const nodeKey = (publicKey: Uint8Array) => createPublicKey({ key: Buffer.from(spkiFromEd25519(publicKey)), format: 'der', type: 'spki' });
// Node's Ed25519 is pure EdDSA: the algorithm argument must be null (RFC 8032, no prehash).
const nodeVerify = (publicKey: Uint8Array, message: Uint8Array, sig: Uint8Array) => verify(null, message, nodeKey(publicKey), sig);

test('generates a 32-byte seed and the matching 32-byte public key', () => {
  const { privateKey, publicKey } = generateEd25519KeyPair();
  assert.equal(privateKey.length, 32);
  assert.equal(publicKey.length, 32);
  assert.deepEqual(ed25519PublicKey(privateKey), publicKey);
  assert.notDeepEqual(generateEd25519KeyPair().privateKey, privateKey);
});

test('signs 64-byte raw signatures (no DER) that Node verifies as pure Ed25519', () => {
  const { privateKey, publicKey } = generateEd25519KeyPair();
  for (let i = 0; i < 20; i++) {
    const message = Uint8Array.from({ length: 37 + 32 }, (_, j) => (i * 7 + j) & 0xff);
    const signature = signEd25519(privateKey, message);
    assert.equal(signature.length, 64);
    assert.equal(nodeVerify(publicKey, message, signature), true);
    const tampered = message.slice();
    tampered[0] = tampered[0]! ^ 1;
    assert.equal(nodeVerify(publicKey, tampered, signature), false);
  }
});

test('agrees with Node (OpenSSL) on keys and signatures: Ed25519 is deterministic', () => {
  for (let i = 0; i < 5; i++) {
    const { privateKey: nodePriv, publicKey: nodePub } = generateKeyPairSync('ed25519');
    const seed = new Uint8Array(Buffer.from(nodePriv.export({ format: 'jwk' }).d!, 'base64url'));
    const pub = new Uint8Array(Buffer.from(nodePub.export({ format: 'jwk' }).x!, 'base64url'));
    assert.deepEqual(ed25519PublicKey(seed), pub);
    const message = Uint8Array.from({ length: 69 }, (_, j) => (i + j * 3) & 0xff);
    assert.deepEqual(signEd25519(seed, message), new Uint8Array(sign(null, message, nodePriv)));
  }
});

test('reproduces the spec §16.11 assertion signature byte for byte (§6.3.3 step 11)', () => {
  const v = PACKED_EDDSA;
  const message = Uint8Array.from([...hex(v.authentication.authenticatorData), ...sha256(hex(v.authentication.clientDataJSON))]);
  const signature = signEd25519(hex(v.registration.credentialPrivateKey), message);
  assert.equal(toHex(signature), v.authentication.signature);
  assert.equal(nodeVerify(ed25519PublicKey(hex(v.registration.credentialPrivateKey)), message, hex(v.authentication.signature)), true);
});

test('refuses a seed that is not 32 bytes, and a message that is not bytes', () => {
  for (const bad of [new Uint8Array(31), new Uint8Array(33), new Uint8Array(64), 'x' as unknown as Uint8Array]) {
    assert.throws(() => signEd25519(bad, new Uint8Array(1)), TypeError);
    assert.throws(() => ed25519PublicKey(bad), TypeError);
  }
  assert.throws(() => signEd25519(new Uint8Array(32), 'abc' as unknown as Uint8Array), TypeError);
});
