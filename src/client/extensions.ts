// What Latchkey's client does with each WebAuthn extension identifier, at create() and at get().
// The identifiers are those of WebAuthn L3 §10 and of the IANA "WebAuthn Extension Identifiers"
// registry (RFC 8809), with the client inputs that carry the CTAP 2.1 ones. docs/EXTENSIONS.md is
// the same table with the reasons; extensions.test.ts checks the two agree.
//
// The kinds of decision:
// - "honour": Latchkey processes the input and gives its output (credProps, prf, largeBlob, appid).
// - "ignore": §5.1.3 step 12 / §5.1.4.1 step 9: "If extensionId is not supported by this client
//   platform or is not a registration [authentication] extension, then continue": no output.
// - "error": the spec's client processing rejects (appid at create: NotSupportedError).
// - "hand over": the request needs an authenticator other than Latchkey; the browser's own call
//   gets it (main-world.ts), with the page's options, timeout and signal.
// Pure functions: the page side runs them (src/content/convert.ts, main-world.ts) before any window.
import type { AuthenticationExtensionsClientInputsJSON } from '../messages/wire';

export type Decision = 'honour' | 'ignore' | 'error' | 'hand over';

export interface ExtensionDecision {
  /** The identifier as registered (IANA, or §10 of WebAuthn L3). */
  id: string;
  /** The members of AuthenticationExtensionsClientInputs that carry it, when they differ from id. */
  inputs?: readonly string[];
  create: Decision;
  get: Decision;
}

/**
 * The table. "hand over … when" cases are conditional (see the functions below); the entry names
 * what happens when the condition holds, and otherwise the extension is ignored.
 */
export const EXTENSIONS: readonly ExtensionDecision[] = [
  { id: 'appid', create: 'error', get: 'honour' },
  { id: 'appidExclude', create: 'ignore', get: 'ignore' },
  { id: 'txAuthSimple', create: 'ignore', get: 'ignore' },
  { id: 'txAuthGeneric', create: 'ignore', get: 'ignore' },
  { id: 'authnSel', create: 'ignore', get: 'ignore' },
  { id: 'exts', create: 'ignore', get: 'ignore' },
  { id: 'uvi', create: 'ignore', get: 'ignore' },
  { id: 'loc', create: 'ignore', get: 'ignore' },
  { id: 'uvm', create: 'ignore', get: 'ignore' },
  { id: 'credProtect', inputs: ['credentialProtectionPolicy', 'enforceCredentialProtectionPolicy'], create: 'hand over', get: 'ignore' },
  { id: 'credBlob', inputs: ['credBlob', 'getCredBlob'], create: 'ignore', get: 'ignore' },
  { id: 'largeBlobKey', create: 'ignore', get: 'ignore' },
  { id: 'minPinLength', create: 'ignore', get: 'ignore' },
  { id: 'hmac-secret', inputs: ['hmacCreateSecret', 'hmacGetSecret'], create: 'ignore', get: 'ignore' },
  { id: 'hmac-secret-mc', create: 'ignore', get: 'ignore' },
  { id: 'prf', create: 'honour', get: 'honour' },
  { id: 'largeBlob', create: 'honour', get: 'honour' },
  { id: 'credProps', create: 'honour', get: 'ignore' },
  { id: 'payment', create: 'hand over', get: 'hand over' },
  { id: 'devicePubKey', create: 'ignore', get: 'ignore' },
  { id: 'supplementalPubKeys', create: 'ignore', get: 'ignore' },
  { id: 'thirdPartyPayment', create: 'ignore', get: 'ignore' },
];

/**
 * §10.1.1 (FIDO AppID Extension), client extension processing: "If present in a create() call,
 * return a DOMException whose name is NotSupportedError." Present means given, whatever the
 * value: "" and null (which WebIDL makes the string "null") included. Chromium does the same.
 */
export function checkAppidAtCreate(e: AuthenticationExtensionsClientInputsJSON | undefined): void {
  if (e?.appid !== undefined) throw new DOMException('The appid extension is only valid in get() (WebAuthn §10.1.1).', 'NotSupportedError');
}

/**
 * credProtect (CTAP 2.1 §12.1, "Credential Protection"), as clients carry it: with enforceCredentialProtectionPolicy true
 * and a policy above userVerificationOptional, a client whose authenticator cannot apply the policy
 * must not create the credential there. Latchkey's passkeys are used without user verification
 * when a site does not ask for it, so they only ever meet userVerificationOptional: such a request
 * is for the browser's security keys. Not enforced, the policy is a wish, and Latchkey goes on.
 */
export function credProtectNeedsAnotherAuthenticator(e: AuthenticationExtensionsClientInputsJSON | undefined): boolean {
  return e?.enforceCredentialProtectionPolicy === true
    && e.credentialProtectionPolicy !== undefined
    && e.credentialProtectionPolicy !== 'userVerificationOptional';
}

/**
 * Secure Payment Confirmation's payment extension: a payment credential is one the browser's
 * PaymentRequest flow uses later through its own authenticators, never through navigator.credentials
 * (SPC §"client extension processing (authentication)": a get() with it is refused outside that
 * flow). Latchkey cannot take part in that flow, so both calls are the browser's.
 */
export function paymentIsTheBrowsers(e: AuthenticationExtensionsClientInputsJSON | undefined): boolean {
  return e?.payment !== undefined && (e.payment.isPayment === true);
}

/** Whether the extensions send the call to the browser's own client (main-world.ts, toBrowser). */
export function extensionsHandOver(op: 'create' | 'get', e: AuthenticationExtensionsClientInputsJSON | undefined): boolean {
  if (paymentIsTheBrowsers(e)) return true;
  return op === 'create' && credProtectNeedsAnotherAuthenticator(e);
}

/**
 * The outputs of the extensions the page side answers, once Latchkey answered the call:
 * appid (§10.1.1): false, the AppID was not used (Latchkey's passkeys are scoped to the RP ID and
 * it signs over the RP ID's hash only). appidExclude (§10.1.2) gets none: Latchkey holds no
 * credential registered under any AppID, so there is nothing it could exclude, and it gives no
 * output, as Firefox does (docs/EXTENSIONS.md).
 */
export function pageExtensionOutputs(op: 'create' | 'get', e: AuthenticationExtensionsClientInputsJSON | undefined): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  if (op === 'get' && e?.appid !== undefined) out.appid = false;
  return out;
}
