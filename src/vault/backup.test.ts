import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { fromBase64url, toBase64url } from '../core/base64url.js';
import { signES256 } from '../core/es256.js';
import { BACKUP_KDF_LIMITS, decryptBackup, encryptBackup } from './backup.js';
import {
  BackupFormatError, BackupPassphraseError, BackupPassphrasePolicyError, BackupVersionError, VaultInputError,
} from './errors.js';
import { DEFAULT_KDF } from './kdf.js';
import type { ExportedPasskey } from './schema.js';
import { CHEAP_KDF, samplePasskey, uniqueDbName } from './testFixtures.js';
import { Vault } from './vault.js';

const T0 = 1_700_000_000_000;
const PASS = 'correct horse battery';

function exported(over: Partial<ExportedPasskey> = {}): ExportedPasskey {
  const { passkey, privateKey } = samplePasskey();
  return { ...passkey, signCount: 3, lastUsedAt: null, label: null, privateKey: toBase64url(privateKey), ...over };
}

/** A small backup made once, with cheap Argon2, edited per test. */
const ITEMS = [exported({ label: 'Laptop', lastUsedAt: T0 + 5 }), exported({ rpId: 'other.example', signCount: 0 })];
const FILE = await encryptBackup(ITEMS, PASS, { kdf: CHEAP_KDF, now: T0 });
const edit = (f: (o: Record<string, any>) => void): string => { const o = JSON.parse(FILE); f(o); return JSON.stringify(o); };

const formatError = (reason: string, message?: RegExp) => (e: unknown) =>
  e instanceof BackupFormatError && e.code === 'backup-format' && e.reason === reason && (!message || message.test(e.message));

test('the file: versioned JSON, Argon2id parameters and salt, no private key in the clear', () => {
  const o = JSON.parse(FILE);
  assert.deepEqual(Object.keys(o), ['format', 'version', 'createdAt', 'kdf', 'iv', 'ciphertext']);
  assert.equal(o.format, 'latchkey-backup');
  assert.equal(o.version, 1);
  assert.equal(o.createdAt, new Date(T0).toISOString());
  assert.deepEqual({ ...o.kdf, salt: undefined }, { ...CHEAP_KDF, salt: undefined });
  assert.equal(fromBase64url(o.kdf.salt).length, 16);
  assert.equal(fromBase64url(o.iv).length, 12);
  for (const it of ITEMS) {
    assert.ok(!FILE.includes(it.privateKey));
    assert.ok(!FILE.includes(it.credentialId));
  }
});

test('round trip: decryptBackup gives back exactly the passkeys', async () => {
  assert.deepEqual(await decryptBackup(FILE, PASS), ITEMS);
  assert.deepEqual(await decryptBackup(await encryptBackup([], PASS, { kdf: CHEAP_KDF }), PASS), []);
  // Two backups of the same passkeys never share salt, IV or ciphertext.
  const second = JSON.parse(await encryptBackup(ITEMS, PASS, { kdf: CHEAP_KDF, now: T0 }));
  const first = JSON.parse(FILE);
  assert.notEqual(second.kdf.salt, first.kdf.salt);
  assert.notEqual(second.ciphertext, first.ciphertext);
});

test('the passphrase is NFC-normalised, like the PIN', async () => {
  const file = await encryptBackup(ITEMS, 'caf\u00e9 au lait', { kdf: CHEAP_KDF });
  assert.deepEqual(await decryptBackup(file, 'cafe\u0301 au lait'), ITEMS);
});

test('by default a backup uses the vault KDF (Argon2id, 64 MiB, 3 passes)', async () => {
  const file = await encryptBackup(ITEMS.slice(0, 1), PASS);
  const { salt: _s, ...kdf } = JSON.parse(file).kdf;
  assert.deepEqual(kdf, { ...DEFAULT_KDF });
  assert.deepEqual(await decryptBackup(file, PASS), ITEMS.slice(0, 1));
});

test('passphrase rules: at least 8 characters of text', async () => {
  await assert.rejects(encryptBackup(ITEMS, '1234567', { kdf: CHEAP_KDF }), (e: unknown) =>
    e instanceof BackupPassphrasePolicyError && e.code === 'backup-passphrase-policy' && /at least 8 characters long \(it has 7\)/.test(e.message));
  await assert.rejects(encryptBackup(ITEMS, 'e\u0301'.repeat(7), { kdf: CHEAP_KDF }), /it has 7/); // 14 code points, 7 after NFC
  await assert.rejects(encryptBackup(ITEMS, 12345678 as unknown as string, { kdf: CHEAP_KDF }), BackupPassphrasePolicyError);
});

