import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalB64url, checkSignal } from './checkSignal';

test('canonicalB64url: same bytes, one spelling; not base64url is null', () => {
  assert.equal(canonicalB64url('AQID'), 'AQID');
  assert.equal(canonicalB64url('AB'), 'AA', 'unused trailing bits ignored, as the page decoded it');
  assert.equal(canonicalB64url(''), '');
  for (const bad of ['A', 'AA==', 'a+b/', ' AA', 'AA\n']) assert.equal(canonicalB64url(bad), null, bad);
});

test('checkSignal: the RP ID must be the origin\'s host or a registrable suffix of it (§5.1.10.1), else SecurityError', () => {
  const s = (rpId: string) => ({ op: 'signalUnknownCredential' as const, options: { rpId, credentialId: 'AB' } });
  assert.deepEqual(checkSignal('https://login.example.com', s('example.com')),
    { ok: true, action: { op: 'signalUnknownCredential', rpId: 'example.com', credentialId: 'AA' } });
  assert.equal(checkSignal('https://login.example.com', s('login.example.com')).ok, true);
  assert.equal(checkSignal('http://localhost:8080', s('localhost')).ok, true);
  for (const [origin, rpId] of [
    ['https://example.com', 'evil.example'], ['https://example.com', 'com'], ['https://example.com', 'sub.example.com'],
    ['https://a.github.io', 'github.io'], ['http://example.com', 'example.com'], ['https://127.0.0.1', '127.0.0.1'],
    ['null', 'example.com'], ['https://example.com', 'EXAMPLE.com'], ['https://example.com', ''],
  ] as const) {
    const r = checkSignal(origin, s(rpId));
    assert.ok(!r.ok && r.result.status === 'error' && r.result.name === 'SecurityError', `${origin} ${rpId}`);
  }
  const none = checkSignal(null, s('example.com'));
  assert.ok(!none.ok && none.result.status === 'error' && none.result.name === 'SecurityError');
});

test('checkSignal: ids canonical for the vault; a message that bypassed the page\'s check is refused', () => {
  const all = checkSignal('https://example.com', { op: 'signalAllAcceptedCredentials', options: { rpId: 'example.com', userId: 'AB', allAcceptedCredentialIds: ['AQID', 'AB'] } });
  assert.deepEqual(all, { ok: true, action: { op: 'signalAllAcceptedCredentials', rpId: 'example.com', userHandle: 'AA', acceptedIds: ['AQID', 'AA'] } });
  const details = checkSignal('https://example.com', { op: 'signalCurrentUserDetails', options: { rpId: 'example.com', userId: 'AQID', name: 'n', displayName: 'd' } });
  assert.deepEqual(details, { ok: true, action: { op: 'signalCurrentUserDetails', rpId: 'example.com', userHandle: 'AQID', name: 'n', displayName: 'd' } });
  const bad = checkSignal('https://example.com', { op: 'signalAllAcceptedCredentials', options: { rpId: 'example.com', userId: 'AQ', allAcceptedCredentialIds: ['A'] } });
  assert.equal(bad.ok, false);
});
