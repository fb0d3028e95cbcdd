import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageShapeError, parseCStoBG, parseContainerAnswer, parseFrameFacts, parseSignalRequest } from './validate';

test('parseSignalRequest: each method\'s members, nothing else kept', () => {
  assert.deepEqual(parseSignalRequest({ op: 'signalUnknownCredential', options: { rpId: 'example.com', credentialId: 'AQID', extra: 1 } }),
    { op: 'signalUnknownCredential', options: { rpId: 'example.com', credentialId: 'AQID' } });
  assert.deepEqual(parseSignalRequest({ op: 'signalAllAcceptedCredentials', options: { rpId: 'example.com', userId: 'AQ', allAcceptedCredentialIds: ['AA', 'Ag'] } }),
    { op: 'signalAllAcceptedCredentials', options: { rpId: 'example.com', userId: 'AQ', allAcceptedCredentialIds: ['AA', 'Ag'] } });
  assert.deepEqual(parseSignalRequest({ op: 'signalCurrentUserDetails', options: { rpId: 'example.com', userId: 'AQ', name: 'n', displayName: 'd' } }),
    { op: 'signalCurrentUserDetails', options: { rpId: 'example.com', userId: 'AQ', name: 'n', displayName: 'd' } });
  assert.deepEqual(parseCStoBG({ kind: 'signal', signal: { op: 'signalUnknownCredential', options: { rpId: 'a', credentialId: '' } }, origin: 'https://a' }),
    { kind: 'signal', signal: { op: 'signalUnknownCredential', options: { rpId: 'a', credentialId: '' } }, origin: 'https://a' });
  assert.throws(() => parseCStoBG({ kind: 'signal', signal: { op: 'signalUnknownCredential', options: { rpId: 'a', credentialId: '' } } }), /origin/);
});

test('parseSignalRequest: a hostile page\'s shapes are refused', () => {
  const bad = [
    null, {}, { op: 'signalUnknownCredential' }, { op: 'delete', options: { rpId: 'a' } },
    { op: 'signalUnknownCredential', options: { rpId: 'a', credentialId: 'a+b' } },
    { op: 'signalUnknownCredential', options: { rpId: 5, credentialId: 'AA' } },
    { op: 'signalAllAcceptedCredentials', options: { rpId: 'a', userId: 'AQ', allAcceptedCredentialIds: 'AA' } },
    { op: 'signalAllAcceptedCredentials', options: { rpId: 'a', userId: 'AQ', allAcceptedCredentialIds: ['AA', {}] } },
    { op: 'signalAllAcceptedCredentials', options: { rpId: 'a', userId: 'AQ', allAcceptedCredentialIds: Array(10_001).fill('AA') } },
    { op: 'signalCurrentUserDetails', options: { rpId: 'a', userId: 'AQ', name: 'n' } },
    { op: 'signalCurrentUserDetails', options: { rpId: 'a', userId: 'AQ', name: 'x'.repeat(64 * 1024 + 1), displayName: 'd' } },
  ];
  for (const v of bad) assert.throws(() => parseSignalRequest(v), MessageShapeError, JSON.stringify(v)?.slice(0, 80));
});

const facts = { origin: 'https://b.example', ancestorOrigins: ['https://a.example'], policy: { create: true, get: false }, parentFrameId: null, activation: true };
const request = { op: 'get', options: { challenge: 'AAAA' } };

test('a request carries the frame facts, checked member by member', () => {
  assert.deepEqual(parseCStoBG({ kind: 'request', request, facts }).kind, 'request');
  assert.deepEqual(parseFrameFacts({ ...facts, policy: { create: null, get: true } }).policy, { create: null, get: true });
  assert.deepEqual(parseFrameFacts({ ...facts, ancestorOrigins: null, policy: null, parentFrameId: 7, extra: 1 }),
    { ...facts, ancestorOrigins: null, policy: null, parentFrameId: 7 });
  for (const bad of [
    undefined, { ...facts, origin: 1 }, { ...facts, ancestorOrigins: 'a' }, { ...facts, ancestorOrigins: [1] },
    { ...facts, policy: { create: 'yes', get: true } }, { ...facts, parentFrameId: -1 }, { ...facts, parentFrameId: 1.5 },
    { ...facts, activation: 1 }, { ...facts, ancestorOrigins: Array(65).fill('x') },
  ]) {
    assert.throws(() => parseCStoBG({ kind: 'request', request, facts: bad }), MessageShapeError, JSON.stringify(bad));
  }
});

test('a parent frame\'s answer about its container', () => {
  const answer = { origin: 'https://a.example', parentFrameId: null, container: { allow: null, declaredOrigin: 'https://b.example' } };
  assert.deepEqual(parseContainerAnswer(answer), answer);
  assert.deepEqual(parseContainerAnswer({ ...answer, container: null }), { ...answer, container: null });
  assert.throws(() => parseContainerAnswer({ ...answer, container: { allow: 3, declaredOrigin: 'x' } }), MessageShapeError);
  assert.throws(() => parseContainerAnswer(undefined), MessageShapeError);
});