test('encryptBackup refuses what could not be restored: a bad item, KDF settings above the limits', async () => {
  await assert.rejects(encryptBackup([ITEMS[0]!, exported({ privateKey: ITEMS[0]!.privateKey })], PASS, { kdf: CHEAP_KDF }),
    (e: unknown) => e instanceof VaultInputError && /Passkey 2 of 2/.test(e.message));
  await assert.rejects(encryptBackup(ITEMS, PASS, { kdf: { ...CHEAP_KDF, iterations: 11 } }), VaultInputError);
});

test('a wrong passphrase says so, in words a person understands', async () => {
  await assert.rejects(decryptBackup(FILE, 'correct horse battery!'), (e: unknown) =>
    e instanceof BackupPassphraseError && e.code === 'backup-passphrase' && e.message === 'The passphrase is wrong, or the file is damaged.');
});

test('tampered or truncated ciphertext, IV, salt or parameters: the same passphrase error, never garbage', async () => {
  const flip = (s: string) => { const b = fromBase64url(s); b[b.length >> 1]! ^= 1; return toBase64url(b); };
  const variants = [
    edit((o) => { o.ciphertext = flip(o.ciphertext); }),
    edit((o) => { o.ciphertext = toBase64url(fromBase64url(o.ciphertext).slice(0, -1)); }),
    edit((o) => { o.ciphertext = toBase64url(fromBase64url(o.ciphertext).slice(0, 16)); }),
    edit((o) => { o.iv = flip(o.iv); }),
    edit((o) => { o.kdf.salt = flip(o.kdf.salt); }),
    edit((o) => { o.kdf.iterations += 1; }),
  ];
  for (const v of variants) await assert.rejects(decryptBackup(v, PASS), BackupPassphraseError);
});

test('a damaged file (cut short, fields missing or unreadable) is reported as damaged', async () => {
  const damaged = formatError('damaged', /damaged or incomplete/);
  await assert.rejects(decryptBackup(FILE.slice(0, FILE.length >> 1), PASS), damaged);
  for (const v of [
    edit((o) => { delete o.iv; }),
    edit((o) => { o.iv = 'not base64!'; }),
    edit((o) => { o.ciphertext = toBase64url(new Uint8Array(15)); }),
    edit((o) => { o.kdf.salt = toBase64url(new Uint8Array(8)); }),
    edit((o) => { o.kdf.algorithm = 'scrypt'; }),
    edit((o) => { o.kdf.memoryKiB = 4; }),
    edit((o) => { o.kdf.iterations = 1.5; }),
    edit((o) => { delete o.kdf; }),
    edit((o) => { o.version = 0; }),
    edit((o) => { o.version = '1'; }),
  ]) await assert.rejects(decryptBackup(v, PASS), damaged);
});

test('not JSON, or JSON that is not a Latchkey backup: "This file is not a Latchkey backup."', async () => {
  const msg = /^This file is not a Latchkey backup\.$/;
  for (const text of ['', 'hello', '%PDF-1.7', '{"format":']) await assert.rejects(decryptBackup(text, PASS), formatError('not-json', msg));
  for (const text of ['{}', '[]', 'null', '"latchkey-backup"', '{"encrypted":false,"items":[]}', '{"format":"latchkey-vault","version":1}']) {
    await assert.rejects(decryptBackup(text, PASS), formatError('not-latchkey', msg));
  }
});

test('a backup from a newer Latchkey asks for an update', async () => {
  await assert.rejects(decryptBackup(edit((o) => { o.version = 2; o.kdf = { future: true }; }), PASS), (e: unknown) =>
    e instanceof BackupVersionError && e.code === 'backup-version' && e.foundVersion === 2 && e.supportedVersion === 1 &&
    /newer version of Latchkey/.test(e.message) && /Update Latchkey/.test(e.message));
});

