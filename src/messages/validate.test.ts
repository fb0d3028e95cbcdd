import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageShapeError, parseCStoBG, parseSignalRequest } from './validate';

test('parseSignalRequest: each method\'s members, nothing else kept', () => {
  assert.deepEqual(parseSignalRequest({ op: 'signalUnknownCredential', options: { rpId: 'example.com', credentialId: 'AQID', extra: 1 } }),
    { op: 'signalUnknownCredential', options: { rpId: 'example.com', credentialId: 'AQID' } });
  assert.deepEqual(parseSignalRequest({ op: 'signalAllAcceptedCredentials', options: { rpId: 'example.com', userId: 'AQ', allAcceptedCredentialIds: ['AA', 'Ag'] } }),
    { op: 'signalAllAcceptedCredentials', options: { rpId: 'example.com', userId: 'AQ', allAcceptedCredentialIds: ['AA', 'Ag'] } });
  assert.deepEqual(parseSignalRequest({ op: 'signalCurrentUserDetails', options: { rpId: 'example.com', userId: 'AQ', name: 'n', displayName: 'd' } }),
    { op: 'signalCurrentUserDetails', options: { rpId: 'example.com', userId: 'AQ', name: 'n', displayName: 'd' } });
  assert.deepEqual(parseCStoBG({ kind: 'signal', signal: { op: 'signalUnknownCredential', options: { rpId: 'a', credentialId: '' } } }),
    { kind: 'signal', signal: { op: 'signalUnknownCredential', options: { rpId: 'a', credentialId: '' } } });
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
