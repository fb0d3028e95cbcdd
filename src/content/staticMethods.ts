// The static methods of PublicKeyCredential, as a page sees them with Latchkey present.
// Runs in the page's MAIN world at document_start (installed by main-world.ts); like convert.ts it
// captures what it needs before any page script runs, and its errors are the page realm's own.
// https://w3c.github.io/webauthn/#sctn-isUserVerifyingPlatformAuthenticatorAvailable (§5.1.7),
// #sctn-getClientCapabilities, #sctn-parseCreationOptionsFromJSON, #sctn-parseRequestOptionsFromJSON,
// #sctn-signal-methods (§5.1.10: signalUnknownCredential, signalAllAcceptedCredentials, signalCurrentUserDetails)
import type { CeremonyResult, SignalRequest } from '../messages/protocol';
import { dict, domString, integer, required, sequence, typeError } from './convert';

const DOMExc = DOMException;
const U8 = Uint8Array;
const apply = Reflect.apply;
const ownKeys = Reflect.ownKeys;
const getOwn = Object.getOwnPropertyDescriptor;
const defineProp = Object.defineProperty;
const keysOf = Object.keys;
const arraySort = Array.prototype.sort;
const charCodeAt = String.prototype.charCodeAt;
const PromiseCtor = Promise;
const promiseThen = Promise.prototype.then;
const resolved = <T>(v: T): Promise<T> => new PromiseCtor<T>((r) => r(v));

type Dict = Record<string, unknown>;

// ---- base64url ----------------------------------------------------------------------------------

/** 'A'..'Z' 'a'..'z' '0'..'9' '-' '_' -> 0..63; anything else -> -1. */
function sextet(c: number): number {
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 97 && c <= 122) return c - 71;
  if (c >= 48 && c <= 57) return c + 4;
  return c === 45 ? 62 : c === 95 ? 63 : -1;
}

/**
 * Base64URLString -> ArrayBuffer. The spec's JSON types use base64url with the padding omitted
 * (RFC 4648 §5, https://w3c.github.io/webauthn/#base64url-encoding), so '=', '+', '/', whitespace
 * and a length of 4n+1 are not base64url: "EncodingError" DOMException (§5.1.9 step 2, §5.1.10).
 * Chromium decodes exactly this way; Firefox also accepts '=' padding (docs/DIFFERENCES.md).
 */
export function decodeB64url(s: string, what: string): ArrayBuffer {
  const n = s.length;
  if (n % 4 === 1) throw new DOMExc(`'${what}' contains invalid base64url data.`, 'EncodingError');
  const out = new U8((n * 3) >> 2);
  let acc = 0, bits = 0, j = 0;
  for (let i = 0; i < n; i++) {
    const v = sextet(apply(charCodeAt, s, [i]) as number);
    if (v < 0) throw new DOMExc(`'${what}' contains invalid base64url data.`, 'EncodingError');
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) { bits -= 8; out[j++] = (acc >> bits) & 0xff; }
  }
  return out.buffer;
}

// ---- parse*FromJSON (WebIDL conversion, then decoding) ------------------------------------------
// WebIDL converts the whole argument first (members read in lexicographic order, inherited
// dictionaries first; a missing required member is a TypeError), and only then does the method
// decode base64url, so every decode is queued and run after the conversion.

type Decode = () => void;

/** A Base64URLString member: a DOMString now, an ArrayBuffer once the queue runs. */
function b64(target: Dict, key: string, v: unknown, what: string, q: Decode[]): void {
  const s = domString(v);
  target[key] = s;
  q.push(() => { target[key] = decodeB64url(s, what); });
}

/** PublicKeyCredentialDescriptorJSON -> PublicKeyCredentialDescriptor. */
function descriptorsFromJSON(v: unknown, what: string, q: Decode[]): Dict[] {
  return sequence(v, what).map((item, i) => {
    const d = dict(item, `${what}[${i}]`);
    const out: Dict = {};
    b64(out, 'id', required(d.id, `${what}[${i}].id`), `${what}[${i}].id`, q);
    if (d.transports !== undefined) out.transports = sequence(d.transports, `${what}[${i}].transports`).map(domString);
    out.type = domString(required(d.type, `${what}[${i}].type`));
    return out;
  });
}

/** AuthenticationExtensionsPRFValuesJSON (https://w3c.github.io/webauthn/#prf-extension). */
function prfValues(v: unknown, what: string, q: Decode[]): Dict {
  const d = dict(v, what);
  const out: Dict = {};
  b64(out, 'first', required(d.first, `${what}.first`), `${what}.first`, q);
  if (d.second !== undefined) b64(out, 'second', d.second, `${what}.second`, q);
  return out;
}

