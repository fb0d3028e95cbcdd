/**
 * A work account's passkey policy, as an organisation sets it for its users (modelled on Microsoft
 * Entra ID's "Passkey (FIDO2)" policy): two switches an administrator sets for the whole site.
 *
 * - enforceAttestation: only passkeys whose provider proves its make and model with an attestation
 *   statement are accepted. The site then asks for attestation "direct"; a response with the "none"
 *   format (WebAuthn L3 §8.7) is refused. (Entra also checks the statement against the FIDO Metadata
 *   Service; here any statement that verifies counts.)
 * - keyRestrictions: allow only the listed AAGUIDs (§6.5.1: the authenticator model's identifier),
 *   or block the listed ones.
 *
 * The judgement is pure: the server calls it after @simplewebauthn/server verified the response,
 * and refuses the passkey with the message it returns (the site shows it; the authenticator did
 * nothing wrong).
 */
export interface PasskeyPolicy {
  enforceAttestation?: boolean;
  keyRestrictions?: { behavior: 'allow' | 'block'; aaguids: readonly string[] };
}

/** Attestation the site asks for under this policy (§5.4.7 AttestationConveyancePreference). */
export function attestationFor(policy: PasskeyPolicy): 'none' | 'direct' {
  return policy.enforceAttestation ? 'direct' : 'none';
}

/** null when the passkey is allowed, else the site's message to the person. */
export function judgePasskey(policy: PasskeyPolicy, p: { aaguid: string; fmt: string }): string | null {
  const aaguid = p.aaguid.toLowerCase();
  if (policy.enforceAttestation && p.fmt === 'none') {
    return 'Your organisation only allows passkeys whose provider proves its make and model (attestation). '
      + 'This passkey came without that proof, so it was not added. Ask your administrator which passkey providers are allowed.';
  }
  const r = policy.keyRestrictions;
  if (r) {
    const listed = r.aaguids.some((a) => a.toLowerCase() === aaguid);
    if (r.behavior === 'allow' ? !listed : listed) {
      return `Your organisation's passkey policy does not allow this passkey provider (AAGUID ${aaguid}), so it was not added. `
        + 'Ask your administrator which passkey providers are allowed.';
    }
  }
  return null;
}

/**
 * The policy from the environment (e2e/demo-rp/main.ts): ENFORCE_ATTESTATION=1; ALLOWED_AAGUIDS or
 * BLOCKED_AAGUIDS, comma-separated (ALLOWED wins when both are given).
 */
export function policyFromEnv(env: Record<string, string | undefined>): PasskeyPolicy {
  const list = (v: string | undefined) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const allowed = list(env['ALLOWED_AAGUIDS']);
  const blocked = list(env['BLOCKED_AAGUIDS']);
  return {
    enforceAttestation: env['ENFORCE_ATTESTATION'] === '1',
    ...(allowed.length ? { keyRestrictions: { behavior: 'allow' as const, aaguids: allowed } }
      : blocked.length ? { keyRestrictions: { behavior: 'block' as const, aaguids: blocked } } : {}),
  };
}