test('hostile KDF parameters are refused before Argon2 runs', async () => {
  const G = 1024 * 1024; // KiB in a GiB
  const hostile = [
    { memoryKiB: 4 * G }, { memoryKiB: G + 1 }, { iterations: 11 }, { iterations: 1_000_000 }, { parallelism: 1000 },
    { memoryKiB: G, iterations: 3 }, // each within bounds, 3 GiB of passes together
    { memoryKiB: Number.MAX_SAFE_INTEGER },
  ];
  for (const k of hostile) {
    // The kdf-limits error comes from the bounds check, which runs before Argon2 (Argon2 never
    // answers with it), so the hostile parameters were never used.
    await assert.rejects(decryptBackup(edit((o) => { Object.assign(o.kdf, k); }), PASS), formatError('kdf-limits', /more memory or time/));
  }
  assert.equal(BACKUP_KDF_LIMITS.maxMemoryKiB, G);
  assert.equal(BACKUP_KDF_LIMITS.maxIterations, 10);
});

test('content that decrypts but is not a list of valid passkeys is refused as damaged', async () => {
  // Made with the real format but hand-built content, as a buggy or hostile writer could.
  const { argon2id } = await import('hash-wasm');
  const o = JSON.parse(FILE);
  const raw = await argon2id({
    password: PASS, salt: fromBase64url(o.kdf.salt), parallelism: 1, iterations: 1, memorySize: 1024, hashLength: 32, outputType: 'binary',
  });
  const key = await crypto.subtle.importKey('raw', new Uint8Array(raw), 'AES-GCM', false, ['encrypt']);
  const sealText = async (s: string) => {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode('latchkey:backup:v1') },
      key, new TextEncoder().encode(s));
    return JSON.stringify({ ...o, iv: toBase64url(iv), ciphertext: toBase64url(new Uint8Array(ct)) });
  };
  assert.deepEqual(await decryptBackup(await sealText(JSON.stringify({ passkeys: ITEMS })), PASS), ITEMS); // the helper is right
  const mismatched = { ...ITEMS[0]!, privateKey: ITEMS[1]!.privateKey };
  for (const content of ['not json', '{}', '{"passkeys":{}}', JSON.stringify({ passkeys: [ITEMS[0], mismatched] })]) {
    await assert.rejects(decryptBackup(await sealText(content), PASS), formatError('damaged'));
  }
  await assert.rejects(decryptBackup(await sealText(JSON.stringify({ passkeys: [ITEMS[0], mismatched] })), PASS), /Passkey 2 of 2/);
});

test('restore into a fresh vault with another PIN: every passkey signs, and node:crypto verifies', async () => {
  const source = await Vault.open({ dbName: uniqueDbName('backup-src'), kdf: CHEAP_KDF });
  const srcKey = await source.initialize('1111');
  const samples = [samplePasskey({ rpId: 'a.example' }), samplePasskey({ rpId: 'b.example' })];
  for (const { passkey, privateKey } of samples) await source.addPasskey(srcKey, { ...passkey, label: 'Mine' }, privateKey);
  await source.markUsed(samples[0]!.passkey.credentialId, T0);
  const file = await encryptBackup(await source.exportPasskeys(srcKey), PASS, { kdf: CHEAP_KDF });
  const listedBefore = await source.listAll();
  source.close();

  const target = await Vault.open({ dbName: uniqueDbName('backup-dst'), kdf: CHEAP_KDF });
  const dstKey = await target.initialize('different pin');
  const result = await target.importPasskeys(dstKey, await decryptBackup(file, PASS));
  assert.deepEqual(result.added.sort(), samples.map((s) => s.passkey.credentialId).sort());
  assert.deepEqual(await target.listAll(), listedBefore);
  for (const { passkey } of samples) {
    const secret = await target.unwrapPrivateKey(dstKey, passkey.credentialId);
    const message = new TextEncoder().encode(`authenticatorData || clientDataHash for ${passkey.rpId}`);
    const signature = signES256(secret, message);
    const pub = fromBase64url(passkey.publicKey);
    const key = createPublicKey({
      key: { kty: 'EC', crv: 'P-256', x: toBase64url(pub.slice(1, 33)), y: toBase64url(pub.slice(33)) }, format: 'jwk',
    });
    assert.equal(verify('sha256', message, { key, dsaEncoding: 'der' }, signature), true);
  }
  // The old vault key means nothing here.
  await assert.rejects(target.unwrapPrivateKey(srcKey, samples[0]!.passkey.credentialId));
  target.close();
});