/** WebIDL record<DOMString, T>: own enumerable string keys, in property order. */
function record(v: unknown, what: string, each: (x: unknown, key: string) => unknown): Dict {
  if (v === undefined || v === null || (typeof v !== 'object' && typeof v !== 'function')) throw typeError(`Failed to read '${what}': the value is not an object.`);
  const out: Dict = {};
  for (const k of ownKeys(v)) {
    if (typeof k !== 'string') continue;
    const desc = getOwn(v, k);
    if (desc?.enumerable) out[k] = each((v as Dict)[k], k);
  }
  return out;
}

/** Extension inputs defined for JSON, in lexicographic order: 's' DOMString, 'b' boolean, 'x' special. */
const EXTENSIONS: Array<[string, 's' | 'b' | 'x']> = [
  ['appid', 's'], ['appidExclude', 's'], ['credProps', 'b'], ['credentialProtectionPolicy', 's'],
  ['enforceCredentialProtectionPolicy', 'b'], ['hmacCreateSecret', 'b'], ['largeBlob', 'x'], ['minPinLength', 'b'], ['prf', 'x'],
];

/**
 * AuthenticationExtensionsClientInputsJSON -> AuthenticationExtensionsClientInputs. Only the
 * extensions defined for JSON are kept (WebIDL drops unknown dictionary members): the scalar ones
 * scalars above, largeBlob (its `write` is base64url) and prf (its eval / evalByCredential values are).
 */
function extensionsFromJSON(v: unknown, q: Decode[]): Dict {
  const e = dict(v, 'extensions');
  const out: Dict = {};
  for (const [k, kind] of EXTENSIONS) {
    const x = e[k];
    if (x === undefined) continue;
    if (k === 'largeBlob') {
      const d = dict(x, 'extensions.largeBlob');
      const lb: Dict = {};
      if (d.read !== undefined) lb.read = !!d.read;
      if (d.support !== undefined) lb.support = domString(d.support);
      if (d.write !== undefined) b64(lb, 'write', d.write, 'extensions.largeBlob.write', q);
      out[k] = lb;
    } else if (k === 'prf') {
      const d = dict(x, 'extensions.prf');
      const prf: Dict = {};
      if (d.eval !== undefined) prf.eval = prfValues(d.eval, 'extensions.prf.eval', q);
      if (d.evalByCredential !== undefined) {
        prf.evalByCredential = record(d.evalByCredential, 'extensions.prf.evalByCredential',
          (val, key) => prfValues(val, `extensions.prf.evalByCredential.${key}`, q));
      }
      out[k] = prf;
    } else {
      out[k] = kind === 'b' ? !!x : domString(x);
    }
  }
  return out;
}

function runQueue(q: Decode[]): void {
  for (let i = 0; i < q.length; i++) q[i]!();
}

/** §5.1.9 PublicKeyCredential.parseCreationOptionsFromJSON(options). */
export function creationOptionsFromJSON(v: unknown): PublicKeyCredentialCreationOptions {
  const o = dict(v, 'options');
  const q: Decode[] = [];
  const out: Dict = {};
  // Lexicographic order, as WebIDL reads (and then writes back) the members; spec defaults included.
  out.attestation = o.attestation === undefined ? 'none' : domString(o.attestation);
  out.attestationFormats = o.attestationFormats === undefined ? [] : sequence(o.attestationFormats, 'attestationFormats').map(domString);
  if (o.authenticatorSelection !== undefined) {
    const s = dict(o.authenticatorSelection, 'authenticatorSelection');
    const sel: Dict = {};
    if (s.authenticatorAttachment !== undefined) sel.authenticatorAttachment = domString(s.authenticatorAttachment);
    sel.requireResidentKey = s.requireResidentKey === undefined ? false : !!s.requireResidentKey;
    if (s.residentKey !== undefined) sel.residentKey = domString(s.residentKey);
    sel.userVerification = s.userVerification === undefined ? 'preferred' : domString(s.userVerification);
    out.authenticatorSelection = sel;
  }
  b64(out, 'challenge', required(o.challenge, 'challenge'), 'challenge', q);
  out.excludeCredentials = o.excludeCredentials === undefined ? [] : descriptorsFromJSON(o.excludeCredentials, 'excludeCredentials', q);
  if (o.extensions !== undefined) out.extensions = extensionsFromJSON(o.extensions, q);
  out.hints = o.hints === undefined ? [] : sequence(o.hints, 'hints').map(domString);
  out.pubKeyCredParams = sequence(required(o.pubKeyCredParams, 'pubKeyCredParams'), 'pubKeyCredParams').map((p, i) => {
    const d = dict(p, `pubKeyCredParams[${i}]`);
    const alg = integer(required(d.alg, `pubKeyCredParams[${i}].alg`), 32, true);
    return { alg, type: domString(required(d.type, `pubKeyCredParams[${i}].type`)) };
  });
  // PublicKeyCredentialRpEntity: the inherited `name` first, then `id`.
  const rpIn = dict(required(o.rp, 'rp'), 'rp');
  const rp: Dict = { name: domString(required(rpIn.name, 'rp.name')) };
  if (rpIn.id !== undefined) rp.id = domString(rpIn.id);
  out.rp = rp;
  if (o.timeout !== undefined) out.timeout = integer(o.timeout, 32, false);
  // PublicKeyCredentialUserEntityJSON: displayName, id, name (all required); written name-first
  // like the PublicKeyCredentialUserEntity it becomes.
  const u = dict(required(o.user, 'user'), 'user');
  const displayName = domString(required(u.displayName, 'user.displayName'));
  const userIdText = required(u.id, 'user.id');
  const user: Dict = { name: '', displayName };
  b64(user, 'id', userIdText, 'user.id', q);
  user.name = domString(required(u.name, 'user.name'));
  out.user = user;
  runQueue(q);
  return out as unknown as PublicKeyCredentialCreationOptions;
}

