import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'tldts';
import { checkRpId, isIpAddress, isServedOrigin } from './checkRpId';

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

test('marks the failures where related origin requests apply (§5.1.3 step 8), and only those', () => {
  const related = (origin: string, rpId: string) => (checkRpId(origin, rpId) as { related?: true }).related === true;
  assert.equal(related('https://example.com', 'evil.com'), true);
  assert.equal(related('https://shop.example.net', 'example.com'), true);
  assert.equal(related('https://example.com', 'sub.example.com'), true);
  assert.equal(related('https://example.co.uk', 'co.uk'), false, 'a public suffix of the origin');
  assert.equal(related('https://example.com', 'Example.com'), false, 'not canonical');
  assert.equal(related('http://example.com', 'example.com'), false, 'not a secure context');
  assert.equal(related('https://127.0.0.1', 'example.com'), false, 'an IP origin');
});

test('refuses IP addresses and insecure origins', () => {
  assert.equal(checkRpId('https://127.0.0.1', undefined).ok, false);
  assert.equal(checkRpId('https://[::1]', undefined).ok, false);
  assert.equal(checkRpId('http://example.com', undefined).ok, false);
  assert.equal(checkRpId('null', undefined).ok, false);
  assert.equal(isServedOrigin('http://a.localhost:1'), true);
  assert.equal(isServedOrigin('http://localhostx:1'), false);
});

test('isIpAddress agrees with tldts on hostnames as the URL parser writes them', () => {
  const hosts = ['https://127.0.0.1', 'https://0x7f.1', 'https://2130706433', 'https://[::1]', 'https://[2001:db8::1]',
    'https://1.2.3.4', 'https://example.com', 'https://a1.b2.c3', 'https://123.example', 'https://xn--nxasmq6b.com',
    'https://localhost', 'https://1a.2b.3c.4d', 'https://0.0.0.0', 'https://[::ffff:1.2.3.4]']
    .map((u) => new URL(u).hostname);
  assert.ok(hosts.includes('127.0.0.1') && hosts.includes('[::1]'), 'the URL parser wrote the canonical forms');
  for (const h of hosts) assert.equal(isIpAddress(h), parse(h).isIp === true || h.startsWith('['), h);
  // A host ending in a number that is not an IPv4 address is no URL at all.
  assert.throws(() => new URL('https://example.123'));
  assert.throws(() => new URL('https://1.2.3.4.5'));
});
