// The WebAuthn `prf` extension (WebAuthn Level 3 §10.1.4, https://w3c.github.io/webauthn/#prf-extension):
// the pure computation, run only in the background (the secrets come from a passkey's private key).
//
// How Latchkey builds it (the spec leaves the authenticator side abstract; modelled on CTAP2
// `hmac-secret`, as the spec itself is):
// - Each passkey has two 32-byte secrets, like hmac-secret's CredRandomWithUV / CredRandomWithoutUV,
//   derived from the passkey's private key with HKDF-SHA256 (RFC 5869; no salt, distinct `info`
//   strings). So nothing new is stored (no vault schema change), an exported and re-imported
//   passkey keeps its PRF, and the PRF is not the signing key (HKDF output is independent of it).
// - PRF(salt) = HMAC-SHA256(CredRandom, salt), hmac-secret's "output1 = HMAC-SHA-256(CredRandom, salt1)".
// - The client side hashes the page's inputs first (§10.1.4, client extension processing, both
//   operations): salt = SHA-256(UTF8Encode("WebAuthn PRF") || 0x00 || input), so a page can never
//   evaluate the PRF at a chosen raw salt (which other users of hmac-secret might rely on).
// - Which secret: §10.1.4 "This extension only exposes a single PRF per credential and, when
//   implementing on top of hmac-secret, that PRF MUST be the one used for when user verification is
//   performed. This overrides the UserVerificationRequirement if necessary." So the web-visible PRF is
//   always the with-UV one: a ceremony that asks for PRF outputs requires the PIN
//   (prfNeedsUserVerification), and outputs are only revealed when the UV flag is set
//   (prfResultsForPage). The without-UV secret exists at the authenticator layer, as in hmac-secret,
//   and is never revealed to a page. (An RP that derives encryption keys from the outputs thus gets
//   the same key whatever its userVerification setting.)
// - Outputs are client extension outputs only: nothing is added to the authenticator data
//   ("Authenticator extension outputs MUST NOT contain cleartext PRF outputs"), so the ED flag stays clear.
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type {
  AuthenticationExtensionsPRFInputsJSON,
  AuthenticationExtensionsPRFOutputsJSON,
  AuthenticationExtensionsPRFValuesJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from './webauthnJson.js';
import { fromBase64url, toBase64url } from './base64url.js';
import { concatBytes, utf8 } from './bytes.js';

/** The `info` of the HKDF derivations; versioned so a future scheme can never collide with this one. */
export const PRF_INFO_WITH_UV = 'Latchkey WebAuthn prf v1: CredRandomWithUV';
export const PRF_INFO_WITHOUT_UV = 'Latchkey WebAuthn prf v1: CredRandomWithoutUV';

/** The context string of §10.1.4: salt = SHA-256(UTF8Encode("WebAuthn PRF") || 0x00 || input). */
const PRF_CONTEXT = concatBytes(utf8('WebAuthn PRF'), new Uint8Array([0]));

/** §10.1.4 client extension processing: salt1 / salt2 from eval.first / eval.second (any length). */
export function prfSalt(input: Uint8Array): Uint8Array {
  return sha256(concatBytes(PRF_CONTEXT, input));
}

/**
 * The passkey's hmac-secret-style secret for the given UV state: HKDF-SHA256(ikm = private key
 * (P-256 scalar or Ed25519 seed, 32 bytes), salt = none, info, L = 32).
 */
export function prfSecret(privateKey: Uint8Array, uv: boolean): Uint8Array {
  if (!(privateKey instanceof Uint8Array) || privateKey.length !== 32) throw new TypeError('"privateKey" expected 32 bytes');
  return hkdf(sha256, privateKey, undefined, utf8(uv ? PRF_INFO_WITH_UV : PRF_INFO_WITHOUT_UV), 32);
}

export interface PrfValues { first: Uint8Array; second?: Uint8Array }

/**
 * The authenticator side (hmac-secret semantics): PRF outputs for already-hashed salts, with the
 * secret that matches the ceremony's UV flag. 32 bytes each (§10.1.4: "outputs are exactly 32 bytes").
 */
export function evaluatePrf(privateKey: Uint8Array, uv: boolean, salts: PrfValues): PrfValues {
  const secret = prfSecret(privateKey, uv);
  try {
    return prfWithSecret(secret, salts);
  } finally {
    secret.fill(0);
  }
}

/** hmac-secret's outputs: output1 = HMAC-SHA-256(CredRandom, salt1), output2 likewise with salt2. */
export function prfWithSecret(secret: Uint8Array, salts: PrfValues): PrfValues {
  const out: PrfValues = { first: hmac(sha256, secret, salts.first) };
  if (salts.second !== undefined) out.second = hmac(sha256, secret, salts.second);
  return out;
}

/**
 * §10.1.4 authentication, "Let ev be null, and try to find any applicable PRF input(s)": the
 * evalByCredential entry of the credential that will be returned wins, else eval, else none.
 * The keys were checked and made canonical base64url by the page's conversion and the background's
 * validation, so a plain lookup by credential id is the spec's comparison.
 */
export function choosePrfInput(prf: AuthenticationExtensionsPRFInputsJSON, credentialId: string): AuthenticationExtensionsPRFValuesJSON | null {
  const byCred = prf.evalByCredential;
  if (byCred && Object.hasOwn(byCred, credentialId)) return byCred[credentialId]!;
  return prf.eval ?? null;
}

/** The PRF inputs a ceremony will evaluate, if any (eval at create; eval or evalByCredential at get). */
function asksForOutputs(request: { op: 'create'; options: PublicKeyCredentialCreationOptionsJSON } | { op: 'get'; options: PublicKeyCredentialRequestOptionsJSON }): boolean {
  const prf = request.options.extensions?.prf;
  if (!prf) return false;
  if (prf.eval) return true;
  return request.op === 'get' && !!prf.evalByCredential && Object.keys(prf.evalByCredential).length > 0;
}

/**
 * §10.1.4: the exposed PRF is the with-UV one, and "this overrides the UserVerificationRequirement
 * if necessary": a ceremony that asks for outputs needs the PIN, whatever userVerification says.
 */
export function prfNeedsUserVerification(request: Parameters<typeof asksForOutputs>[0]): boolean {
  return asksForOutputs(request);
}

/**
 * The `prf` client extension output for the page, or undefined when the page did not ask for prf.
 * - create: { enabled: true } (Latchkey's passkeys always have a PRF), plus `results` when eval was
 *   given (the spec allows evaluation at creation for authenticators other than CTAP2 security keys);
 * - get: {} plus `results` when an input applies to the chosen credential (§10.1.4 step 3 initialises
 *   the output to an empty dictionary; `enabled` is "not present in the case of authentication").
 * `results` only when the UV flag is set (the with-UV PRF is the only one exposed; see above).
 */
export function prfResultsForPage(
  request: Parameters<typeof asksForOutputs>[0],
  o: { privateKey: Uint8Array; uv: boolean; credentialId: string },
): AuthenticationExtensionsPRFOutputsJSON | undefined {
  const prf = request.options.extensions?.prf;
  if (!prf) return undefined;
  const out: AuthenticationExtensionsPRFOutputsJSON = request.op === 'create' ? { enabled: true } : {};
  const ev = request.op === 'create' ? prf.eval ?? null : choosePrfInput(prf, o.credentialId);
  if (!ev || !o.uv) return out;
  const salts: PrfValues = { first: prfSalt(fromBase64url(ev.first)) };
  if (ev.second !== undefined) salts.second = prfSalt(fromBase64url(ev.second));
  const r = evaluatePrf(o.privateKey, true, salts);
  out.results = { first: toBase64url(r.first) };
  if (r.second) out.results.second = toBase64url(r.second);
  return out;
}
