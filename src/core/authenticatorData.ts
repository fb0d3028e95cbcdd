// Authenticator data, WebAuthn L3 §6.1 (https://w3c.github.io/webauthn/#sctn-authenticator-data):
//   rpIdHash (32) ‖ flags (1) ‖ signCount (4, big-endian) ‖ [attestedCredentialData] ‖ [extensions]
// with attested credential data as in §6.5.1:
//   aaguid (16) ‖ credentialIdLength (2, big-endian) ‖ credentialId ‖ credentialPublicKey (COSE_Key)
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8 } from './bytes.js';
import { decodeFirstCBOR, encodeCBOR } from './cbor.js';

// §6.1 flags, bit 0 is the least significant bit. Bits 1 and 5 are RFU and always written as 0.
const UP = 0x01; // bit 0: User Present
const UV = 0x04; // bit 2: User Verified
const BE = 0x08; // bit 3: Backup Eligibility
const BS = 0x10; // bit 4: Backup State
const AT = 0x40; // bit 6: Attested credential data included
const ED = 0x80; // bit 7: Extension data included

/** §6.5.1: credentialIdLength "Value MUST be ≤ 1023". */
const MAX_CREDENTIAL_ID_LENGTH = 1023;

export interface AttestedCredentialData {
  aaguid: Uint8Array;
  credentialId: Uint8Array;
  /** COSE_Key bytes (CTAP2 canonical CBOR), e.g. from encodeCoseKeyES256 */
  cosePublicKey: Uint8Array;
}

export interface ParsedAuthenticatorData {
  rpIdHash: Uint8Array;
  flags: { up: boolean; uv: boolean; be: boolean; bs: boolean; at: boolean; ed: boolean };
  signCount: number;
  attestedCredentialData?: AttestedCredentialData;
  extensions?: Map<string, unknown>;
}

/** SHA-256 of an RP ID; the last few are kept (a site signs in again and again). Copied out by the caller. */
const rpIdHashes = new Map<string, Uint8Array>();
function rpIdHash(rpId: string): Uint8Array {
  let h = rpIdHashes.get(rpId);
  if (!h) {
    h = sha256(utf8(rpId));
    if (rpIdHashes.size >= 32) rpIdHashes.delete(rpIdHashes.keys().next().value!);
    rpIdHashes.set(rpId, h);
  }
  return h;
}

/**
 * "Perform the following steps to generate an authenticator data structure" (§6.1).
 * AT is set exactly when attestedCredentialData is given (attestation signatures), ED exactly when
 * extensions is a non-empty Map. Throws on BS without BE (§6.1.3: "This combination is not allowed").
 */
export async function buildAuthenticatorData(o: {
  rpId: string;
  flags: { up: boolean; uv: boolean; be: boolean; bs: boolean };
  signCount: number;
  attestedCredentialData?: AttestedCredentialData;
  extensions?: Map<string, unknown>;
}): Promise<Uint8Array<ArrayBuffer>> {
  const { rpId, flags, signCount, attestedCredentialData, extensions } = o;
  if (typeof rpId !== 'string' || rpId === '') throw new TypeError('"rpId" expected non-empty string');
  for (const name of ['up', 'uv', 'be', 'bs'] as const) {
    if (typeof flags?.[name] !== 'boolean') throw new TypeError(`"flags.${name}" expected boolean`);
  }
  if (flags.bs && !flags.be) throw new RangeError('"flags.bs" set without "flags.be" (§6.1.3: not allowed)');
  if (!Number.isInteger(signCount) || signCount < 0 || signCount > 0xffffffff) {
    throw new RangeError(`"signCount" expected a 32-bit unsigned integer, got ${signCount}`);
  }
  const hasExtensions = extensions !== undefined && checkExtensions(extensions).size > 0;

  const header = new Uint8Array(37);
  header.set(rpIdHash(rpId), 0); // rpIdHash: SHA-256 of the RP ID
  header[32] =
    (flags.up ? UP : 0) |
    (flags.uv ? UV : 0) |
    (flags.be ? BE : 0) |
    (flags.bs ? BS : 0) |
    (attestedCredentialData ? AT : 0) |
    (hasExtensions ? ED : 0);
  new DataView(header.buffer).setUint32(33, signCount); // big-endian

  if (!attestedCredentialData && !hasExtensions) return header; // an assertion's usual 37 bytes
  return concatBytes(
    header,
    attestedCredentialData ? encodeAttestedCredentialData(attestedCredentialData) : new Uint8Array(0),
    hasExtensions ? encodeCBOR(extensions) : new Uint8Array(0),
  );
}

