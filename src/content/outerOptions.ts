// The outer argument of navigator.credentials.create()/get() (CredentialCreationOptions /
// CredentialRequestOptions, https://w3c.github.io/webappsec-credential-management/#credentialrequestoptions-dictionary),
// read the way WebIDL converts a dictionary: each member read once, in lexicographic order
// (mediation, publicKey, signal), each converted as it is read. Runs in the page at document_start.
import { domString, typeError } from './convert';

/** CredentialMediationRequirement values of the Credential Management spec. */
const MEDIATION: ReadonlySet<string> = new Set(['silent', 'optional', 'conditional', 'required']);
// A JavaScript intrinsic: captured at load, before any page script can replace it (main-world.ts).
const getOwnDesc = Reflect.getOwnPropertyDescriptor;

/**
 * WebIDL interface type AbortSignal: a brand check (works for signals from other realms too): the
 * internal-slot getter `aborted` throws on anything that is not an AbortSignal. AbortSignal is read
 * here, at a call, not at load (see the note at the top of main-world.ts).
 */
export function isAbortSignal(v: unknown): v is AbortSignal {
  if (typeof v !== 'object' || v === null) return false;
  const abortedGetter = typeof AbortSignal === 'function' ? getOwnDesc(AbortSignal.prototype, 'aborted')?.get : undefined;
  if (!abortedGetter) return false;
  try { abortedGetter.call(v); return true; } catch { return false; }
}

export type OuterOptions =
  /** Not Latchkey's to answer: no publicKey, or a mediation Latchkey leaves to the browser. */
  | { to: 'browser' }
  | { to: 'latchkey'; publicKey: unknown; mediation: string | undefined; signal: AbortSignal | undefined };

/**
 * Reads the outer options once. Throws TypeError as WebIDL would (a Symbol mediation, a signal that
 * is not an AbortSignal); a getter's exception propagates. The caller converts publicKey itself,
 * between reading it and the signal check, which is where WebIDL converts it.
 *
 * A mediation string Latchkey does not know goes to the browser: the browser's own enum decides
 * whether it is a TypeError or a value newer than this code.
 */
export function readOuterOptions(options: unknown, convertPublicKey: (publicKey: unknown) => void): OuterOptions {
  if (options === undefined || options === null || (typeof options !== 'object' && typeof options !== 'function')) return { to: 'browser' };
  const o = options as Record<string, unknown>;
  const mediationIn = o.mediation;
  const mediation = mediationIn === undefined ? undefined : domString(mediationIn);
  if (mediation !== undefined && !MEDIATION.has(mediation)) return { to: 'browser' };
  const publicKey = o.publicKey;
  if (publicKey === undefined) return { to: 'browser' };
  // Conditional create (a passkey upgrade after a password sign-in, §5.1.3) and conditional get
  // (passkey autofill, main-world.ts conditionalGet) are both Latchkey's; the background decides
  // whether an upgrade is saved (src/background/passkeyUpgrade.ts).
  convertPublicKey(publicKey);
  const signal = o.signal;
  if (signal !== undefined && !isAbortSignal(signal)) throw typeError("Failed to read 'signal': the value is not of type 'AbortSignal'.");
  return { to: 'latchkey', publicKey, mediation, signal };
}
