import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attestationFor, judgePasskey, policyFromEnv } from './policy';

const LATCHKEY = '2332c610-74c5-48a4-a987-96300ef7cd89';
const YUBIKEY_5 = 'cb69481e-8ff7-4039-93ec-0a2729a154a8';

test('no policy: every passkey', () => {
  assert.equal(judgePasskey({}, { aaguid: LATCHKEY, fmt: 'none' }), null);
  assert.equal(attestationFor({}), 'none');
});

test('allow list: a listed AAGUID (any case) passes, another is refused with the site\'s message', () => {
  const policy = { keyRestrictions: { behavior: 'allow' as const, aaguids: [LATCHKEY.toUpperCase(), YUBIKEY_5] } };
  assert.equal(judgePasskey(policy, { aaguid: LATCHKEY, fmt: 'none' }), null);
  assert.match(judgePasskey({ keyRestrictions: { behavior: 'allow', aaguids: [YUBIKEY_5] } }, { aaguid: LATCHKEY, fmt: 'none' }) ?? '', /does not allow this passkey provider \(AAGUID 2332c610/);
});

test('block list: a listed AAGUID is refused, others pass', () => {
  const policy = { keyRestrictions: { behavior: 'block' as const, aaguids: [LATCHKEY] } };
  assert.notEqual(judgePasskey(policy, { aaguid: LATCHKEY, fmt: 'none' }), null);
  assert.equal(judgePasskey(policy, { aaguid: YUBIKEY_5, fmt: 'packed' }), null);
});

test('enforced attestation asks for "direct" and refuses the "none" format, even for a listed AAGUID', () => {
  const policy = { enforceAttestation: true, keyRestrictions: { behavior: 'allow' as const, aaguids: [LATCHKEY] } };
  assert.equal(attestationFor(policy), 'direct');
  assert.match(judgePasskey(policy, { aaguid: LATCHKEY, fmt: 'none' }) ?? '', /attestation/);
  assert.equal(judgePasskey({ enforceAttestation: true }, { aaguid: YUBIKEY_5, fmt: 'packed' }), null);
});

test('the policy from the environment (main.ts)', () => {
  assert.deepEqual(policyFromEnv({}), { enforceAttestation: false });
  assert.deepEqual(policyFromEnv({ ENFORCE_ATTESTATION: '1', ALLOWED_AAGUIDS: ` ${LATCHKEY}, ${YUBIKEY_5}` }),
    { enforceAttestation: true, keyRestrictions: { behavior: 'allow', aaguids: [LATCHKEY, YUBIKEY_5] } });
  assert.deepEqual(policyFromEnv({ BLOCKED_AAGUIDS: LATCHKEY }), { enforceAttestation: false, keyRestrictions: { behavior: 'block', aaguids: [LATCHKEY] } });
});