/**
 * Parse authenticator data (§6.1), refusing anything malformed: fewer than 37 bytes, truncated
 * attested credential data, a credential ID over 1023 bytes, a public key or extensions that are
 * not a CBOR map, BS without BE, or bytes left over after the last part the flags announce.
 * RFU bits are ignored.
 */
export function parseAuthenticatorData(bytes: Uint8Array): ParsedAuthenticatorData {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('"bytes" expected Uint8Array');
  if (bytes.length < 37) {
    throw new Error(`Authenticator data was ${bytes.length} bytes, expected at least 37 bytes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const flagsByte = bytes[32]!;
  const flags = {
    up: !!(flagsByte & UP),
    uv: !!(flagsByte & UV),
    be: !!(flagsByte & BE),
    bs: !!(flagsByte & BS),
    at: !!(flagsByte & AT),
    ed: !!(flagsByte & ED),
  };
  if (flags.bs && !flags.be) throw new Error('Authenticator data has BS set without BE (§6.1.3: not allowed)');
  const result: ParsedAuthenticatorData = { rpIdHash: copy(bytes, 0, 32), flags, signCount: view.getUint32(33) };
  let pos = 37;

  if (flags.at) {
    if (bytes.length < pos + 18) throw new Error('Authenticator data too short for attested credential data');
    const aaguid = copy(bytes, pos, pos + 16);
    const idLength = view.getUint16(pos + 16);
    pos += 18;
    if (idLength > MAX_CREDENTIAL_ID_LENGTH) throw new Error(`Credential ID length ${idLength} exceeds 1023`);
    if (bytes.length < pos + idLength) throw new Error('Authenticator data too short for credential ID');
    const credentialId = copy(bytes, pos, pos + idLength);
    pos += idLength;
    const key = decodeFirstCBOR<unknown>(bytes.subarray(pos));
    if (!(key.value instanceof Map)) throw new Error('Credential public key is not a CBOR map');
    const cosePublicKey = copy(bytes, pos, pos + key.length);
    pos += key.length;
    result.attestedCredentialData = { aaguid, credentialId, cosePublicKey };
  }

  if (flags.ed) {
    const ext = decodeFirstCBOR<unknown>(bytes.subarray(pos));
    if (!(ext.value instanceof Map) || [...ext.value.keys()].some((k) => typeof k !== 'string')) {
      throw new Error('Authenticator extensions are not a CBOR map with text keys');
    }
    result.extensions = ext.value as Map<string, unknown>;
    pos += ext.length;
  }

  if (pos !== bytes.length) throw new Error('Leftover bytes detected while parsing authenticator data');
  return result;
}

// A plain Uint8Array copy (Buffer#slice would return a view, and a Buffer).
function copy(bytes: Uint8Array, start: number, end: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes.subarray(start, end));
}

function encodeAttestedCredentialData({ aaguid, credentialId, cosePublicKey }: AttestedCredentialData): Uint8Array {
  if (!(aaguid instanceof Uint8Array) || aaguid.length !== 16) throw new TypeError('"aaguid" expected 16 bytes');
  if (!(credentialId instanceof Uint8Array) || credentialId.length < 1 || credentialId.length > MAX_CREDENTIAL_ID_LENGTH) {
    throw new TypeError('"credentialId" expected 1 to 1023 bytes');
  }
  if (!(cosePublicKey instanceof Uint8Array)) throw new TypeError('"cosePublicKey" expected Uint8Array');
  const key = decodeFirstCBOR<unknown>(cosePublicKey); // throws on empty or truncated CBOR
  if (!(key.value instanceof Map) || key.length !== cosePublicKey.length) {
    throw new TypeError('"cosePublicKey" expected exactly one CBOR map');
  }
  const idLength = new Uint8Array(2);
  new DataView(idLength.buffer).setUint16(0, credentialId.length); // big-endian
  return concatBytes(aaguid, idLength, credentialId, cosePublicKey);
}

function checkExtensions(extensions: Map<string, unknown>): Map<string, unknown> {
  if (!(extensions instanceof Map) || [...extensions.keys()].some((k) => typeof k !== 'string')) {
    throw new TypeError('"extensions" expected a Map with string keys (extension identifiers, §9.1)');
  }
  return extensions;
}
