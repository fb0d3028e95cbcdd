import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { fromBase64url, toBase64url } from '../core/base64url.js';
import { signES256 } from '../core/es256.js';
import { parseBitwardenExport } from './bitwarden.js';
import { BackupFormatError } from './errors.js';
import { CHEAP_KDF, uniqueDbName } from './testFixtures.js';
import { Vault } from './vault.js';

// A realistic unencrypted Bitwarden JSON export, shaped as Bitwarden's clients write it (see the
// sources cited at the top of bitwarden.ts): GUID credential ids for passkeys Bitwarden created,
// "b64." ids for ones it imported, keyValue = PKCS#8 DER, counter and discoverable as strings.

interface Key { der: Buffer; publicKey: KeyObject; point: Uint8Array }
function p256Key(): Key {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const point = new Uint8Array([4, ...fromBase64url(jwk.x!), ...fromBase64url(jwk.y!)]);
  return { der: privateKey.export({ format: 'der', type: 'pkcs8' }), publicKey, point };
}

const GITHUB = p256Key();
const SHOP = p256Key();
const LONG = p256Key();
const GUID = '08d70b74-e9f5-4522-a425-e5dcd40107e7'; // bytes from Bitwarden's guid-utils.spec.ts
const GUID_BYTES = [0x08, 0xd7, 0x0b, 0x74, 0xe9, 0xf5, 0x45, 0x22, 0xa4, 0x25, 0xe5, 0xdc, 0xd4, 0x01, 0x07, 0xe7];
const SHOP_ID = new Uint8Array(32).map((_, i) => 250 - i); // bytes whose base64 has '+' and '/'
const SHOP_USER = new Uint8Array([0xfb, 0xff, 0xbf, 0x01, 0x02]);

function fido2(over: Record<string, unknown>): Record<string, unknown> {
  return {
    credentialId: GUID, keyType: 'public-key', keyAlgorithm: 'ECDSA', keyCurve: 'P-256',
    keyValue: toBase64url(GITHUB.der), rpId: 'github.com', userHandle: toBase64url(new Uint8Array(32).fill(7)),
    userName: 'ada', counter: '0', rpName: 'GitHub', userDisplayName: 'Ada Lovelace', discoverable: 'true',
    creationDate: '2024-03-01T10:15:30.000Z', ...over,
  };
}

function login(name: string, fido2Credentials: unknown[], extra: Record<string, unknown> = {}) {
  return {
    passwordHistory: null, revisionDate: '2024-03-02T00:00:00.000Z', creationDate: '2024-03-01T10:15:00.000Z',
    deletedDate: null, id: crypto.randomUUID(), organizationId: null, folderId: null, type: 1, reprompt: 0,
    name, notes: null, favorite: false,
    login: { fido2Credentials, uris: [{ match: null, uri: 'https://example.com' }], username: 'ada@example.com', password: 'hunter2', totp: null },
    collectionIds: null, ...extra,
  };
}

const SAMPLE = JSON.stringify({
  encrypted: false,
  folders: [{ id: crypto.randomUUID(), name: 'Work' }],
  items: [
    login('GitHub', [fido2({})]),
    // Imported into Bitwarden from elsewhere: "b64." id; standard padded base64 for key and user handle.
    login('  Shop  ', [fido2({
      credentialId: `b64.${toBase64url(SHOP_ID)}`, keyValue: SHOP.der.toString('base64'), rpId: 'shop.example',
      userHandle: Buffer.from(SHOP_USER).toString('base64'), userName: undefined, userDisplayName: undefined,
      counter: '17', creationDate: 'not a date', rpName: undefined,
    })]),
    login('x'.repeat(70), [fido2({ credentialId: GUID.toUpperCase().replace('08D7', '09D7'), keyValue: toBase64url(LONG.der) })]),
    login('Password only', []),
    { ...login('Card', []), type: 3, login: undefined, card: { number: '4111111111111111' } },
    login('Ed25519 site', [fido2({ credentialId: crypto.randomUUID(), keyAlgorithm: 'EdDSA', keyCurve: 'Ed25519' })]),
    login('No site', [fido2({ credentialId: crypto.randomUUID(), rpId: '' })]),
    login('Broken key', [fido2({ credentialId: crypto.randomUUID(), keyValue: 'AAAA' })]),
    login('Odd id', [fido2({ credentialId: 'not-a-guid' })]),
    login('No user', [fido2({ credentialId: crypto.randomUUID(), userHandle: undefined })]),
    login('Bad counter', [fido2({ credentialId: crypto.randomUUID(), counter: '-1' })]),
  ],
}, null, 2);

const NOW = 1_710_000_000_000;

