// The static methods of PublicKeyCredential, as a page sees them with Latchkey present.
// Runs in the page's MAIN world at document_start (installed by main-world.ts); like convert.ts it
// captures the JavaScript intrinsics it needs before any page script runs (DOMException is read
// where it is thrown: see main-world.ts), and its errors are the page realm's own.
// parseCreationOptionsFromJSON / parseRequestOptionsFromJSON stay the browser's own (every supported
// browser has them: Chrome 129+, Firefox 119+).
// https://w3c.github.io/webauthn/#sctn-isUserVerifyingPlatformAuthenticatorAvailable (§5.1.7),
// #sctn-getClientCapabilities,
// #sctn-signal-methods (§5.1.10: signalUnknownCredential, signalAllAcceptedCredentials, signalCurrentUserDetails)
import type { CeremonyResult, SignalRequest } from '../messages/protocol';
import { dict, domString, required, sequence, typeError } from './convert';

const apply = Reflect.apply;
const getOwn = Object.getOwnPropertyDescriptor;
const defineProp = Object.defineProperty;
const keysOf = Object.keys;
const arraySort = Array.prototype.sort;
const charCodeAt = String.prototype.charCodeAt;
const PromiseCtor = Promise;
const promiseThen = Promise.prototype.then;
const resolved = <T>(v: T): Promise<T> => new PromiseCtor<T>((r) => r(v));

// ---- base64url ----------------------------------------------------------------------------------

/**
 * Whether `s` is base64url as the spec's JSON types use it: RFC 4648 §5 alphabet, the padding
 * omitted (https://w3c.github.io/webauthn/#base64url-encoding), so '=', '+', '/', whitespace and a
 * length of 4n+1 are not; non-zero spare bits are accepted, as Chromium's decoder does.
 */
export function isBase64url(s: string): boolean {
  const n = s.length;
  if (n % 4 === 1) return false;
  for (let i = 0; i < n; i++) {
    const c = apply(charCodeAt, s, [i]) as number;
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95)) return false;
  }
  return true;
}

// ---- getClientCapabilities ----------------------------------------------------------------------

/** What Latchkey itself can do (the ceremonies it answers without the browser). */
export const LATCHKEY_CAPABILITIES: Readonly<Record<string, boolean>> = {
  conditionalCreate: true, // passkey upgrades after a password sign-in (src/background/passkeyUpgrade.ts)
  conditionalGet: true, // passkey autofill on `webauthn` inputs (src/background/conditional.ts)
  'extension:credProps': true,
  'extension:prf': true, // §10.1.4: eval at create and get, evalByCredential at get (src/core/prf.ts)
  hybridTransport: false,
  passkeyPlatformAuthenticator: true, // discoverable passkeys, user verification by PIN
  relatedOrigins: true, // §5.11: an RP ID whose /.well-known/webauthn lists the origin (src/background/relatedOrigins.ts)
  signalAllAcceptedCredentials: true, // §5.1.10: Latchkey's own methods act on its passkeys
  signalCurrentUserDetails: true,
  signalUnknownCredential: true,
  userVerifyingPlatformAuthenticator: true, // the PIN
};

/**
 * Keys where the page gets what EITHER side can do, because the other side is still reached:
 * - hybridTransport, passkeyPlatformAuthenticator, userVerifyingPlatformAuthenticator: every
 *   Latchkey window offers "Use another device or security key", which hands the call to the
 *   browser's own dialog (phone, security key, platform); Latchkey is a UV platform passkey store.
 * - conditionalGet: Latchkey offers its own passkeys and runs the browser's conditional get() beside it.
 * - conditionalCreate: Latchkey saves passkey upgrades itself; where the person turned that off, the
 *   browser's own conditional create() gets the call.
 * - signal*: Latchkey's methods act on its passkeys, then hand the call to the browser's own (if any).
 * Every other key needs BOTH: Latchkey takes the create()/get() call first, so a feature it lacks
 * is lost even when the browser has it: relatedOrigins (Latchkey checks the RP ID itself, but a hand-over meets the browser's own
 * check), and
 * every `extension:*` (only credProps and prf are carried through Latchkey). A key Latchkey does not know
 * (a newer browser's) is reported false: Latchkey cannot promise what it was not built for.
 */
const EITHER = ['conditionalCreate', 'conditionalGet', 'hybridTransport', 'passkeyPlatformAuthenticator', 'signalAllAcceptedCredentials',
  'signalCurrentUserDetails', 'signalUnknownCredential', 'userVerifyingPlatformAuthenticator'];

