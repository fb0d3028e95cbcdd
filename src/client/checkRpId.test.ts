import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkRpId, isServedOrigin } from './checkRpId';

test('defaults to the effective domain', () => {
  assert.deepEqual(checkRpId('https://login.example.com', undefined), { ok: true, rpId: 'login.example.com' });
  assert.deepEqual(checkRpId('http://localhost:8080', undefined), { ok: true, rpId: 'localhost' });
});

test('accepts the host itself and registrable suffixes', () => {
  assert.equal(checkRpId('https://login.example.com', 'example.com').ok, true);
  assert.equal(checkRpId('https://a.b.example.co.uk', 'b.example.co.uk').ok, true);
  assert.equal(checkRpId('http://app.localhost:3000', 'localhost').ok, true);
  assert.equal(checkRpId('http://app.localhost:3000', 'app.localhost').ok, true);
});

test('refuses public suffixes, including the private section of the list', () => {
  assert.equal(checkRpId('https://example.co.uk', 'co.uk').ok, false);
  assert.equal(checkRpId('https://foo.github.io', 'github.io').ok, false);
  assert.equal(checkRpId('https://example.com', 'com').ok, false);
});

test('refuses suffixes that are not dot-bounded, and unrelated domains', () => {
  assert.equal(checkRpId('https://notexample.com', 'example.com').ok, false);
  assert.equal(checkRpId('https://example.com', 'evil.com').ok, false);
  assert.equal(checkRpId('https://example.com', 'sub.example.com').ok, false);
});

test('refuses IP addresses and insecure origins', () => {
  assert.equal(checkRpId('https://127.0.0.1', undefined).ok, false);
  assert.equal(checkRpId('https://[::1]', undefined).ok, false);
  assert.equal(checkRpId('http://example.com', undefined).ok, false);
  assert.equal(checkRpId('null', undefined).ok, false);
  assert.equal(isServedOrigin('http://a.localhost:1'), true);
  assert.equal(isServedOrigin('http://localhostx:1'), false);
});
