// Latchkey -> each format -> Latchkey, through the real vault (fake-indexeddb): what each format
// keeps comes back field for field, and each imported key still signs for its public key.
import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromBase64url } from '../core/base64url.js';
import { signES256 } from '../core/es256.js';
import { signEd25519 } from '../core/ed25519.js';
import { curves } from '../lazy/load.cjs';
import type { ExportedPasskey } from '../vault/vault.js';
import { readImport, writeExport } from './files.js';
import { CHEAP_KDF, openVault, seedVault } from './testFixtures.js';
import type { ExchangeFormat } from './types.js';

const PASS = 'correct horse battery';

async function roundTrip(format: ExchangeFormat, plain = false): Promise<{ before: ExportedPasskey[]; after: ExportedPasskey[]; excluded: number }> {
  const from = await openVault(`from-${format}`);
  await seedVault(from.vault, from.key);
  const before = await from.vault.exportPasskeys(from.key);
  const file = await writeExport(format, before, { passphrase: PASS, plain, kdf: CHEAP_KDF });
  const parsed = await readImport(format, file.bytes, PASS);
  assert.deepEqual(parsed.skipped, []);
  const to = await openVault(`to-${format}`);
  const r = await to.vault.importPasskeys(to.key, parsed.items);
  assert.equal(r.added.length, parsed.items.length);
  const after = await to.vault.exportPasskeys(to.key);
  return { before, after, excluded: file.excluded.length };
}

const byId = (list: ExportedPasskey[]) => new Map(list.map((p) => [p.credentialId, p]));

function signs(p: ExportedPasskey): void {
  const msg = new TextEncoder().encode('authenticatorData || clientDataHash');
  const secret = fromBase64url(p.privateKey);
  const pub = fromBase64url(p.publicKey);
  if (p.alg === -8) assert.ok(curves().ed25519.verify(signEd25519(secret, msg), msg, pub));
  else assert.ok(curves().p256.verify(signES256(secret, msg), msg, pub, { format: 'der' } as never) || curves().p256.verify(signES256(secret, msg), msg, pub));
}

const CORE = ['credentialId', 'rpId', 'userHandle', 'userName', 'alg', 'publicKey', 'privateKey'] as const;

for (const [format, plain] of [['cxf', false], ['cxf', true], ['kdbx', false], ['latchkey', false]] as const) {
  test(`${format}${plain ? ' (plain)' : ''}: every passkey and field comes back`, async () => {
    const { before, after, excluded } = await roundTrip(format, plain);
    assert.equal(excluded, 0);
    assert.equal(after.length, 3);
    const got = byId(after);
    for (const p of before) {
      const q = got.get(p.credentialId);
      assert.ok(q, `${p.rpId} came back`);
      for (const k of CORE) assert.equal(q[k], p[k], `${p.rpId}: ${k}`);
      // Kept by all three (CXF in Latchkey's item extension, KDBX in attributes and times).
      assert.equal(q.userDisplayName, p.userDisplayName, `${p.rpId}: userDisplayName`);
      assert.equal(q.label, p.label, `${p.rpId}: label`);
      assert.equal(q.backupEligible, p.backupEligible, `${p.rpId}: BE`);
      assert.equal(q.backupState, p.backupState, `${p.rpId}: BS`);
      assert.equal(q.createdAt, p.createdAt, `${p.rpId}: createdAt`);
      assert.equal(q.signCount, 0);
      signs(q);
    }
  });
}

test('bitwarden: ES256 passkeys come back (BE/BS become 1: Bitwarden signs so); EdDSA is excluded and said', async () => {
  const { before, after, excluded } = await roundTrip('bitwarden');
  assert.equal(excluded, 1);
  assert.equal(after.length, 2);
  const got = byId(after);
  for (const p of before.filter((x) => x.alg === -7)) {
    const q = got.get(p.credentialId)!;
    for (const k of CORE) assert.equal(q[k], p[k], `${p.rpId}: ${k}`);
    assert.equal(q.userDisplayName, p.userDisplayName);
    assert.equal(q.label, p.label ?? null);
    assert.equal(q.createdAt, p.createdAt);
    assert.equal(q.backupEligible, true);
    signs(q);
  }
  assert.ok(!after.some((p) => p.alg === -8));
});

test('cxf and kdbx exports leave out a passkey whose counter counts, and say so', async () => {
  const from = await openVault('counter');
  await seedVault(from.vault, from.key);
  const items = await from.vault.exportPasskeys(from.key);
  const i = items.findIndex((p) => p.alg === -7); // an ES256 one, so Bitwarden can take it too
  items[i] = { ...items[i]!, signCount: 7 };
  for (const format of ['cxf', 'kdbx'] as const) {
    const file = await writeExport(format, items, { passphrase: PASS, plain: true, kdf: CHEAP_KDF });
    assert.equal(file.count, 2);
    assert.equal(file.excluded.length, 1);
    assert.match(file.excluded[0]!.reason, /counter/);
    const back = await readImport(format, file.bytes, PASS);
    assert.equal(back.items.length, 2);
    assert.ok(!back.items.some((p) => p.credentialId === items[i]!.credentialId));
  }
  // Bitwarden keeps counters: the passkey goes, with its count.
  const bw = await writeExport('bitwarden', items, {});
  const back = await readImport('bitwarden', bw.bytes, '');
  assert.equal(back.items.find((p) => p.credentialId === items[i]!.credentialId)?.signCount, 7);
});
