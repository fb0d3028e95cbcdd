// staticMethods.ts runs in the page; these check its pure parts in Node (same intrinsics:
// TypeError, DOMException, ArrayBuffer), and its installation on a stand-in constructor.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  creationOptionsFromJSON, decodeB64url, installStaticMethods, LATCHKEY_CAPABILITIES, mergeCapabilities, requestOptionsFromJSON, signalFromOptions,
} from './staticMethods';

const bytes = (b: unknown) => (assert.ok(b instanceof ArrayBuffer, 'an ArrayBuffer'), [...new Uint8Array(b)]);
const isEncodingError = (e: unknown) => e instanceof DOMException && e.name === 'EncodingError';

test('base64url: unpadded RFC 4648 §5 alphabet only; anything else is an EncodingError', () => {
  assert.deepEqual(bytes(decodeB64url('', 'x')), []);
  assert.deepEqual(bytes(decodeB64url('AQID', 'x')), [1, 2, 3]);
  assert.deepEqual(bytes(decodeB64url('-_8', 'x')), [0xfb, 0xff]);
  assert.deepEqual(bytes(decodeB64url('dGVzdA', 'x')), [...Buffer.from('test')]);
  assert.deepEqual(bytes(decodeB64url('AB', 'x')), [0], 'non-zero spare bits are accepted, as Chromium does');
  for (const bad of ['A', 'AA==', 'AAA=', 'A+/A', 'AA A', 'AA\n', '!!', 'AAAAA']) {
    assert.throws(() => decodeB64url(bad, 'challenge'), isEncodingError, JSON.stringify(bad));
  }
  const random = new Uint8Array(257).map((_, i) => (i * 73 + 11) & 0xff);
  for (let n = 0; n < random.length; n++) {
    const slice = random.subarray(0, n);
    assert.deepEqual(bytes(decodeB64url(Buffer.from(slice).toString('base64url'), 'x')), [...slice]);
  }
});

const base = () => ({
  rp: { name: 'Example', id: 'example.com' }, user: { id: 'AQID', name: 'a@example.com', displayName: 'A' },
  challenge: 'dGVzdA', pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
});

test('parseCreationOptionsFromJSON: decodes the binary members and fills the spec defaults', () => {
  const o = creationOptionsFromJSON(base()) as unknown as Record<string, unknown>;
  assert.deepEqual(Object.keys(o), ['attestation', 'attestationFormats', 'challenge', 'excludeCredentials', 'hints', 'pubKeyCredParams', 'rp', 'user']);
  assert.equal(o.attestation, 'none');
  assert.deepEqual(o.attestationFormats, []);
  assert.deepEqual(bytes(o.challenge), [...Buffer.from('test')]);
  assert.deepEqual(o.excludeCredentials, []);
  assert.deepEqual(o.hints, []);
  assert.deepEqual(o.pubKeyCredParams, [{ alg: -7, type: 'public-key' }]);
  assert.deepEqual(o.rp, { name: 'Example', id: 'example.com' });
  const user = o.user as Record<string, unknown>;
  assert.deepEqual(Object.keys(user), ['name', 'displayName', 'id']);
  assert.deepEqual(bytes(user.id), [1, 2, 3]);
});

test('parseCreationOptionsFromJSON: every member, prf eval values, unknown extensions dropped', () => {
  const o = creationOptionsFromJSON({
    ...base(), timeout: 60000.9, attestation: 'direct', attestationFormats: ['packed'], hints: ['client-device'],
    authenticatorSelection: { residentKey: 'required' },
    excludeCredentials: [{ type: 'public-key', id: 'AQ', transports: ['usb', 'internal'] }],
    extensions: { credProps: 1, prf: { eval: { first: 'AQ', second: 'Ag' } }, largeBlob: { support: 'preferred' }, foo: { bar: 1 } },
  }) as unknown as Record<string, any>;
  assert.equal(o.timeout, 60000);
  assert.deepEqual(o.authenticatorSelection, { requireResidentKey: false, residentKey: 'required', userVerification: 'preferred' });
  assert.equal(o.excludeCredentials.length, 1);
  assert.deepEqual(bytes(o.excludeCredentials[0].id), [1]);
  assert.deepEqual(o.excludeCredentials[0].transports, ['usb', 'internal']);
  assert.deepEqual(Object.keys(o.extensions), ['credProps', 'largeBlob', 'prf']);
  assert.equal(o.extensions.credProps, true);
  assert.deepEqual(bytes(o.extensions.prf.eval.first), [1]);
  assert.deepEqual(bytes(o.extensions.prf.eval.second), [2]);
  assert.deepEqual(o.attestationFormats, ['packed']);
});