test('Bitwarden export: P-256 passkeys convert, with GUID and "b64." ids, base64 and base64url fields', () => {
  const { items, skipped } = parseBitwardenExport(SAMPLE, { now: NOW });
  assert.equal(items.length, 3);
  const [github, shop, long] = items;
  assert.deepEqual(github, {
    credentialId: toBase64url(new Uint8Array(GUID_BYTES)), rpId: 'github.com', userHandle: toBase64url(new Uint8Array(32).fill(7)),
    userName: 'ada', userDisplayName: 'Ada Lovelace', alg: -7, publicKey: toBase64url(GITHUB.point),
    backupEligible: true, backupState: true, signCount: 0, createdAt: Date.parse('2024-03-01T10:15:30.000Z'),
    lastUsedAt: null, label: 'GitHub', privateKey: github!.privateKey,
  });
  assert.equal(shop!.credentialId, toBase64url(SHOP_ID));
  assert.equal(shop!.userHandle, toBase64url(SHOP_USER));
  assert.equal(shop!.publicKey, toBase64url(SHOP.point));
  assert.equal(shop!.signCount, 17);
  assert.equal(shop!.userName, 'ada@example.com'); // from the login when the passkey has none
  assert.equal(shop!.userDisplayName, '');
  assert.equal(shop!.createdAt, NOW);
  assert.equal(shop!.label, 'Shop');
  assert.equal(long!.label, 'x'.repeat(64)); // shortened, not refused
  assert.equal(fromBase64url(long!.credentialId)[0], 0x09); // GUIDs in capitals are read as well

  assert.deepEqual(skipped.map((s) => s.name), ['Ed25519 site', 'No site', 'Broken key', 'Odd id', 'No user', 'Bad counter']);
  assert.match(skipped[0]!.reason, /Only P-256 \(ES256\) passkeys can be imported; this one uses EdDSA Ed25519\./);
  assert.match(skipped[1]!.reason, /which website/);
  assert.match(skipped[2]!.reason, /private key/);
  assert.match(skipped[3]!.reason, /credential id/);
  assert.match(skipped[4]!.reason, /user handle/);
  assert.match(skipped[5]!.reason, /counter/);
});

test('an encrypted Bitwarden export is reported, not half-read', () => {
  const passwordProtected = JSON.stringify({
    encrypted: true, passwordProtected: true, salt: 'c2FsdA==', kdfType: 0, kdfIterations: 600000,
    encKeyValidation_DO_NOT_EDIT: '2.aaaa|bbbb|cccc', data: '2.dddd|eeee|ffff',
  });
  const accountRestricted = JSON.stringify({
    encrypted: true, encKeyValidation_DO_NOT_EDIT: '2.aaaa|bbbb|cccc', folders: [],
    items: [login('2.xxxx|yyyy|zzzz', [fido2({ credentialId: '2.qqqq|rrrr|ssss' })])],
  });
  for (const text of [passwordProtected, accountRestricted]) {
    assert.deepEqual(parseBitwardenExport(text), {
      items: [],
      skipped: [{ name: 'Bitwarden export', reason: 'This is an encrypted Bitwarden export; export again as unencrypted JSON.' }],
    });
  }
});

test('a file that is not a Bitwarden JSON export at all is refused', () => {
  const isNotBitwarden = (e: unknown) => e instanceof BackupFormatError && e.message === 'This file is not a Bitwarden JSON export.';
  for (const text of ['', 'name,url,username,password\n', '{}', '[]', 'null', '{"encrypted":false}', '{"items":[]}',
    '{"format":"latchkey-backup","version":1}']) {
    assert.throws(() => parseBitwardenExport(text), isNotBitwarden, text);
  }
  assert.deepEqual(parseBitwardenExport('{"encrypted":false,"folders":[],"items":[]}'), { items: [], skipped: [] });
});

test('imported Bitwarden passkeys sign in the vault, verified by node:crypto with the original public keys', async () => {
  const vault = await Vault.open({ dbName: uniqueDbName('bitwarden'), kdf: CHEAP_KDF });
  const key = await vault.initialize('1234');
  const { items } = parseBitwardenExport(SAMPLE, { now: NOW });
  const r = await vault.importPasskeys(key, items);
  assert.equal(r.added.length, 3);
  assert.deepEqual(await vault.importPasskeys(key, items), { added: [], unchanged: r.added, conflicts: [] });
  for (const [item, original] of [[items[0]!, GITHUB], [items[1]!, SHOP]] as const) {
    const secret = await vault.unwrapPrivateKey(key, item.credentialId);
    const message = new TextEncoder().encode(`signed for ${item.rpId}`);
    assert.equal(verify('sha256', message, { key: original.publicKey, dsaEncoding: 'der' }, signES256(secret, message)), true);
  }
  assert.equal(await vault.markUsed(items[1]!.credentialId, NOW), 18); // Bitwarden's counter keeps rising
  assert.equal((await vault.get(items[0]!.credentialId))?.label, 'GitHub');
  vault.close();
});
