// readOuterOptions: the outer dictionary of create()/get() as WebIDL converts it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAbortSignal, readOuterOptions } from './outerOptions';

const noop = () => {};

test('each member is read once, in lexicographic order, publicKey converted before the signal is checked', () => {
  const reads: string[] = [];
  const options = new Proxy({ mediation: 'optional', publicKey: { challenge: 1 }, signal: new AbortController().signal }, {
    get(t, k, r) { reads.push(String(k)); return Reflect.get(t, k, r); },
  });
  const r = readOuterOptions(options, () => reads.push('(convert publicKey)'));
  assert.equal(r.to, 'latchkey');
  assert.deepEqual(reads, ['mediation', 'publicKey', '(convert publicKey)', 'signal']);
});

test('no options, no publicKey, or an unknown mediation: the browser decides', () => {
  for (const o of [undefined, null, 5, 'x', {}, { publicKey: undefined }, { mediation: 'bogus', publicKey: {} }]) {
    assert.deepEqual(readOuterOptions(o, noop), { to: 'browser' }, JSON.stringify(o));
    assert.deepEqual(readOuterOptions(o, noop), { to: 'browser' }, JSON.stringify(o));
  }
});

test('conditional create (passkey upgrade) and conditional get (passkey autofill) are both Latchkey\'s', () => {
  const c = readOuterOptions({ mediation: 'conditional', publicKey: {} }, noop);
  assert.equal(c.to === 'latchkey' && c.mediation, 'conditional');
  const r = readOuterOptions({ mediation: 'conditional', publicKey: {} }, noop);
  assert.equal(r.to, 'latchkey');
  assert.equal(r.to === 'latchkey' && r.mediation, 'conditional');
});

test('an unknown mediation goes to the browser before publicKey is read', () => {
  let read = false;
  readOuterOptions({ mediation: 'immediate-ish', get publicKey() { read = true; return {}; } }, noop);
  assert.equal(read, false);
});

test('a signal that is not an AbortSignal is a TypeError; null too', () => {
  assert.throws(() => readOuterOptions({ publicKey: {}, signal: { aborted: true, reason: 'fake' } }, noop), TypeError);
  assert.throws(() => readOuterOptions({ publicKey: {}, signal: null }, noop), TypeError);
  assert.equal(isAbortSignal(AbortSignal.abort()), true);
  assert.equal(isAbortSignal(Object.create(AbortSignal.prototype)), false);
});

test('a conversion error wins over a bad signal; a getter\'s exception propagates', () => {
  const bad = new RangeError('convert');
  assert.throws(() => readOuterOptions({ publicKey: {}, signal: 'x' }, () => { throw bad; }), (e) => e === bad);
  const boom = new Error('boom');
  assert.throws(() => readOuterOptions({ get publicKey() { throw boom; } }, noop), (e) => e === boom);
  assert.throws(() => readOuterOptions({ mediation: Symbol('m'), publicKey: {} }, noop), TypeError);
});