test('parseCreationOptionsFromJSON: missing required members are TypeErrors, before any decoding', () => {
  for (const drop of ['rp', 'user', 'challenge', 'pubKeyCredParams'] as const) {
    const o: Record<string, unknown> = base();
    delete o[drop];
    assert.throws(() => creationOptionsFromJSON(o), TypeError, drop);
  }
  assert.throws(() => creationOptionsFromJSON({ ...base(), rp: {} }), TypeError);
  assert.throws(() => creationOptionsFromJSON({ ...base(), user: { id: 'AQ', name: 'a' } }), TypeError);
  assert.throws(() => creationOptionsFromJSON({ ...base(), pubKeyCredParams: [{ type: 'public-key' }] }), TypeError);
  assert.throws(() => creationOptionsFromJSON({ ...base(), excludeCredentials: [{ id: 'AQ' }] }), TypeError);
  assert.throws(() => creationOptionsFromJSON(undefined), TypeError);
  assert.throws(() => creationOptionsFromJSON(42), TypeError);
  // Both wrong: WebIDL conversion (TypeError) comes before the method's decoding (EncodingError).
  assert.throws(() => creationOptionsFromJSON({ ...base(), challenge: '!', user: { id: 'AQ', name: 'a' } }), TypeError);
  // user.id is not length-checked here (that is create()'s step 5), as in both browsers.
  assert.deepEqual(bytes((creationOptionsFromJSON({ ...base(), user: { id: '', name: 'a', displayName: 'A' } }) as any).user.id), []);
});

test('parseCreationOptionsFromJSON: invalid base64url anywhere is an EncodingError', () => {
  assert.throws(() => creationOptionsFromJSON({ ...base(), challenge: 'AA==' }), isEncodingError);
  assert.throws(() => creationOptionsFromJSON({ ...base(), user: { id: 'A', name: 'a', displayName: 'A' } }), isEncodingError);
  assert.throws(() => creationOptionsFromJSON({ ...base(), excludeCredentials: [{ type: 'public-key', id: 'a/b' }] }), isEncodingError);
  assert.throws(() => creationOptionsFromJSON({ ...base(), extensions: { prf: { eval: { first: '!!' } } } }), isEncodingError);
});

test('parseRequestOptionsFromJSON: defaults, allowCredentials, prf eval and evalByCredential', () => {
  const min = requestOptionsFromJSON({ challenge: 'AQ' }) as unknown as Record<string, any>;
  assert.deepEqual(Object.keys(min), ['allowCredentials', 'challenge', 'hints', 'userVerification']);
  assert.deepEqual(bytes(min.challenge), [1]);
  assert.equal(min.userVerification, 'preferred');
  const o = requestOptionsFromJSON({
    challenge: 'AQ', rpId: 'example.com', timeout: 5, userVerification: 'required', hints: ['security-key'],
    allowCredentials: [{ type: 'public-key', id: 'Ag' }],
    extensions: { appid: 'https://example.com', largeBlob: { read: true, write: 'AQ' }, prf: { eval: { first: 'AQ' }, evalByCredential: { Ag: { first: 'Aw', second: 'BA' } } } },
  }) as unknown as Record<string, any>;
  assert.equal(o.rpId, 'example.com');
  assert.equal(o.timeout, 5);
  assert.deepEqual(bytes(o.allowCredentials[0].id), [2]);
  assert.deepEqual(Object.keys(o.allowCredentials[0]), ['id', 'type']);
  assert.equal(o.extensions.appid, 'https://example.com');
  assert.deepEqual(bytes(o.extensions.largeBlob.write), [1]);
  assert.deepEqual(bytes(o.extensions.prf.eval.first), [1]);
  assert.deepEqual(Object.keys(o.extensions.prf.evalByCredential), ['Ag'], 'record keys stay strings');
  assert.deepEqual(bytes(o.extensions.prf.evalByCredential.Ag.second), [4]);
  assert.throws(() => requestOptionsFromJSON({}), TypeError);
  assert.throws(() => requestOptionsFromJSON({ challenge: 'AQ', allowCredentials: [{ id: 'Ag' }] }), TypeError);
  assert.throws(() => requestOptionsFromJSON({ challenge: 'AQ', allowCredentials: [{ type: 'public-key', id: 'A' }] }), isEncodingError);
  assert.throws(() => requestOptionsFromJSON({ challenge: 'AQ', extensions: { prf: { evalByCredential: { Ag: {} } } } }), TypeError);
});