/** The browser's record merged with Latchkey's, keys in lexicographic order (§5.1.7). */
export function mergeCapabilities(browser: Record<string, unknown>, latchkey: Readonly<Record<string, boolean>> = LATCHKEY_CAPABILITIES): Record<string, boolean> {
  const keys: string[] = [...keysOf(latchkey)];
  for (const k of keysOf(browser)) if (!(k in latchkey)) keys.push(k);
  apply(arraySort, keys, []); // code-unit order, as the spec's "sorted in ascending lexicographic order"
  const out: Record<string, boolean> = {};
  for (const k of keys) {
    const mine = latchkey[k];
    const theirs = browser[k];
    if (mine === undefined) out[k] = false;
    else if (typeof theirs !== 'boolean') out[k] = mine;
    else out[k] = EITHER.includes(k) ? mine || theirs : mine && theirs;
  }
  return out;
}

// ---- signal methods (§5.1.10) --------------------------------------------------------------------

export type SignalOp = SignalRequest['op'];

/** Base64URLString whose decoding must succeed: "return a promise rejected with a TypeError" (§5.1.10.2-4). */
function signalB64(s: string, what: string): string {
  if (!isBase64url(s)) throw typeError(`Failed to execute signal method: '${what}' is not valid base64url.`);
  return s;
}

/**
 * The client steps of a signal method that need no trust, in the spec's order: WebIDL converts the
 * dictionary (members in lexicographic order; a missing required member is a TypeError), then
 * step 1 (and step 2 of signalAllAcceptedCredentials) refuses what does not base64url-decode with a
 * TypeError. The RP ID (§5.1.10.1, SecurityError) is checked in the background against the origin
 * the browser gives it, never here. Returns the message for the background; throws TypeError.
 */
export function signalFromOptions(op: SignalOp, v: unknown): SignalRequest {
  const o = dict(v, 'options');
  switch (op) {
    case 'signalUnknownCredential': {
      // UnknownCredentialOptions: credentialId, rpId.
      const credentialId = domString(required(o.credentialId, 'credentialId'));
      const rpId = domString(required(o.rpId, 'rpId'));
      return { op, options: { rpId, credentialId: signalB64(credentialId, 'credentialId') } }; // §5.1.10.2 step 1
    }
    case 'signalAllAcceptedCredentials': {
      // AllAcceptedCredentialsOptions: allAcceptedCredentialIds, rpId, userId.
      const ids = sequence(required(o.allAcceptedCredentialIds, 'allAcceptedCredentialIds'), 'allAcceptedCredentialIds').map(domString);
      const rpId = domString(required(o.rpId, 'rpId'));
      const userId = domString(required(o.userId, 'userId'));
      signalB64(userId, 'userId'); // §5.1.10.3 step 1
      for (let i = 0; i < ids.length; i++) signalB64(ids[i]!, `allAcceptedCredentialIds[${i}]`); // step 2
      return { op, options: { rpId, userId, allAcceptedCredentialIds: ids } };
    }
    case 'signalCurrentUserDetails': {
      // CurrentUserDetailsOptions: displayName, name, rpId, userId.
      const displayName = domString(required(o.displayName, 'displayName'));
      const name = domString(required(o.name, 'name'));
      const rpId = domString(required(o.rpId, 'rpId'));
      const userId = signalB64(domString(required(o.userId, 'userId')), 'userId'); // §5.1.10.4 step 1
      return { op, options: { rpId, userId, name, displayName } };
    }
  }
}

/** Sends a signal to the background (main-world.ts, through the bridge); resolves with its answer. */
export type SendSignal = (s: SignalRequest) => Promise<CeremonyResult>;

// ---- installation -------------------------------------------------------------------------------

type StaticFn = (...args: never[]) => unknown;

/** Puts `fn` on `target[name]` with the native's attributes (WebIDL: writable, enumerable, configurable). */
function put(target: object, name: string, fn: StaticFn): void {
  const d = getOwn(target, name);
  defineProp(target, name, {
    value: fn,
    writable: d ? !!d.writable : true,
    enumerable: d ? !!d.enumerable : true,
    configurable: true,
  });
}

/**
 * Installs Latchkey's static methods on the page's PublicKeyCredential constructor. `sendSignal`
 * reaches the background; without it (no bridge) the signal methods only validate.
 */
