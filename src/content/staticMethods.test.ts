// staticMethods.ts runs in the page; these check its pure parts in Node (same intrinsics:
// TypeError, DOMException, ArrayBuffer), and its installation on a stand-in constructor.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installStaticMethods, isBase64url, LATCHKEY_CAPABILITIES, mergeCapabilities, signalFromOptions } from './staticMethods';

test('base64url: unpadded RFC 4648 §5 alphabet only', () => {
  for (const good of ['', 'AQID', '-_8', 'dGVzdA', 'AB']) assert.equal(isBase64url(good), true, JSON.stringify(good));
  for (const bad of ['A', 'AA==', 'AAA=', 'A+/A', 'AA A', 'AA\n', '!!', 'AAAAA']) assert.equal(isBase64url(bad), false, JSON.stringify(bad));
  const random = new Uint8Array(257).map((_, i) => (i * 73 + 11) & 0xff);
  for (let n = 0; n < random.length; n++) assert.equal(isBase64url(Buffer.from(random.subarray(0, n)).toString('base64url')), true);
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
    ['conditionalCreate', true], // Latchkey's passkey upgrades, or the browser's when they are off
    ['conditionalGet', true], // Latchkey's autofill, with the browser's beside it
    ['extension:appid', false], // dropped by Latchkey
    ['extension:credProps', true],
    ['extension:prf', true], // Latchkey's own prf, and the browser's on hand-over
    ['hybridTransport', true], // hand-over reaches the browser's dialog
    ['immediateGet', false], // unknown to Latchkey
    ['passkeyPlatformAuthenticator', true],
    ['relatedOrigins', true], // Latchkey's own check (§5.11), and the browser's on hand-over
    ['signalAllAcceptedCredentials', true], // Latchkey's, then the browser's own
    ['signalCurrentUserDetails', true],
    ['signalUnknownCredential', true],
    ['userVerifyingPlatformAuthenticator', true],
  ]);
  assert.equal(mergeCapabilities({ 'extension:credProps': false })['extension:credProps'], false, 'credProps lost on hand-over');
  assert.equal(mergeCapabilities({ conditionalGet: false }).conditionalGet, true, 'Latchkey offers autofill where the browser does not');
  assert.equal(mergeCapabilities({ hybridTransport: 'yes' }).hybridTransport, false, 'a non-boolean is no answer');
  assert.equal(mergeCapabilities({ relatedOrigins: false }).relatedOrigins, false, 'a hand-over would meet a browser without it');
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
  assert.equal(PKC.parseRequestOptionsFromJSON, undefined, 'the parsers are always the browser\'s own');
  assert.throws(() => new (conditional as unknown as new () => unknown)(), TypeError, 'not a constructor');

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

test('installation: a browser without any of them gets Latchkey\'s six (never parse*FromJSON)', async () => {
  const PKC: Record<string, unknown> = {};
  installStaticMethods(PKC);
  assert.equal(await (PKC.isConditionalMediationAvailable as () => Promise<boolean>)(), true);
  assert.deepEqual(await (PKC.getClientCapabilities as () => Promise<unknown>)(), { ...LATCHKEY_CAPABILITIES });
  for (const k of Object.keys(PKC)) assert.equal(typeof PKC[k], 'function', k);
  assert.equal(Object.keys(PKC).length, 6);
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