test('capabilities: Latchkey alone, keys sorted', () => {
  const caps = mergeCapabilities({});
  assert.deepEqual(Object.keys(caps), Object.keys(caps).sort());
  assert.deepEqual(caps, { ...LATCHKEY_CAPABILITIES });
  assert.equal(caps.passkeyPlatformAuthenticator, true);
  assert.equal(caps['extension:credProps'], true);
  assert.equal(caps['extension:prf'], true);
});

test('capabilities: merged with the browser per key, keys sorted', () => {
  // Chromium 156's answer (headless, Linux).
  const chromium = {
    conditionalCreate: true, conditionalGet: true, 'extension:appid': true, 'extension:credProps': true, 'extension:prf': true,
    hybridTransport: true, immediateGet: true, passkeyPlatformAuthenticator: false, relatedOrigins: true,
    signalAllAcceptedCredentials: true, signalCurrentUserDetails: true, signalUnknownCredential: true, userVerifyingPlatformAuthenticator: false,
  };
  const caps = mergeCapabilities(chromium);
  assert.deepEqual(Object.entries(caps), [
    ['conditionalCreate', false], // Latchkey takes every create(): both needed
    ['conditionalGet', true], // Latchkey's autofill, with the browser's beside it
    ['extension:appid', false], // dropped by Latchkey
    ['extension:credProps', true],
    ['extension:prf', true], // Latchkey's own prf, and the browser's on hand-over
    ['hybridTransport', true], // hand-over reaches the browser's dialog
    ['immediateGet', false], // unknown to Latchkey
    ['passkeyPlatformAuthenticator', true],
    ['relatedOrigins', false],
    ['signalAllAcceptedCredentials', true], // Latchkey's, then the browser's own
    ['signalCurrentUserDetails', true],
    ['signalUnknownCredential', true],
    ['userVerifyingPlatformAuthenticator', true],
  ]);
  assert.equal(mergeCapabilities({ 'extension:credProps': false })['extension:credProps'], false, 'credProps lost on hand-over');
  assert.equal(mergeCapabilities({ conditionalGet: false }).conditionalGet, true, 'Latchkey offers autofill where the browser does not');
  assert.equal(mergeCapabilities({ hybridTransport: 'yes' }).hybridTransport, false, 'a non-boolean is no answer');
});