export function installStaticMethods(PKC: Record<string, unknown>, sendSignal?: SendSignal): void {
  const native = (name: string): StaticFn | undefined => {
    const f = getOwn(PKC, name)?.value;
    return typeof f === 'function' ? (f as StaticFn) : undefined;
  };
  const nativeCaps = native('getClientCapabilities');
  const nativeConditional = native('isConditionalMediationAvailable'); // for the capability record only
  const nativeSignal: Record<SignalOp, StaticFn | undefined> = {
    signalUnknownCredential: native('signalUnknownCredential'),
    signalAllAcceptedCredentials: native('signalAllAcceptedCredentials'),
    signalCurrentUserDetails: native('signalCurrentUserDetails'),
  };
  const ignore = (): void => {};

  /**
   * One signal: the page-side steps, then the background's RP ID check and authenticator actions.
   * The promise says only whether the options were well formed (§5.1.10: "do not indicate whether
   * the operation succeeded"): it resolves with undefined whether or not a passkey matched, and
   * rejects only with the TypeError above or the background's SecurityError. Anything else (the
   * background unreachable) resolves too: signals are opportunistic.
   * A valid call then goes to the browser's own method, where it has one (Chrome 156), so that
   * the browser's passkey store hears it as it would without Latchkey; its result is ignored.
   */
  function runSignal(op: SignalOp, options: unknown): Promise<undefined> {
    return new PromiseCtor<undefined>((resolve, reject) => {
      const s = signalFromOptions(op, options); // a TypeError here rejects the promise
      if (!sendSignal) { resolve(undefined); return; }
      apply(promiseThen, sendSignal(s), [(r: CeremonyResult) => {
        if (r.status === 'error' && r.name === 'SecurityError') { reject(new DOMException(r.message, 'SecurityError')); return; }
        resolve(undefined);
        const forward = nativeSignal[op];
        if (r.status !== 'handover' || !forward) return;
        // A fresh dictionary of plain strings: the page's object (and its getters) is not read again.
        const copy = s.op === 'signalAllAcceptedCredentials'
          ? { ...s.options, allAcceptedCredentialIds: [...s.options.allAcceptedCredentialIds] }
          : { ...s.options };
        try { apply(promiseThen, apply(forward, PKC, [copy]), [undefined, ignore]); } catch { /* the browser's own failed: Latchkey's part stands */ }
      }, () => resolve(undefined)]);
    });
  }

  /** The browser's own capability record, or what its older methods say; {} when it says nothing. */
  async function browserCapabilities(): Promise<Record<string, unknown>> {
    try {
      if (nativeCaps) return dict(await (apply(nativeCaps, PKC, []) as Promise<unknown>), 'capabilities');
      if (nativeConditional) return { conditionalGet: !!(await (apply(nativeConditional, PKC, []) as Promise<unknown>)) };
    } catch { /* the browser's answer failed: Latchkey's own still stands */ }
    return {};
  }

  // Method shorthand: named like the natives, right `length`, not constructible. Static operations
  // do not look at `this`, so neither do these.
  const methods = {
    // Latchkey is a user-verifying platform authenticator (the PIN), on every site.
    isUserVerifyingPlatformAuthenticatorAvailable(): Promise<boolean> {
      return resolved(true);
    },
    // Latchkey offers its passkeys on `autocomplete="… webauthn"` inputs itself (conditional.ts), so
    // conditional mediation is available on every site, whatever the browser says (§5.1.6).
    isConditionalMediationAvailable(): Promise<boolean> {
      return resolved(true);
    },
    async getClientCapabilities(): Promise<Record<string, boolean>> {
      return mergeCapabilities(await browserCapabilities());
    },
    signalUnknownCredential(options: unknown): Promise<undefined> {
      return runSignal('signalUnknownCredential', options);
    },
    signalAllAcceptedCredentials(options: unknown): Promise<undefined> {
      return runSignal('signalAllAcceptedCredentials', options);
    },
    signalCurrentUserDetails(options: unknown): Promise<undefined> {
      return runSignal('signalCurrentUserDetails', options);
    },
  };
  put(PKC, 'isUserVerifyingPlatformAuthenticatorAvailable', methods.isUserVerifyingPlatformAuthenticatorAvailable);
  put(PKC, 'getClientCapabilities', methods.getClientCapabilities);
  put(PKC, 'isConditionalMediationAvailable', methods.isConditionalMediationAvailable);
  // Always Latchkey's (defined where the browser lacks them, e.g. Firefox): its passkeys must hear
  // the signal; the browser's own still does, through runSignal.
  put(PKC, 'signalUnknownCredential', methods.signalUnknownCredential);
  put(PKC, 'signalAllAcceptedCredentials', methods.signalAllAcceptedCredentials);
  put(PKC, 'signalCurrentUserDetails', methods.signalCurrentUserDetails);
}
