// Bad files get a clear message, and a file of another kind is named; the preview counts what an
// import would do without doing it.
import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromBase64url, toBase64url } from '../core/base64url.js';
import { MAX_IMPORT_BYTES, readImport, sniffFormat, writeExport } from './files.js';
import { previewImport } from './preview.js';
import { CHEAP_KDF, openVault, passkey, seedVault } from './testFixtures.js';
import { ExchangeFileError, type ExchangeFormat } from './types.js';
import { EXCHANGE_FORMATS, MAX_EXCHANGE_FILE_BYTES } from '../messages/exchange.js';

const PASS = 'correct horse battery';
const FORMATS: ExchangeFormat[] = ['latchkey', 'cxf', 'kdbx', 'bitwarden'];

async function files(): Promise<Record<ExchangeFormat, Uint8Array> & { plainCxf: Uint8Array }> {
  const { vault, key } = await openVault('bad');
  await seedVault(vault, key);
  const items = await vault.exportPasskeys(key);
  const out = {} as Record<ExchangeFormat, Uint8Array> & { plainCxf: Uint8Array };
  for (const f of FORMATS) out[f] = (await writeExport(f, items, { passphrase: PASS, kdf: CHEAP_KDF })).bytes;
  out.plainCxf = (await writeExport('cxf', items, { plain: true })).bytes;
  return out;
}
const made = files();

