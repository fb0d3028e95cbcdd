// An authentication (navigator.credentials.get) answered by Latchkey: the client part builds
// clientDataJSON (§5.1.4.1), the authenticator part is authenticatorGetAssertion (§6.3.3) with an
// ES256 or EdDSA (Ed25519) key and no signature counter; the result is returned as PublicKeyCredential.toJSON()
// would (AuthenticationResponseJSON, §5.1).
import { sha256 } from '@noble/hashes/sha2.js';
import type { AuthenticationResponseJSON } from './webauthnJson.js';
import { buildAuthenticatorData } from './authenticatorData.js';
import { toBase64url } from './base64url.js';
import { concatBytes, utf8 } from './bytes.js';
import { serializeClientData } from './clientData.js';
import { COSE_ALG_EDDSA, COSE_ALG_ES256 } from './cose.js';
import { signEd25519 } from './ed25519.js';
import { signES256, signES256WithKey } from './es256.js';
import type { CeremonyInput } from './ceremonyInput';
import type { LatchkeyAlg } from './makeRegistration.js';

/**
 * Sign an assertion with an existing ES256 or EdDSA credential.
 * @param o.rpId RP ID the credential is scoped to
 * @param o.origin caller origin, for clientDataJSON
 * @param o.challenge the RP's challenge, base64url without padding
 * @param o.crossOrigin true when the caller is not same-origin with its ancestors
 * @param o.topOrigin top-level origin; written only when crossOrigin is true (§5.8.1)
 * @param o.uv whether user verification was performed (UV flag)
 * @param o.be backup eligibility, as at registration (§6.1.3: BE never changes); default false
 * @param o.bs current backup state, default false; true requires be
 * @param o.credentialId the credential's ID (id and rawId of the response)
 * @param o.privateKey the credential's 32-byte P-256 private key (ES256) or Ed25519 seed (EdDSA);
 *   for ES256 also a non-extractable WebCrypto signing key (importES256PrivateKey), the faster path
 * @param o.alg the credential's COSE algorithm, -7 (ES256, the default) or -8 (EdDSA)
 * @param o.userHandle the user handle stored with the credential (user.id at registration)
 */
export async function makeAssertion(o: CeremonyInput & {
  credentialId: Uint8Array;
  privateKey: Uint8Array | CryptoKey;
  userHandle: Uint8Array;
  /** 0 for Latchkey's own passkeys; an imported passkey's counter keeps rising (§6.1.1). */
  signCount?: number;
  alg?: LatchkeyAlg;
}): Promise<AuthenticationResponseJSON> {
  const { rpId, origin, challenge, crossOrigin, topOrigin, uv, be = false, bs = false, signCount = 0, alg = COSE_ALG_ES256 } = o;
  if (alg !== COSE_ALG_ES256 && alg !== COSE_ALG_EDDSA) throw new TypeError(`"alg" ${String(alg)} is not supported (-7 or -8)`);
  const { credentialId, privateKey, userHandle } = o;
  if (!(credentialId instanceof Uint8Array) || credentialId.length < 1 || credentialId.length > 1023) {
    throw new TypeError('"credentialId" expected 1 to 1023 bytes');
  }
  // §5.4.3: a user handle is 1 to 64 bytes.
  if (!(userHandle instanceof Uint8Array) || userHandle.length < 1 || userHandle.length > 64) {
    throw new TypeError('"userHandle" expected 1 to 64 bytes');
  }

  // §5.1.4.1 #GetAssn-ConstructCollectedClientData and #GetAssn-SerializeClientDataJSON, then clientDataHash.
  const clientDataJSON = utf8(serializeClientData({ type: 'webauthn.get', challenge, origin, crossOrigin, topOrigin }));
  const clientDataHash = sha256(clientDataJSON);

  // §6.3.3 step 9: no signature counter, so it stays 0. Step 10: authenticator data without
  // attested credential data, UP set (requireUserPresence is always true for assertions).
  const authData = await buildAuthenticatorData({ rpId, flags: { up: true, uv, be, bs }, signCount });
  // Step 11: the assertion signature over authenticatorData ‖ clientDataHash: ES256 as DER (signES256
  // hashes it), EdDSA as the raw 64-byte signature of pure Ed25519 (§6.5.5).
  const signed = concatBytes(authData, clientDataHash);
  const signature = privateKey instanceof Uint8Array
    ? (alg === COSE_ALG_EDDSA ? signEd25519(privateKey, signed) : signES256(privateKey, signed))
    : await signWithKey(privateKey, alg, signed);

  const id = toBase64url(credentialId);
  return {
    id,
    rawId: id,
    type: 'public-key',
    authenticatorAttachment: 'platform',
    response: {
      clientDataJSON: toBase64url(clientDataJSON),
      authenticatorData: toBase64url(authData),
      signature: toBase64url(signature),
      userHandle: toBase64url(userHandle), // step 13: selectedCredential.userHandle
    },
    clientExtensionResults: {},
  };
}

/** A WebCrypto key signs only as the algorithm it was made for. */
async function signWithKey(key: CryptoKey, alg: LatchkeyAlg, message: Uint8Array): Promise<Uint8Array> {
  if (alg !== COSE_ALG_ES256 || key.algorithm.name !== 'ECDSA') throw new TypeError(`"privateKey" is a ${key.algorithm.name} key, not one for alg ${alg}`);
  return signES256WithKey(key, message);
}
