// The trusted client steps of the WebAuthn L3 signal methods (§5.1.10), run in the background with
// the caller's origin from the port's sender: base64url once more (the page is hostile), ids made
// canonical as the vault stores them, and the RP ID against the origin (§5.1.10.1). Pure, so it is
// tested in Node; src/background/signals.ts acts on the result.
import { checkRpId } from './checkRpId';
import { toBase64url } from '../core/base64url';
import type { CeremonyResult, SignalRequest } from '../messages/protocol';

/** 'A'..'Z' 'a'..'z' '0'..'9' '-' '_' -> 0..63; anything else -> -1. */
function sextet(c: number): number {
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 97 && c <= 122) return c - 71;
  if (c >= 48 && c <= 57) return c + 4;
  return c === 45 ? 62 : c === 95 ? 63 : -1;
}

/**
 * The canonical base64url of what `s` decodes to, or null when it is not base64url at all.
 * Accepts what main-world's isBase64url does (the page's TypeError check): unused trailing bits are
 * ignored there, so "AB" and "AA" name the same byte; the vault stores canonical ids, so matching
 * is on the canonical form.
 */
export function canonicalB64url(s: string): string | null {
  if (s.length % 4 === 1) return null;
  const out = new Uint8Array((s.length * 3) >> 2);
  let acc = 0, bits = 0, j = 0;
  for (let i = 0; i < s.length; i++) {
    const v = sextet(s.charCodeAt(i));
    if (v < 0) return null;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) { bits -= 8; out[j++] = (acc >> bits) & 0xff; }
  }
  return toBase64url(out);
}

/** What a signal does to Latchkey's passkeys (the spec's "authenticator actions"), canonical ids. */
export type SignalAction =
  | { op: 'signalUnknownCredential'; rpId: string; credentialId: string }
  | { op: 'signalAllAcceptedCredentials'; rpId: string; userHandle: string; acceptedIds: string[] }
  | { op: 'signalCurrentUserDetails'; rpId: string; userHandle: string; name: string; displayName: string };

/**
 * The client's steps before the authenticator actions, in order: base64url of every id (TypeError,
 * §5.1.10.2 step 1 / §5.1.10.3 steps 1-2 / §5.1.10.4 step 1; main-world already refused these, so
 * only a page that bypassed it gets here), then the asynchronous RP ID validation (§5.1.10.1:
 * "rpId is a registrable domain suffix of or is equal to effectiveDomain", else SecurityError;
 * Latchkey has no related origin requests, step 3).
 */
export function checkSignal(origin: string | null, s: SignalRequest):
  { ok: true; action: SignalAction } | { ok: false; result: CeremonyResult } {
  // Not the page's TypeError (that was main-world's to throw): a failure the page side resolves
  // with undefined like any other, so a page that bypassed main-world learns nothing either.
  const typeErr = { ok: false as const, result: { status: 'error' as const, name: 'NotAllowedError' as const, message: 'The options are not valid base64url.' } };
  let action: SignalAction;
  switch (s.op) {
    case 'signalUnknownCredential': {
      const credentialId = canonicalB64url(s.options.credentialId);
      if (credentialId === null) return typeErr;
      action = { op: s.op, rpId: s.options.rpId, credentialId };
      break;
    }
    case 'signalAllAcceptedCredentials': {
      const userHandle = canonicalB64url(s.options.userId);
      const acceptedIds = s.options.allAcceptedCredentialIds.map(canonicalB64url);
      if (userHandle === null || acceptedIds.includes(null)) return typeErr;
      action = { op: s.op, rpId: s.options.rpId, userHandle, acceptedIds: acceptedIds as string[] };
      break;
    }
    case 'signalCurrentUserDetails': {
      const userHandle = canonicalB64url(s.options.userId);
      if (userHandle === null) return typeErr;
      action = { op: s.op, rpId: s.options.rpId, userHandle, name: s.options.name, displayName: s.options.displayName };
      break;
    }
  }
  // §5.1.10.1 step 1: an opaque or non-domain origin (a sandboxed frame, an IP address) fails here too.
  const rp = origin === null ? { ok: false as const, reason: 'The caller has no origin Latchkey can check.' } : checkRpId(origin, action.rpId);
  if (!rp.ok) return { ok: false, result: { status: 'error', name: 'SecurityError', message: rp.reason } };
  return { ok: true, action };
}