test('installation: replaced and added with the natives\' names, lengths and attributes', async () => {
  const nativeParse = function parseCreationOptionsFromJSON(_: unknown) { return 'native'; };
  const nativeConditional = function isConditionalMediationAvailable() { return Promise.resolve(true); };
  const PKC: Record<string, unknown> = {};
  const webidl = { writable: true, enumerable: true, configurable: true };
  Object.defineProperty(PKC, 'parseCreationOptionsFromJSON', { value: nativeParse, ...webidl });
  Object.defineProperty(PKC, 'isConditionalMediationAvailable', { value: nativeConditional, ...webidl });
  Object.defineProperty(PKC, 'isUserVerifyingPlatformAuthenticatorAvailable', { value: () => Promise.resolve(false), writable: true, enumerable: false, configurable: true });
  Object.defineProperty(PKC, 'getClientCapabilities', { value: async () => ({ hybridTransport: true, conditionalGet: true }), ...webidl });
  installStaticMethods(PKC);

  assert.equal(PKC.parseCreationOptionsFromJSON, nativeParse, 'the browser\'s own is kept');
  const conditional = PKC.isConditionalMediationAvailable as () => Promise<boolean>;
  assert.notEqual(conditional, nativeConditional, 'replaced: Latchkey offers autofill itself');
  assert.equal(conditional.name, 'isConditionalMediationAvailable');
  assert.equal(conditional.length, 0);
  assert.equal(await conditional.call(undefined), true);
  const parseReq = PKC.parseRequestOptionsFromJSON as (j: unknown) => unknown;
  assert.equal(typeof parseReq, 'function', 'defined where missing');
  assert.equal(parseReq.name, 'parseRequestOptionsFromJSON');
  assert.equal(parseReq.length, 1);
  assert.deepEqual({ ...Object.getOwnPropertyDescriptor(PKC, 'parseRequestOptionsFromJSON'), value: 0 }, { value: 0, ...webidl });
  assert.throws(() => new (parseReq as unknown as new () => unknown)(), TypeError, 'not a constructor');

  const uvpaa = PKC.isUserVerifyingPlatformAuthenticatorAvailable as () => Promise<boolean>;
  assert.equal(uvpaa.name, 'isUserVerifyingPlatformAuthenticatorAvailable');
  assert.equal(uvpaa.length, 0);
  assert.equal(Object.getOwnPropertyDescriptor(PKC, 'isUserVerifyingPlatformAuthenticatorAvailable')!.enumerable, false, 'the native\'s attributes');
  const p = uvpaa.call(undefined);
  assert.ok(p instanceof Promise);
  assert.equal(await p, true);

  const caps = PKC.getClientCapabilities as () => Promise<Record<string, boolean>>;
  assert.equal(caps.name, 'getClientCapabilities');
  assert.equal(caps.length, 0);
  const record = await caps.call({});
  assert.equal(record.hybridTransport, true);
  assert.equal(record.conditionalGet, true);
  assert.deepEqual(Object.keys(record), Object.keys(record).sort());
});

test('installation: a browser without any of them gets all of them', async () => {
  const PKC: Record<string, unknown> = {};
  installStaticMethods(PKC);
  assert.equal(await (PKC.isConditionalMediationAvailable as () => Promise<boolean>)(), true);
  assert.deepEqual(await (PKC.getClientCapabilities as () => Promise<unknown>)(), { ...LATCHKEY_CAPABILITIES });
  assert.deepEqual(bytes((PKC.parseRequestOptionsFromJSON as (j: unknown) => any)({ challenge: 'AQ' }).challenge), [1]);
  for (const k of Object.keys(PKC)) assert.equal(typeof PKC[k], 'function', k);
  assert.equal(Object.keys(PKC).length, 8);
});

test('installation: a browser whose getClientCapabilities rejects still gets Latchkey\'s answer', async () => {
  const PKC: Record<string, unknown> = { getClientCapabilities: () => Promise.reject(new Error('no')) };
  installStaticMethods(PKC);
  assert.deepEqual(await (PKC.getClientCapabilities as () => Promise<unknown>)(), { ...LATCHKEY_CAPABILITIES });
});

// ---- signal methods (§5.1.10) -------------------------------------------------------------------

