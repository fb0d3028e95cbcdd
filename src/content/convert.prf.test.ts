// The `extensions.prf` part of convert.ts (§10.1.4), in Node: WebIDL conversion of the inputs (real
// TypeErrors) and the client extension processing checks (NotSupportedError, SyntaxError), run
// after the whole conversion. Kept apart from convert.test.ts, which covers the other members.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { creationOptionsToJSON, requestOptionsToJSON } from './convert';

const base = () => ({
  rp: { name: 'Example' }, user: { id: new Uint8Array([1]), name: 'a', displayName: 'A' },
  challenge: new Uint8Array(16), pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
});
const isDom = (name: string) => (e: unknown) => e instanceof DOMException && e.name === name;
const ID1 = new Uint8Array([0xfb, 0xff, 0x01]); // base64url "-_8B": uses both URL-safe characters
const ID2 = new Uint8Array([7, 7]); // "Bwc"
const getWith = (prf: unknown, allow: Uint8Array[] = [ID1, ID2]) => requestOptionsToJSON({
  challenge: new Uint8Array(8), allowCredentials: allow.map((id) => ({ type: 'public-key', id })), extensions: { prf },
});

test('prf at create: eval values become base64url, any BufferSource; prf: {} stays an empty input', () => {
  const o = creationOptionsToJSON({ ...base(), extensions: { prf: { eval: { first: new Uint8Array([1, 2]).buffer, second: new DataView(new ArrayBuffer(2)) } } } });
  assert.deepEqual(o.extensions, { prf: { eval: { first: 'AQI', second: 'AAA' } } });
  assert.deepEqual(creationOptionsToJSON({ ...base(), extensions: { prf: {} } }).extensions, { prf: {} });
  assert.deepEqual(creationOptionsToJSON({ ...base(), extensions: { prf: { eval: { first: new Uint8Array(0) } } } }).extensions, { prf: { eval: { first: '' } } }, 'inputs of any length');
  assert.deepEqual(creationOptionsToJSON({ ...base(), extensions: { uvm: true, txAuthSimple: 'x' } }).extensions, {}, 'others are ignored');
});

test('prf conversion errors are TypeErrors: missing first, a non-buffer, a non-object record', () => {
  for (const prf of [{ eval: {} }, { eval: { first: 'AQ' } }, { eval: { first: new Uint8Array(1), second: [1] } }, 5, { evalByCredential: 'x' }, { evalByCredential: null }, { evalByCredential: { Bwc: {} } }]) {
    assert.throws(() => getWith(prf), TypeError, JSON.stringify(prf));
  }
  assert.throws(() => creationOptionsToJSON({ ...base(), extensions: { prf: { eval: { first: new Uint8Array(new SharedArrayBuffer(1)) } } } }), TypeError);
  // A Symbol key of the record cannot be a DOMString: TypeError (WebIDL record conversion).
  assert.throws(() => getWith({ evalByCredential: { [Symbol('k')]: { first: new Uint8Array(1) } } }), TypeError);
});

test('a TypeError from conversion comes before the prf DOMExceptions (WebIDL first, then §10.1.4)', () => {
  // evalByCredential at create would be NotSupportedError, but pubKeyCredParams is missing.
  const { pubKeyCredParams: _omit, ...noParams } = base();
  assert.throws(() => creationOptionsToJSON({ ...noParams, extensions: { prf: { evalByCredential: {} } } }), TypeError);
  assert.throws(() => requestOptionsToJSON({ challenge: new Uint8Array(1), extensions: { prf: { evalByCredential: { '!': {} } } } }), TypeError);
});

test('§10.1.4 registration step 1: evalByCredential present at create is NotSupportedError, even empty', () => {
  assert.throws(() => creationOptionsToJSON({ ...base(), extensions: { prf: { evalByCredential: { Zm9v: { first: new Uint8Array(4) } } } } }), isDom('NotSupportedError'));
  assert.throws(() => creationOptionsToJSON({ ...base(), extensions: { prf: { evalByCredential: {} } } }), isDom('NotSupportedError'));
});

test('§10.1.4 authentication step 1: non-empty evalByCredential without allowCredentials is NotSupportedError', () => {
  assert.throws(() => getWith({ evalByCredential: { Bwc: { first: new Uint8Array(1) } } }, []), isDom('NotSupportedError'));
  // Empty evalByCredential without allowCredentials is fine; so is eval alone.
  assert.deepEqual(getWith({ evalByCredential: {} }, []).extensions, { prf: { evalByCredential: {} } });
  assert.deepEqual(getWith({ eval: { first: new Uint8Array([1]) } }, []).extensions, { prf: { eval: { first: 'AQ' } } });
});

test('§10.1.4 authentication step 2: keys must be base64url ids of allowCredentials entries, else SyntaxError', () => {
  const v = { first: new Uint8Array([3]) };
  for (const key of ['', 'Bw', 'Bwc=', '+/8B', 'Bw c', 'B', 'AAAA', '!!!!']) {
    assert.throws(() => getWith({ evalByCredential: { [key]: v } }), isDom('SyntaxError'), `key ${JSON.stringify(key)}`);
  }
  const ok = getWith({ eval: { first: new Uint8Array([1]) }, evalByCredential: { '-_8B': v, Bwc: { first: new Uint8Array([4]), second: new Uint8Array([5]) } } });
  assert.deepEqual(ok.extensions, { prf: { eval: { first: 'AQ' }, evalByCredential: { '-_8B': { first: 'Aw' }, Bwc: { first: 'BA', second: 'BQ' } } } });
  // Compared after decoding: a key with non-zero unused bits names the same id, and is made canonical.
  const loose = getWith({ evalByCredential: { Bwd: v } });
  assert.deepEqual(Object.keys(loose.extensions!.prf!.evalByCredential!), ['Bwc']);
});
