// The JSON-compatible serialization of client data, WebAuthn L3 §5.8.1.1 "Serialization"
// (https://w3c.github.io/webauthn/#clientdatajson-serialization). Its fixed member order and
// escaping are what the §5.8.1.2 "Limited Verification Algorithm" expects, and the output is also
// valid JSON for RPs that parse it.
import { fromBase64url } from './base64url.js';

/**
 * The CollectedClientData members Latchkey emits (§5.8.1). `topOrigin` is written only when
 * `crossOrigin` is true: §5.8.1 says it "is set only if … crossOrigin is true", so a topOrigin
 * passed with crossOrigin false is ignored.
 */
export interface CollectedClientDataInput {
  type: 'webauthn.create' | 'webauthn.get';
  /** base64url (no padding) of the RP's challenge bytes */
  challenge: string;
  origin: string;
  crossOrigin?: boolean;
  topOrigin?: string;
}

/** §5.8.1.1 serialization of CollectedClientData, as a string (its UTF-8 bytes are clientDataJSON). */
export function serializeClientData(cd: CollectedClientDataInput): string {
  const { type, challenge, origin, crossOrigin = false, topOrigin } = cd;
  if (type !== 'webauthn.create' && type !== 'webauthn.get') throw new TypeError(`"type" invalid: ${String(type)}`);
  if (typeof challenge !== 'string') throw new TypeError('"challenge" expected string');
  fromBase64url(challenge); // throws TypeError unless canonical unpadded base64url
  if (typeof origin !== 'string' || origin === '') throw new TypeError('"origin" expected non-empty string');
  if (typeof crossOrigin !== 'boolean') throw new TypeError('"crossOrigin" expected boolean');
  if (topOrigin !== undefined && typeof topOrigin !== 'string') throw new TypeError('"topOrigin" expected string');

  // Steps 1–9: {"type":…,"challenge":…,"origin":…,"crossOrigin":true|false
  let result = `{"type":${ccdToString(type)},"challenge":${ccdToString(challenge)}`;
  result += `,"origin":${ccdToString(origin)},"crossOrigin":${crossOrigin ? 'true' : 'false'}`;
  // Step 10: ,"topOrigin":… (see CollectedClientDataInput for why only when crossOrigin).
  if (crossOrigin && topOrigin !== undefined) result += `,"topOrigin":${ccdToString(topOrigin)}`;
  // Steps 11–12: no other members remain, so append "}".
  return result + '}';
}

/** §5.8.1.1 CCDToString: a JSON string literal with the spec's exact escaping. */
function ccdToString(s: string): string {
  let encoded = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      // A lone surrogate has no UTF-8 encoding, so the spec's "append the UTF-8 encoding" can't apply.
      throw new TypeError('client data string contains a lone surrogate');
    }
    if (cp === 0x22) encoded += '\\"'; // U+0022 → \"
    else if (cp === 0x5c) encoded += '\\\\'; // U+005C → \\
    else if (cp < 0x20) encoded += '\\u' + cp.toString(16).padStart(4, '0'); // "four, lower-case hex digits"
    else encoded += ch; // U+0020, U+0021, U+0023–U+005B, U+005D–U+10FFFF as themselves
  }
  return encoded + '"';
}
