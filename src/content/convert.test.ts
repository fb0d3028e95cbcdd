// convert.ts runs in the page; these check its WebIDL conversions in Node, whose realms (vm
// contexts) stand in for iframes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import vm from 'node:vm';
import { bufferSourceBytes, creationOptionsToJSON, requestOptionsToJSON } from './convert';

test('BufferSource: ArrayBuffer and any view are copied; from another realm too', () => {
  const other = vm.runInNewContext('({ buf: new ArrayBuffer(3), view: new DataView(new ArrayBuffer(4), 1, 2) })') as { buf: ArrayBuffer; view: DataView };
  assert.deepEqual(bufferSourceBytes(new Uint8Array([1, 2, 3]).buffer, 'x'), new Uint8Array([1, 2, 3]));
  assert.deepEqual(bufferSourceBytes(new Uint16Array([0x0201]), 'x'), new Uint8Array([1, 2]));
  assert.deepEqual(bufferSourceBytes(other.buf, 'x'), new Uint8Array(3));
  assert.deepEqual(bufferSourceBytes(other.view, 'x'), new Uint8Array(2));
  const source = new Uint8Array([9]);
  const copy = bufferSourceBytes(source, 'x');
  source[0] = 0;
  assert.equal(copy[0], 9, 'a copy, not a view');
});

test('BufferSource: SharedArrayBuffer and non-buffers are a TypeError', () => {
  assert.throws(() => bufferSourceBytes(new SharedArrayBuffer(4), 'challenge'), TypeError);
  assert.throws(() => bufferSourceBytes(new Uint8Array(new SharedArrayBuffer(4)), 'challenge'), TypeError);
  assert.throws(() => bufferSourceBytes('abc', 'challenge'), /challenge/);
  assert.throws(() => bufferSourceBytes({ byteLength: 3 }, 'challenge'), TypeError);
});

test('BufferSource: a detached buffer, or a view on one, is the empty byte sequence (WebIDL get a copy)', () => {
  const buf = new ArrayBuffer(8);
  const view = new Uint8Array(buf, 2, 4);
  structuredClone(buf, { transfer: [buf] });
  assert.deepEqual(bufferSourceBytes(buf, 'challenge'), new Uint8Array(0));
  assert.deepEqual(bufferSourceBytes(view, 'challenge'), new Uint8Array(0));
  assert.deepEqual(bufferSourceBytes(new ArrayBuffer(0), 'challenge'), new Uint8Array(0));
});

test('BufferSource: a resizable ArrayBuffer, or a view on one, is a TypeError (no [AllowResizable])', () => {
  const Resizable = ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer;
  const resizable = new Resizable(8, { maxByteLength: 16 });
  assert.throws(() => bufferSourceBytes(resizable, 'challenge'), TypeError);
  assert.throws(() => bufferSourceBytes(new DataView(resizable), 'challenge'), TypeError);
  const other = vm.runInNewContext('new ArrayBuffer(4, { maxByteLength: 8 })') as ArrayBuffer;
  assert.throws(() => bufferSourceBytes(other, 'challenge'), TypeError);
  assert.deepEqual(bufferSourceBytes(new Uint8Array(new ArrayBuffer(4), 1, 2), 'x'), new Uint8Array(2), 'fixed-length views still work');
});

const base = () => ({
  rp: { name: 'Example' }, user: { id: new Uint8Array([1]), name: 'a', displayName: 'A' },
  challenge: new Uint8Array(16), pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
});

test('creation options: required members and user.id length (§5.1.3 step 5)', () => {
  const json = creationOptionsToJSON(base());
  assert.equal(json.user.id, 'AQ');
  assert.deepEqual(json.pubKeyCredParams, [{ type: 'public-key', alg: -7 }]);
  for (const drop of ['rp', 'user', 'challenge', 'pubKeyCredParams'] as const) {
    const o: Record<string, unknown> = base();
    delete o[drop];
    assert.throws(() => creationOptionsToJSON(o), TypeError, drop);
  }
  assert.throws(() => creationOptionsToJSON({ ...base(), user: { id: new Uint8Array(0), name: 'a', displayName: 'A' } }), /between 1 and 64/);
  assert.throws(() => creationOptionsToJSON({ ...base(), user: { id: new Uint8Array(65), name: 'a', displayName: 'A' } }), /between 1 and 64/);
});

test('request options: defaults and allowCredentials', () => {
  const json = requestOptionsToJSON({ challenge: new Uint8Array([1, 2]), allowCredentials: [{ type: 'public-key', id: new Uint8Array([3]) }] });
  assert.deepEqual(json, { challenge: 'AQI', userVerification: 'preferred', allowCredentials: [{ type: 'public-key', id: 'Aw' }] });
  assert.throws(() => requestOptionsToJSON({}), TypeError);
});

test('every member is read once, in lexicographic order, nested dictionaries when their member is reached', () => {
  const reads: string[] = [];
  const traced = <T extends object>(name: string, o: T): T => new Proxy(o, {
    get(t, k, r) { if (typeof k === 'string' && k in t) reads.push(`${name}${k}`); return Reflect.get(t, k, r); },
  });
  creationOptionsToJSON(traced('', {
    attestation: 'none',
    authenticatorSelection: traced('sel.', { authenticatorAttachment: 'platform', requireResidentKey: false, residentKey: 'required', userVerification: 'required' }),
    challenge: new Uint8Array(16), excludeCredentials: [traced('ex.', { id: new Uint8Array(1), transports: ['usb'], type: 'public-key' })],
    hints: [], pubKeyCredParams: [traced('p.', { alg: -7, type: 'public-key' })],
    rp: traced('rp.', { id: 'example.com', name: 'E' }), timeout: 1,
    user: traced('user.', { displayName: 'A', id: new Uint8Array(1), name: 'a' }),
  }));
  assert.deepEqual(reads, ['attestation', 'authenticatorSelection', 'sel.authenticatorAttachment', 'sel.requireResidentKey', 'sel.residentKey',
    'sel.userVerification', 'challenge', 'excludeCredentials', 'ex.id', 'ex.transports', 'ex.type', 'hints', 'pubKeyCredParams', 'p.alg', 'p.type',
    'rp', 'rp.id', 'rp.name', 'timeout', 'user', 'user.displayName', 'user.id', 'user.name']);
  reads.length = 0;
  requestOptionsToJSON(traced('', { allowCredentials: [], challenge: new Uint8Array(16), hints: [], rpId: 'example.com', timeout: 1, userVerification: 'required' }));
  assert.deepEqual(reads, ['allowCredentials', 'challenge', 'hints', 'rpId', 'timeout', 'userVerification']);
});