test('signalFromOptions: members read in lexicographic order, required ones TypeError, base64url TypeError', () => {
  const read: string[] = [];
  const logged = (o: Record<string, unknown>) => new Proxy(o, { get: (t, k) => { read.push(String(k)); return t[k as string]; } });
  assert.deepEqual(signalFromOptions('signalCurrentUserDetails', logged({ rpId: 'example.com', userId: 'AQID', name: 'n', displayName: 'd' })),
    { op: 'signalCurrentUserDetails', options: { rpId: 'example.com', userId: 'AQID', name: 'n', displayName: 'd' } });
  assert.deepEqual(read, ['displayName', 'name', 'rpId', 'userId']);
  read.length = 0;
  signalFromOptions('signalAllAcceptedCredentials', logged({ rpId: 'example.com', userId: 'AQID', allAcceptedCredentialIds: ['AA', 'BB'] }));
  assert.deepEqual(read, ['allAcceptedCredentialIds', 'rpId', 'userId']);
  read.length = 0;
  signalFromOptions('signalUnknownCredential', logged({ rpId: 'example.com', credentialId: 'AA' }));
  assert.deepEqual(read, ['credentialId', 'rpId']);

  const typeErr = (f: () => unknown) => assert.throws(f, (e: unknown) => e instanceof TypeError);
  typeErr(() => signalFromOptions('signalUnknownCredential', { credentialId: 'AA' }));
  typeErr(() => signalFromOptions('signalUnknownCredential', undefined));
  typeErr(() => signalFromOptions('signalUnknownCredential', 'x'));
  for (const bad of ['A', 'AA==', 'a+b/', 'AA AA', '!']) {
    typeErr(() => signalFromOptions('signalUnknownCredential', { rpId: 'example.com', credentialId: bad }));
  }
  typeErr(() => signalFromOptions('signalAllAcceptedCredentials', { rpId: 'example.com', userId: 'A', allAcceptedCredentialIds: [] }));
  typeErr(() => signalFromOptions('signalAllAcceptedCredentials', { rpId: 'example.com', userId: 'AQ', allAcceptedCredentialIds: ['AQ', 'x=='] }));
  typeErr(() => signalFromOptions('signalAllAcceptedCredentials', { rpId: 'example.com', userId: 'AQ', allAcceptedCredentialIds: 5 }));
  typeErr(() => signalFromOptions('signalCurrentUserDetails', { rpId: 'example.com', userId: '***', name: 'n', displayName: 'd' }));
  typeErr(() => signalFromOptions('signalCurrentUserDetails', { rpId: 'example.com', userId: 'AQ', name: 'n' }));
  // The empty string decodes to no bytes: valid base64url.
  assert.equal(signalFromOptions('signalUnknownCredential', { rpId: 'x', credentialId: '' }).options.rpId, 'x');
});

test('signal methods: installed always, reject TypeError as a promise, SecurityError from the background, else undefined', async () => {
  const forwarded: unknown[] = [];
  const nativeUnknown = function signalUnknownCredential(o: unknown) { forwarded.push(o); return Promise.reject(new DOMException('x', 'SecurityError')); };
  const PKC: Record<string, unknown> = { signalUnknownCredential: nativeUnknown };
  const sent: unknown[] = [];
  let answer: unknown = { status: 'handover' };
  installStaticMethods(PKC, async (s) => { sent.push(s); return answer as never; });
  assert.notEqual(PKC.signalUnknownCredential, nativeUnknown, 'Latchkey\'s replaces the browser\'s');
  for (const name of ['signalUnknownCredential', 'signalAllAcceptedCredentials', 'signalCurrentUserDetails']) {
    const f = PKC[name] as (o: unknown) => Promise<unknown>;
    assert.equal(f.name, name);
    assert.equal(f.length, 1);
    assert.throws(() => new (f as unknown as new () => unknown)(), TypeError, 'not a constructor');
  }
  const unknown = PKC.signalUnknownCredential as (o: unknown) => Promise<unknown>;
  const all = PKC.signalAllAcceptedCredentials as (o: unknown) => Promise<unknown>;

  const bad = unknown({ rpId: 'example.com', credentialId: '***' });
  assert.ok(bad instanceof Promise, 'a promise, not a throw');
  await assert.rejects(bad, TypeError);
  assert.equal(sent.length, 0, 'nothing sent for a TypeError');

  const options = { rpId: 'example.com', credentialId: 'AQID' };
  assert.equal(await unknown(options), undefined);
  assert.deepEqual(sent, [{ op: 'signalUnknownCredential', options }]);
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(forwarded, [options], 'then the browser\'s own, its rejection ignored');
  assert.notEqual(forwarded[0], options, 'with a copy, not the page\'s object');

  answer = { status: 'error', name: 'SecurityError', message: '"evil.example" is not a registrable domain suffix of example.com.' };
  await assert.rejects(unknown({ rpId: 'evil.example', credentialId: 'AQID' }), (e: unknown) => e instanceof DOMException && e.name === 'SecurityError');
  answer = { status: 'error', name: 'NotAllowedError', message: 'gone' };
  assert.equal(await all({ rpId: 'example.com', userId: 'AQ', allAcceptedCredentialIds: [] }), undefined, 'the background unreachable: still undefined');
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(forwarded.length, 1, 'not forwarded after a SecurityError or a failure');
});
