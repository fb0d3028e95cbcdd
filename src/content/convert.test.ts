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
