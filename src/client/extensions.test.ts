import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { creationOptionsToJSON, requestOptionsToJSON } from '../content/convert';
import { checkAppidAtCreate, credProtectNeedsAnotherAuthenticator, EXTENSIONS, extensionsHandOver, pageExtensionOutputs } from './extensions';

const REGISTRY = [
  'appid', 'appidExclude', 'txAuthSimple', 'txAuthGeneric', 'authnSel', 'exts', 'uvi', 'loc', 'uvm', 'credProtect', 'credBlob',
  'largeBlobKey', 'minPinLength', 'hmac-secret', 'hmac-secret-mc', 'prf', 'largeBlob', 'credProps', 'payment', 'devicePubKey',
  'supplementalPubKeys', 'thirdPartyPayment',
];

test('the table covers every identifier of §10 and the IANA registry, once', () => {
  assert.deepEqual(EXTENSIONS.map((e) => e.id).sort(), [...REGISTRY].sort());
});

test('docs/EXTENSIONS.md says the same as the table, row by row', () => {
  const doc = readFileSync(new URL('../../docs/EXTENSIONS.md', import.meta.url), 'utf8');
  const rows = new Map<string, { create: string; get: string }>();
  for (const line of doc.split('\n')) {
    const m = /^\| (`[^|]+`) \| [^|]* \| ([^|]+) \| ([^|]+) \|/.exec(line);
    if (!m) continue;
    for (const id of m[1]!.split('/').map((s) => s.trim().replace(/`/g, ''))) rows.set(id, { create: m[2]!.trim(), get: m[3]!.trim() });
  }
  for (const e of EXTENSIONS) {
    const row = rows.get(e.id);
    assert.ok(row, `docs/EXTENSIONS.md has a row for ${e.id}`);
    assert.ok(row.create.startsWith(e.create), `${e.id} create: doc "${row.create}", code "${e.create}"`);
    assert.ok(row.get.startsWith(e.get), `${e.id} get: doc "${row.get}", code "${e.get}"`);
  }
});

const pk = (extensions: unknown) => ({
  rp: { name: 'X' }, user: { id: new Uint8Array([1]), name: 'u', displayName: 'U' }, challenge: new Uint8Array(32),
  pubKeyCredParams: [{ type: 'public-key', alg: -7 }], extensions,
});
const rejectsNotSupported = (f: () => unknown) => assert.throws(f, (e: unknown) => e instanceof DOMException && e.name === 'NotSupportedError');

test('appid at create() is NotSupportedError whatever its value: a URL, "", null (§10.1.1)', () => {
  for (const appid of ['https://localhost/appid.json', '', null, 0, false]) rejectsNotSupported(() => creationOptionsToJSON(pk({ appid })));
  assert.doesNotThrow(() => creationOptionsToJSON(pk({ appid: undefined })), 'undefined is "not present" (WebIDL)');
  assert.doesNotThrow(() => creationOptionsToJSON(pk({ appidExclude: 'https://localhost' })));
  rejectsNotSupported(() => checkAppidAtCreate({ appid: '' }));
  assert.throws(() => creationOptionsToJSON(pk({ appid: Symbol('x') })), TypeError, 'USVString conversion of a Symbol');
});

test('appid at get() is carried; its output is false when Latchkey answers; appidExclude has none', () => {
  const json = requestOptionsToJSON({ challenge: new Uint8Array(32), extensions: { appid: '' } });
  assert.equal(json.extensions?.appid, '');
  assert.deepEqual(pageExtensionOutputs('get', json.extensions), { appid: false });
  assert.deepEqual(pageExtensionOutputs('get', {}), {});
  assert.deepEqual(pageExtensionOutputs('create', { appid: 'https://x' }), {}, 'create() with appid never gets this far');
});

test('credProtect: enforced above userVerificationOptional goes to the browser; otherwise Latchkey goes on', () => {
  const at = (credentialProtectionPolicy?: string, enforceCredentialProtectionPolicy?: boolean) =>
    creationOptionsToJSON(pk({ credentialProtectionPolicy, enforceCredentialProtectionPolicy })).extensions;
  assert.equal(credProtectNeedsAnotherAuthenticator(at('userVerificationRequired', true)), true);
  assert.equal(credProtectNeedsAnotherAuthenticator(at('userVerificationOptionalWithCredentialIDList', true)), true);
  assert.equal(credProtectNeedsAnotherAuthenticator(at('userVerificationOptional', true)), false);
  assert.equal(credProtectNeedsAnotherAuthenticator(at('userVerificationRequired', false)), false);
  assert.equal(credProtectNeedsAnotherAuthenticator(at('userVerificationRequired')), false);
  assert.equal(extensionsHandOver('create', at('userVerificationRequired', true)), true);
  assert.equal(extensionsHandOver('get', { credentialProtectionPolicy: 'userVerificationRequired', enforceCredentialProtectionPolicy: true }), false, 'a registration extension');
});

test('payment with isPayment goes to the browser at create() and get(); without it, ignored', () => {
  assert.equal(extensionsHandOver('create', creationOptionsToJSON(pk({ payment: { isPayment: true } })).extensions), true);
  assert.equal(extensionsHandOver('get', requestOptionsToJSON({ challenge: new Uint8Array(1), extensions: { payment: { isPayment: true } } }).extensions), true);
  assert.equal(extensionsHandOver('create', creationOptionsToJSON(pk({ payment: {} })).extensions), false);
  assert.equal(extensionsHandOver('create', creationOptionsToJSON(pk({ payment: { isPayment: false } })).extensions), false);
  assert.throws(() => creationOptionsToJSON(pk({ payment: 5 })), TypeError, 'a dictionary');
});

test('every ignored identifier leaves nothing in the converted options (and so no output)', () => {
  const ignored = EXTENSIONS.filter((e) => e.create === 'ignore').flatMap((e) => e.inputs ?? [e.id]);
  for (const input of ignored) {
    const json = creationOptionsToJSON(pk({ [input]: true }));
    assert.deepEqual(json.extensions, {}, `create: ${input}`);
  }
  for (const input of EXTENSIONS.filter((e) => e.get === 'ignore').flatMap((e) => e.inputs ?? [e.id])) {
    // Carried, and decided at create only (credProps' output: src/background/authenticator.ts save()).
    if (['credentialProtectionPolicy', 'enforceCredentialProtectionPolicy', 'credProps'].includes(input)) continue;
    const json = requestOptionsToJSON({ challenge: new Uint8Array(1), extensions: { [input]: true } });
    assert.deepEqual(json.extensions, {}, `get: ${input}`);
  }
});
