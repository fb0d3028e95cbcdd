// Attestation object with the "none" attestation statement format.
// §6.5.4 "Generating an Attestation Object" and §8.7 "None Attestation Statement Format":
//   attObj = { fmt: "none", attStmt: {}, authData: bytes }
import { encodeCBOR } from './cbor.js';

/**
 * CBOR map {"fmt": "none", "attStmt": {}, "authData": authData}, keys in this order (the CTAP2
 * canonical order: shorter keys first), as in the spec's §16 test vectors.
 */
export function buildNoneAttestationObject(authData: Uint8Array): Uint8Array<ArrayBuffer> {
  if (!(authData instanceof Uint8Array) || authData.length < 37) {
    throw new TypeError('"authData" expected authenticator data of at least 37 bytes (§6.1)');
  }
  return encodeCBOR(
    new Map<string, unknown>([
      ['fmt', 'none'],
      ['attStmt', new Map()], // emptyMap: the signing procedure of §8.7 returns no data
      ['authData', authData],
    ]),
  );
}