/** §5.1.10 PublicKeyCredential.parseRequestOptionsFromJSON(options). */
export function requestOptionsFromJSON(v: unknown): PublicKeyCredentialRequestOptions {
  const o = dict(v, 'options');
  const q: Decode[] = [];
  const out: Dict = {};
  out.allowCredentials = o.allowCredentials === undefined ? [] : descriptorsFromJSON(o.allowCredentials, 'allowCredentials', q);
  b64(out, 'challenge', required(o.challenge, 'challenge'), 'challenge', q);
  if (o.extensions !== undefined) out.extensions = extensionsFromJSON(o.extensions, q);
  out.hints = o.hints === undefined ? [] : sequence(o.hints, 'hints').map(domString);
  if (o.rpId !== undefined) out.rpId = domString(o.rpId);
  if (o.timeout !== undefined) out.timeout = integer(o.timeout, 32, false);
  out.userVerification = o.userVerification === undefined ? 'preferred' : domString(o.userVerification);
  runQueue(q);
  return out as unknown as PublicKeyCredentialRequestOptions;
}

// ---- getClientCapabilities ----------------------------------------------------------------------

/** What Latchkey itself can do (the ceremonies it answers without the browser). */
export const LATCHKEY_CAPABILITIES: Readonly<Record<string, boolean>> = {
  conditionalCreate: false, // no silent passkey upgrade yet
  conditionalGet: true, // passkey autofill on `webauthn` inputs (src/background/conditional.ts)
  'extension:credProps': true,
  'extension:prf': true, // §10.1.4: eval at create and get, evalByCredential at get (src/core/prf.ts)
  hybridTransport: false,
  passkeyPlatformAuthenticator: true, // discoverable passkeys, user verification by PIN
  relatedOrigins: false, // the RP ID must be the origin's registrable suffix (SecurityError otherwise)
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
 * - signal*: Latchkey's methods act on its passkeys, then hand the call to the browser's own (if any).
 * Every other key needs BOTH: Latchkey takes the create()/get() call first, so a feature it lacks
 * is lost even when the browser has it: conditionalCreate (a conditional create() reaches
 * Latchkey), relatedOrigins (Latchkey refuses the RP ID before the browser sees the call), and
 * every `extension:*` (only credProps and prf are carried through Latchkey). A key Latchkey does not know
 * (a newer browser's) is reported false: Latchkey cannot promise what it was not built for.
 */
const EITHER = ['conditionalGet', 'hybridTransport', 'passkeyPlatformAuthenticator', 'signalAllAcceptedCredentials',
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
  try {
    decodeB64url(s, what);
  } catch {
    throw typeError(`Failed to execute signal method: '${what}' is not valid base64url.`);
  }
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
        if (r.status === 'error' && r.name === 'SecurityError') { reject(new DOMExc(r.message, 'SecurityError')); return; }
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
    parseCreationOptionsFromJSON(options: unknown): PublicKeyCredentialCreationOptions {
      return creationOptionsFromJSON(options);
    },
    parseRequestOptionsFromJSON(options: unknown): PublicKeyCredentialRequestOptions {
      return requestOptionsFromJSON(options);
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
  if (!native('parseCreationOptionsFromJSON')) put(PKC, 'parseCreationOptionsFromJSON', methods.parseCreationOptionsFromJSON);
  if (!native('parseRequestOptionsFromJSON')) put(PKC, 'parseRequestOptionsFromJSON', methods.parseRequestOptionsFromJSON);
  // Always Latchkey's (defined where the browser lacks them, e.g. Firefox): its passkeys must hear
  // the signal; the browser's own still does, through runSignal.
  put(PKC, 'signalUnknownCredential', methods.signalUnknownCredential);
  put(PKC, 'signalAllAcceptedCredentials', methods.signalAllAcceptedCredentials);
  put(PKC, 'signalCurrentUserDetails', methods.signalCurrentUserDetails);
}