async function refused(p: Promise<unknown>, code: ExchangeFileError['code'], message: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ExchangeFileError, `an ExchangeFileError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    return true;
  });
}

test('each kind of file is recognised by its content', async () => {
  const f = await made;
  for (const k of FORMATS) assert.equal(sniffFormat(f[k]), k);
  assert.equal(sniffFormat(f.plainCxf), 'cxf');
  assert.equal(sniffFormat(new TextEncoder().encode('hello')), null);
});

test('a file of another kind than the one chosen is named, and nothing is read', async () => {
  const f = await made;
  for (const chosen of FORMATS) {
    for (const actual of FORMATS) {
      if (chosen === actual) continue;
      const name = { latchkey: 'Latchkey backup', cxf: 'CXF', kdbx: 'KeePassXC \\(KDBX\\)', bitwarden: 'Bitwarden JSON' }[actual];
      await refused(readImport(chosen, f[actual], PASS), 'wrong-format', new RegExp(`looks like a ${name} file`));
    }
  }
});

test('wrong passphrase: refused with a message that says so', async () => {
  const f = await made;
  for (const k of ['latchkey', 'cxf', 'kdbx'] as const) await refused(readImport(k, f[k], 'not the passphrase'), 'passphrase', /wrong/i);
  for (const k of ['latchkey', 'cxf', 'kdbx'] as const) await refused(readImport(k, f[k], ''), 'passphrase', /passphrase|password/i);
});

test('truncated files: refused as damaged or not of the kind, never half read', async () => {
  const f = await made;
  for (const k of [...FORMATS, 'plainCxf'] as const) {
    const bytes = f[k];
    for (const cut of [0.3, 0.6, 0.95]) {
      const part = bytes.subarray(0, Math.floor(bytes.length * cut));
      const format = k === 'plainCxf' ? 'cxf' : k;
      await assert.rejects(readImport(format, part, PASS), (e: unknown) => {
        assert.ok(e instanceof ExchangeFileError, `${k} cut at ${cut}: ${String(e)}`);
        assert.ok(['damaged', 'wrong-format', 'passphrase'].includes(e.code), `${k} at ${cut}: ${e.code} ${e.message}`);
        return true;
      });
    }
  }
});

test('100 MB of junk is refused by its size before any parsing', async () => {
  const junk = new Uint8Array(100 * 1024 * 1024).fill(0x7b); // '{' repeated: would be slow JSON
  for (const k of FORMATS) await refused(readImport(k, junk, PASS), 'too-big', /MB/);
  assert.ok(MAX_IMPORT_BYTES < junk.length);
  // The page refuses by the same limit before reading (the protocol keeps its own copy of it).
  assert.equal(MAX_EXCHANGE_FILE_BYTES, MAX_IMPORT_BYTES);
  assert.deepEqual([...EXCHANGE_FORMATS], FORMATS);
});

test('a key that is not a valid P-256 or Ed25519 key: that passkey is skipped with the reason, the others come', async () => {
  const f = await made;
  const doc = JSON.parse(new TextDecoder().decode(f.plainCxf));
  const creds = doc.accounts[0].items.map((i: { credentials: { key: string }[] }) => i.credentials[0]!);
  // P-256: the scalar set to the group order n (not a valid private key); Ed25519: an RSA-ish OID.
  const p256 = creds.find((c: { key: string }) => fromBase64url(c.key).length > 60)!;
  const der = fromBase64url(p256.key);
  const n = Uint8Array.from(Buffer.from('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551', 'hex'));
  const at = der.findIndex((_, i) => der[i] === 0x04 && der[i + 1] === 0x20 && der[i - 1] === 0x01); // ECPrivateKey's OCTET STRING
  der.set(n, at + 2);
  p256.key = toBase64url(der);
  const ed = creds.find((c: { key: string }) => fromBase64url(c.key).length < 60)!;
  ed.key = toBase64url(new TextEncoder().encode('not a key at all, just text'));
  const got = await readImport('cxf', new TextEncoder().encode(JSON.stringify(doc)), '');
  assert.equal(got.items.length, 1);
  assert.equal(got.skipped.length, 2);
  assert.match(got.skipped.map((s) => s.reason).join(' '), /not a valid P-256 key/);
  assert.match(got.skipped.map((s) => s.reason).join(' '), /not a P-256 \(ES256\) or Ed25519/);
});

test('CXF of another major version is refused; unknown credential types and non-passkey items are passed over', async () => {
  const f = await made;
  const doc = JSON.parse(new TextDecoder().decode(f.plainCxf));
  doc.accounts[0].items.push({ id: 'AAAA', title: 'A password', credentials: [{ type: 'basic-auth', username: { fieldType: 'string', value: 'x' } }, { type: 'future-thing' }] });
  const got = await readImport('cxf', new TextEncoder().encode(JSON.stringify(doc)), '');
  assert.equal(got.items.length, 3);
  assert.deepEqual(got.skipped, []);
  doc.version = { major: 2, minor: 0 };
  await refused(readImport('cxf', new TextEncoder().encode(JSON.stringify(doc)), ''), 'unsupported', /version 2\.0/);
});

test('preview: how many, which sites, what is already there, what clashes (and the vault agrees)', async () => {
  const f = await made;
  const file = await readImport('cxf', f.plainCxf, '');
  const { vault, key } = await openVault('preview');
  // One already there as is, one with the same id but another key: a conflict.
  await vault.importPasskeys(key, [file.items[0]!]);
  const clash = passkey({ credentialId: file.items[1]!.credentialId, rpId: file.items[1]!.rpId });
  await vault.addPasskey(key, clash.passkey, clash.privateKey);
  const withDup = { items: [...file.items, file.items[2]!], skipped: [] };
  const p = previewImport(withDup, await vault.listAll());
  assert.equal(p.total, 4);
  assert.equal(p.added, 1);
  assert.equal(p.unchanged, 2); // the one there already, and the repeat in the file
  assert.equal(p.duplicatesInFile, 1);
  assert.deepEqual(p.conflicts.map((c) => c.rpId), [file.items[1]!.rpId]);
  assert.deepEqual(p.sites.map((s) => s.rpId).sort(), ['bank.example', 'mail.example', 'shop.example']);
  const r = await vault.importPasskeys(key, withDup.items);
  assert.equal(r.added.length, p.added);
  assert.equal(r.conflicts.length, p.conflicts.length);
  // Nothing overwritten: the clashing passkey is still the one Latchkey had.
  assert.equal((await vault.get(clash.passkey.credentialId))?.publicKey, clash.passkey.publicKey);
});

test('an encrypted CXF asking Argon2 for 4 GiB is not opened (bounded before Argon2 runs)', async () => {
  const f = await made;
  const sealed = JSON.parse(new TextDecoder().decode(f.cxf));
  sealed.kdf.memoryKiB = 4 * 1024 * 1024;
  await refused(readImport('cxf', new TextEncoder().encode(JSON.stringify(sealed)), PASS), 'damaged', /far more memory or time/);
  // A sealed file of another content is not taken for CXF.
  const other = { ...JSON.parse(new TextDecoder().decode(f.cxf)), content: 'notes' };
  await assert.rejects(readImport('cxf', new TextEncoder().encode(JSON.stringify(other)), PASS), ExchangeFileError);
});
