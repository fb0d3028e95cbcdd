// The background's re-check of prf inputs (validate.ts): a page that bypasses main-world cannot
// make the background evaluate inputs main-world would have refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MessageShapeError, parseCreationOptions, parseRequestOptions } from './validate';

const create = (extensions: unknown) => ({
  rp: { name: 'x' }, user: { id: 'AQ', name: 'u', displayName: 'U' }, challenge: 'AA', pubKeyCredParams: [{ type: 'public-key', alg: -7 }], extensions,
});
const get = (extensions: unknown, allow = ['Bwc', '-_8B']) => ({ challenge: 'AA', allowCredentials: allow.map((id) => ({ type: 'public-key', id })), extensions });

test('prf inputs that main-world writes pass; unknown extensions are dropped', () => {
  assert.deepEqual(parseCreationOptions(create({ prf: { eval: { first: 'AQ', second: '' } }, credProps: true, foo: 1 })).extensions,
    { credProps: true, prf: { eval: { first: 'AQ', second: '' } } });
  assert.deepEqual(parseRequestOptions(get({ prf: { eval: { first: 'AQ' }, evalByCredential: { Bwc: { first: 'Ag' } } } })).extensions,
    { prf: { eval: { first: 'AQ' }, evalByCredential: { Bwc: { first: 'Ag' } } } });
  assert.deepEqual(parseRequestOptions(get({ prf: {} }, [])).extensions, { prf: {} });
});

test('prf inputs main-world would have refused are refused', () => {
  const bad: Array<[string, () => unknown]> = [
    ['evalByCredential at create', () => parseCreationOptions(create({ prf: { evalByCredential: {} } }))],
    ['a key outside allowCredentials', () => parseRequestOptions(get({ prf: { evalByCredential: { AQ: { first: 'AQ' } } } }))],
    ['a key with no allowCredentials', () => parseRequestOptions(get({ prf: { evalByCredential: { Bwc: { first: 'AQ' } } } }, []))],
    ['a non-canonical key', () => parseRequestOptions(get({ prf: { evalByCredential: { Bwd: { first: 'AQ' } } } }, ['Bwc', 'Bwd']))],
    ['an empty key', () => parseRequestOptions(get({ prf: { evalByCredential: { '': { first: 'AQ' } } } }, ['']))],
    ['a missing first', () => parseRequestOptions(get({ prf: { eval: {} } }))],
    ['a padded value', () => parseRequestOptions(get({ prf: { eval: { first: 'AQ==' } } }))],
    ['non-canonical value', () => parseRequestOptions(get({ prf: { eval: { first: 'AR' } } }))],
    ['a value too long', () => parseRequestOptions(get({ prf: { eval: { first: 'A'.repeat(64 * 1024 + 4) } } }))],
    ['prf not an object', () => parseRequestOptions(get({ prf: true }))],
  ];
  for (const [what, f] of bad) assert.throws(f, MessageShapeError, what);
});
