// A registration (navigator.credentials.create) answered by Latchkey as a platform authenticator:
// the client part builds clientDataJSON (§5.1.3), the authenticator part is authenticatorMakeCredential
// (§6.3.2) with an ES256 or EdDSA (Ed25519) key, no signature counter and "none" attestation (§8.7); the result is
// returned as PublicKeyCredential.toJSON() would (RegistrationResponseJSON, §5.1).
import type { RegistrationResponseJSON } from './webauthnJson.js';
import { LATCHKEY_AAGUID } from './aaguid.js';
import { buildNoneAttestationObject } from './attestationObject.js';
import { buildAuthenticatorData } from './authenticatorData.js';
import { toBase64url } from './base64url.js';
import { randomBytes, utf8 } from './bytes.js';
import { serializeClientData } from './clientData.js';
import { COSE_ALG_EDDSA, COSE_ALG_ES256, encodeCoseKeyEd25519, encodeCoseKeyES256, spkiFromEd25519, spkiFromP256 } from './cose.js';
import { generateEd25519KeyPair } from './ed25519.js';
import { generateES256KeyPairAsync } from './es256.js';
import type { CeremonyInput } from './ceremonyInput';

/** Length of the random credential IDs Latchkey creates (§4 Credential ID: "at most 1023 bytes"). */
const CREDENTIAL_ID_LENGTH = 16;

/** The COSE algorithms Latchkey can create keys for. */
export type LatchkeyAlg = typeof COSE_ALG_ES256 | typeof COSE_ALG_EDDSA;

/**
 * Create a new ES256 or EdDSA credential and the registration response for it.
 * @param o.rpId RP ID the credential is scoped to (already validated against origin by the caller)
 * @param o.origin caller origin, for clientDataJSON
 * @param o.challenge the RP's challenge, base64url without padding
 * @param o.crossOrigin true when the caller is not same-origin with its ancestors
 * @param o.topOrigin top-level origin; written only when crossOrigin is true (§5.8.1)
 * @param o.uv whether user verification was performed (UV flag)
 * @param o.be backup eligibility (BE flag), default false; must never change afterwards (§6.1.3)
 * @param o.bs backup state (BS flag), default false; true requires be
 * @param o.alg -7 (ES256, the default) or -8 (EdDSA with Ed25519), as chosen from pubKeyCredParams
 * @param o.keyPair a fresh key pair for `alg`, made ahead of time (optional)
 */
export async function makeRegistration(o: CeremonyInput & {
  alg?: LatchkeyAlg;
  /**
   * A fresh key pair of `alg` made ahead of time (the background keeps one ES256 pair ready); used
   * once, by this call. Without it, one is generated here.
   */
  keyPair?: { privateKey: Uint8Array; publicKey: Uint8Array };
}): Promise<{
  credentialId: Uint8Array;
  /** ES256: the 32-byte P-256 scalar; EdDSA: the 32-byte Ed25519 seed. */
  privateKey: Uint8Array;
  /** ES256: the 65-byte uncompressed point; EdDSA: the 32-byte Ed25519 public key. */
  publicKey: Uint8Array;
  response: RegistrationResponseJSON;
}> {
  const { rpId, origin, challenge, crossOrigin, topOrigin, uv, be = false, bs = false, alg = COSE_ALG_ES256 } = o;
  if (alg !== COSE_ALG_ES256 && alg !== COSE_ALG_EDDSA) throw new TypeError(`"alg" ${String(alg)} is not supported (-7 or -8)`);

  // §5.1.3 #CreateCred-ConstructCollectedClientData and #CreateCred-SerializeClientDataJSON.
  const clientDataJSON = utf8(serializeClientData({ type: 'webauthn.create', challenge, origin, crossOrigin, topOrigin }));

  // §6.3.2 step 7: a new key pair for the chosen algorithm and a new credential ID.
  const eddsa = alg === COSE_ALG_EDDSA;
  // ES256 from WebCrypto (native P-256; noble's JS takes about 1 ms more per key here).
  const { privateKey, publicKey } = o.keyPair ?? (eddsa ? generateEd25519KeyPair() : await generateES256KeyPairAsync());
  const credentialId = randomBytes(CREDENTIAL_ID_LENGTH);
  const cosePublicKey = eddsa ? encodeCoseKeyEd25519(publicKey) : encodeCoseKeyES256(publicKey);

  // Step 10: no signature counter, so it stays 0. Steps 11 and 13: authenticator data with
  // attested credential data (AT) and the test of user presence (UP when requireUserPresence is true:
  // every create but a conditional one, ceremonyInput.ts).
  const authData = await buildAuthenticatorData({
    rpId,
    flags: { up: o.up ?? true, uv, be, bs },
    signCount: 0,
    attestedCredentialData: { aaguid: LATCHKEY_AAGUID, credentialId, cosePublicKey },
  });
  // Step 14 with the "none" format (§8.7), which ignores the client data hash.
  const attestationObject = buildNoneAttestationObject(authData);

  const id = toBase64url(credentialId);
  return {
    credentialId,
    privateKey,
    publicKey,
    response: {
      id,
      rawId: id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      response: {
        clientDataJSON: toBase64url(clientDataJSON),
        attestationObject: toBase64url(attestationObject),
        authenticatorData: toBase64url(authData), // getAuthenticatorData(), §5.2.1.1
        transports: ['internal'], // getTransports(): a platform authenticator (§5.8.4)
        // getPublicKey(): DER SubjectPublicKeyInfo (§5.2.1.1: -8 is one of the algorithms it must support)
        publicKey: toBase64url(eddsa ? spkiFromEd25519(publicKey) : spkiFromP256(publicKey)),
        publicKeyAlgorithm: alg, // getPublicKeyAlgorithm()
      },
      clientExtensionResults: {},
    },
  };
}
