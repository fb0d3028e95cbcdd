import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseAlgorithm } from './chooseAlgorithm';

const pk = (alg: number) => ({ type: 'public-key', alg });

test('an empty list means the defaults ES256, RS256: ES256 (§5.1.3 step 10)', () => {
  assert.equal(chooseAlgorithm([]), -7);
});

test('the first supported entry wins, in the order the site lists them (§6.3.2 step 2)', () => {
  assert.equal(chooseAlgorithm([pk(-7), pk(-8)]), -7);
  assert.equal(chooseAlgorithm([pk(-8), pk(-7)]), -8);
  assert.equal(chooseAlgorithm([pk(-8)]), -8);
  assert.equal(chooseAlgorithm([pk(-7)]), -7);
  // @simplewebauthn/server's default list: EdDSA, ES256, RS256.
  assert.equal(chooseAlgorithm([pk(-8), pk(-7), pk(-257)]), -8);
  // Unsupported ones before are skipped.
  assert.equal(chooseAlgorithm([pk(-257), pk(-35), pk(-7), pk(-8)]), -7);
  assert.equal(chooseAlgorithm([pk(-257), pk(-8), pk(-7)]), -8);
  // The same entry twice changes nothing.
  assert.equal(chooseAlgorithm([pk(-8), pk(-8), pk(-7)]), -8);
});

test('type must be "public-key"', () => {
  assert.equal(chooseAlgorithm([{ type: 'other', alg: -8 }, pk(-7)]), -7);
  assert.equal(chooseAlgorithm([{ type: 'Public-Key', alg: -7 }]), null);
  assert.equal(chooseAlgorithm([{ type: 'other', alg: -7 }, { type: 'other', alg: -8 }]), null);
});

test('null when nothing in a non-empty list is supported (the request goes to the browser)', () => {
  assert.equal(chooseAlgorithm([pk(-257)]), null);
  assert.equal(chooseAlgorithm([pk(-35), pk(-36), pk(-37), pk(-19), pk(-9)]), null);
  assert.equal(chooseAlgorithm([pk(7), pk(8), pk(0)]), null);
});
