import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerAllows, declaredAllowlist, originOf, type Container } from './containerPolicy';

const A = 'https://a.example';
const B = 'https://b.example';
const C = 'https://c.example';
const frame = (allow: string | null, declaredOrigin = B): Container => ({ allow, parentOrigin: A, declaredOrigin });

test('no allow attribute: the default allowlist \'self\' (same origin as the parent only)', () => {
  assert.equal(containerAllows(frame(null), 'publickey-credentials-get', B), false);
  assert.equal(containerAllows(frame(null, A), 'publickey-credentials-get', A), true);
  assert.equal(containerAllows(frame('camera *'), 'publickey-credentials-create', B), false, 'another feature only');
});

test('* and a bare feature name (\'src\')', () => {
  const both = frame('publickey-credentials-create *; publickey-credentials-get *');
  assert.equal(containerAllows(both, 'publickey-credentials-create', B), true);
  assert.equal(containerAllows(both, 'publickey-credentials-get', C), true);
  const bare = frame('publickey-credentials-get');
  assert.equal(containerAllows(bare, 'publickey-credentials-get', B), true, 'the frame\'s src origin');
  assert.equal(containerAllows(bare, 'publickey-credentials-get', C), false, 'navigated elsewhere');
  assert.equal(containerAllows(bare, 'publickey-credentials-create', B), false, 'get does not grant create');
});

test('origins, \'self\', \'src\', \'none\', case and spacing', () => {
  const listed = frame(`  PublicKey-Credentials-Get\t${B}/path 'SELF' ;publickey-credentials-create 'none'`);
  assert.deepEqual(declaredAllowlist(listed, 'publickey-credentials-get'), [B, A]);
  assert.equal(containerAllows(listed, 'publickey-credentials-get', B), true);
  assert.equal(containerAllows(listed, 'publickey-credentials-get', C), false);
  assert.equal(containerAllows(listed, 'publickey-credentials-create', A), false, "'none' even for the parent's origin");
  assert.equal(containerAllows(frame("publickey-credentials-get 'src'"), 'publickey-credentials-get', B), true);
  assert.equal(containerAllows(frame('publickey-credentials-get not-a-url'), 'publickey-credentials-get', B), false);
});

test('the first directive for a feature wins', () => {
  const twice = frame(`publickey-credentials-get ${C}; publickey-credentials-get *`);
  assert.equal(containerAllows(twice, 'publickey-credentials-get', B), false);
  assert.equal(containerAllows(twice, 'publickey-credentials-get', C), true);
});

test('originOf refuses opaque origins and garbage', () => {
  assert.equal(originOf('https://b.example:8443/x?y'), 'https://b.example:8443');
  assert.equal(originOf('/frame', 'http://a.localhost:9/top'), 'http://a.localhost:9');
  assert.equal(originOf('data:text/html,x'), null);
  assert.equal(originOf('nope'), null);
});
