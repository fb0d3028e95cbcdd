import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkLargeBlobAtCreate, checkLargeBlobAtGet, largeBlobOutput, largeBlobRequired } from './largeBlob';

const isNotSupported = (e: unknown) => e instanceof DOMException && e.name === 'NotSupportedError';
const one = [{ type: 'public-key', id: 'AAAA' }];

test('create(): read or write is NotSupportedError; support alone is fine (§10.1.5 registration step 1)', () => {
  assert.throws(() => checkLargeBlobAtCreate({ read: true }), isNotSupported);
  assert.throws(() => checkLargeBlobAtCreate({ read: false }), isNotSupported);
  assert.throws(() => checkLargeBlobAtCreate({ write: '' }), isNotSupported);
  assert.doesNotThrow(() => checkLargeBlobAtCreate({ support: 'preferred' }));
  assert.doesNotThrow(() => checkLargeBlobAtCreate({}));
  assert.doesNotThrow(() => checkLargeBlobAtCreate(undefined));
});

test('get(): support, read with write, or write without exactly one allowed credential is NotSupportedError', () => {
  assert.throws(() => checkLargeBlobAtGet({ support: 'preferred' }, one), isNotSupported);
  assert.throws(() => checkLargeBlobAtGet({ read: true, write: 'AA' }, one), isNotSupported);
  assert.throws(() => checkLargeBlobAtGet({ write: 'AA' }, []), isNotSupported);
  assert.throws(() => checkLargeBlobAtGet({ write: 'AA' }, [...one, { type: 'public-key', id: 'BBBB' }]), isNotSupported);
  assert.doesNotThrow(() => checkLargeBlobAtGet({ write: 'AA' }, one));
  assert.doesNotThrow(() => checkLargeBlobAtGet({ read: true }, []));
});

test('"required" goes to the browser; outputs say nothing is stored', () => {
  assert.equal(largeBlobRequired({ support: 'required' }), true);
  assert.equal(largeBlobRequired({ support: 'preferred' }), false);
  assert.equal(largeBlobRequired(undefined), false);
  assert.deepEqual(largeBlobOutput('create', { support: 'preferred' }), { supported: false });
  assert.deepEqual(largeBlobOutput('create', {}), { supported: false });
  assert.deepEqual(largeBlobOutput('get', { read: true }), {});
  assert.deepEqual(largeBlobOutput('get', { write: 'AA' }), { written: false });
  assert.equal(largeBlobOutput('get', undefined), undefined);
});
