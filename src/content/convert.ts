// WebIDL conversion of the options dictionaries into their JSON form, done in the page's realm so
// that errors are the page's own TypeError (the page must see `e instanceof TypeError`).
// https://w3c.github.io/webauthn/#sctn-createCredential and #sctn-getAssertion, argument
// conversion by WebIDL (https://webidl.spec.whatwg.org/#es-dictionary): dictionary members are
// read in lexicographic order, `required` members that are undefined throw TypeError.
import type {
  AuthenticationExtensionsClientInputsJSON,
  AuthenticationExtensionsLargeBlobInputsJSON,
  AuthenticationExtensionsPRFInputsJSON,
  AuthenticationExtensionsPRFValuesJSON,
  AuthenticatorSelectionCriteriaJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialDescriptorJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '../messages/wire';
import { checkAppidAtCreate } from '../client/extensions';
import { checkLargeBlobAtCreate, checkLargeBlobAtGet } from '../client/largeBlob';

// JavaScript intrinsics captured at document_start, before any page script can replace them (they
// cost nothing to read). Web IDL interfaces (DOMException) are read where they are used instead:
// see the note at the top of main-world.ts.
const TypeErr = TypeError;
const isView = ArrayBuffer.isView;
const SAB = typeof SharedArrayBuffer === 'function' ? SharedArrayBuffer : undefined;
// Brand checks that work across realms (an ArrayBuffer from an iframe is still a BufferSource):
// the internal-slot getters throw on anything that is not their kind.
const abByteLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength')!.get!;
const abResizable = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'resizable')?.get as ((this: ArrayBuffer) => boolean) | undefined;
const sabByteLength = SAB ? Object.getOwnPropertyDescriptor(SAB.prototype, 'byteLength')!.get! : undefined;
function hasBrand(getter: (() => unknown) | undefined, v: unknown): boolean {
  if (!getter || typeof v !== 'object' || v === null) return false;
  try { getter.call(v); return true; } catch { return false; }
}
const U8 = Uint8Array;
const btoa_ = btoa;
const fromCharCode = String.fromCharCode;
const isArray = Array.isArray;
const ownKeys = Reflect.ownKeys;
const getOwnDesc = Reflect.getOwnPropertyDescriptor;
const defineOwn = Reflect.defineProperty;
const keysOf = Object.keys;

export function typeError(message: string): TypeError {
  return new TypeErr(message);
}

function isObjectLike(v: unknown): v is Record<string, unknown> {
  return (typeof v === 'object' && v !== null) || typeof v === 'function';
}

/** WebIDL dictionary: undefined/null is an empty dictionary, a non-object is a TypeError. */
export function dict(v: unknown, what: string): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (!isObjectLike(v)) throw typeError(`Failed to read '${what}': the value is not an object.`);
  return v;
}

export function required<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw typeError(`Failed to read '${what}': required member is undefined.`);
  return v;
}

/** WebIDL DOMString: ToString (a Symbol throws TypeError by itself). */
export function domString(v: unknown): string {
  return `${v as string}`;
}

/** WebIDL long / unsigned long without [EnforceRange]: ToNumber, NaN/Infinity -> 0, truncate, wrap. */
export function integer(v: unknown, bits: 32, signed: boolean): number {
  const n = Number(v);
  if (!Number.isFinite(n)) return 0;
  const t = Math.trunc(n);
  const mod = 2 ** bits;
  let r = ((t % mod) + mod) % mod;
  if (signed && r >= mod / 2) r -= mod;
  return r;
}

/**
 * BufferSource (ArrayBuffer or any ArrayBufferView) -> a copy of its bytes, as WebIDL's "get a copy
 * of the bytes held by the buffer source" (https://webidl.spec.whatwg.org/#dfn-get-buffer-source-copy):
 * a detached buffer gives the empty byte sequence. BufferSource has no [AllowShared] and no
 * [AllowResizable], so a SharedArrayBuffer, a resizable ArrayBuffer, or a view on either is a
 * TypeError (https://webidl.spec.whatwg.org/#js-buffer-source-types).
 */
export function bufferSourceBytes(v: unknown, what: string): Uint8Array {
  if (hasBrand(sabByteLength, v)) throw typeError(`Failed to read '${what}': SharedArrayBuffer is not allowed.`);
  if (hasBrand(abByteLength, v)) return copyOf(v as ArrayBuffer, 0, undefined, what);
  if (isView(v)) {
    const view = v as ArrayBufferView;
    if (hasBrand(sabByteLength, view.buffer)) throw typeError(`Failed to read '${what}': a view on a SharedArrayBuffer is not allowed.`);
    return copyOf(view.buffer as ArrayBuffer, view.byteOffset, view.byteLength, what);
  }
  throw typeError(`Failed to read '${what}': the value is not an ArrayBuffer or ArrayBufferView.`);
}

function copyOf(buffer: ArrayBuffer, offset: number, length: number | undefined, what: string): Uint8Array {
  if (abResizable?.call(buffer)) throw typeError(`Failed to read '${what}': a resizable ArrayBuffer is not allowed.`);
  // A detached buffer (and only an empty or detached one) has byteLength 0: its bytes are the empty sequence.
  if (abByteLength.call(buffer) === 0) return new U8(0);
  return new U8(new U8(buffer, offset, length)); // a copy, from any realm
}

export function toB64url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += fromCharCode(bytes[i]!);
  return btoa_(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromB64url(s: string): ArrayBuffer {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new U8(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out.buffer;
}

/**
 * Reads an optional dictionary member exactly once (a getter must not run twice, WebIDL
 * https://webidl.spec.whatwg.org/#es-dictionary step 4.1.3) and converts it when present.
 */
function optional<T>(o: Record<string, unknown>, key: string, convert: (v: unknown) => T): T | undefined {
  const v = o[key];
  return v === undefined ? undefined : convert(v);
}

export function sequence(v: unknown, what: string): unknown[] {
  // WebIDL sequence<T> from an iterable; arrays are by far the common case.
  if (isArray(v)) return v;
  if (isObjectLike(v) && typeof (v as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function') return [...(v as unknown as Iterable<unknown>)];
  throw typeError(`Failed to read '${what}': the value is not a sequence.`);
}

function descriptors(v: unknown, what: string): PublicKeyCredentialDescriptorJSON[] {
  return sequence(v, what).map((item, i) => {
    const d = dict(item, `${what}[${i}]`);
    const id = bufferSourceBytes(required(d.id, `${what}[${i}].id`), `${what}[${i}].id`);
    const transports = optional(d, 'transports', (t) => sequence(t, `${what}[${i}].transports`).map(domString));
    const type = domString(required(d.type, `${what}[${i}].type`));
    const out: PublicKeyCredentialDescriptorJSON = { type, id: toB64url(id) };
    if (transports) out.transports = transports;
    return out;
  });
}

/** AuthenticationExtensionsPRFValues (§10.1.4): `first` required, `second` optional, both BufferSource. */
function prfValues(v: unknown, what: string): AuthenticationExtensionsPRFValuesJSON {
  const d = dict(v, what);
  const out: AuthenticationExtensionsPRFValuesJSON = { first: toB64url(bufferSourceBytes(required(d.first, `${what}.first`), `${what}.first`)) };
  if (d.second !== undefined) out.second = toB64url(bufferSourceBytes(d.second, `${what}.second`));
  return out;
}

/**
 * WebIDL record<DOMString, V> (https://webidl.spec.whatwg.org/#js-record): not an object -> TypeError;
 * own enumerable keys in [[OwnPropertyKeys]] order, each key converted to DOMString (a Symbol key
 * throws TypeError, as ToString does), then its value converted.
 */
function record<V>(v: unknown, what: string, each: (x: unknown, what: string) => V): Record<string, V> {
  if (!isObjectLike(v)) throw typeError(`Failed to read '${what}': the value is not an object.`);
  const out: Record<string, V> = {}; // keys set with defineProperty: "__proto__" stays an own key
  for (const key of ownKeys(v)) {
    const desc = getOwnDesc(v, key);
    if (!desc?.enumerable) continue;
    const k = domString(key);
    defineOwn(out, k, { value: each((v as Record<PropertyKey, unknown>)[key], `${what}.${k}`), enumerable: true, configurable: true, writable: true });
  }
  return out;
}

/** AuthenticationExtensionsPRFInputs (§10.1.4): members `eval`, `evalByCredential`, in that order. */
function prfInputs(v: unknown): AuthenticationExtensionsPRFInputsJSON {
  const d = dict(v, 'extensions.prf');
  const out: AuthenticationExtensionsPRFInputsJSON = {};
  if (d.eval !== undefined) out.eval = prfValues(d.eval, 'extensions.prf.eval');
  if (d.evalByCredential !== undefined) {
    out.evalByCredential = record(d.evalByCredential, 'extensions.prf.evalByCredential', prfValues);
  }
  return out;
}

/**
 * AuthenticationExtensionsClientInputs: the extensions Latchkey carries are converted (members in
 * lexicographic order); every other member is ignored, as a client ignores what it does not support.
 */
function extensionsOf(v: unknown): AuthenticationExtensionsClientInputsJSON | undefined {
  if (v === undefined) return undefined;
  const e = dict(v, 'extensions');
  const out: AuthenticationExtensionsClientInputsJSON = {};
  // appid (§10.1.1): a USVString; present means given, "" and null included (WebIDL makes null the
  // string "null"). What it does: ../client/extensions.ts.
  const appid = optional(e, 'appid', domString);
  if (appid !== undefined) out.appid = appid;
  // credProps (https://w3c.github.io/webauthn/#sctn-authenticator-credential-properties-extension)
  if (e.credProps !== undefined) out.credProps = !!e.credProps;
  // credProtect's client inputs (CTAP 2.1 §12.1): a USVString and a boolean.
  const policy = optional(e, 'credentialProtectionPolicy', domString);
  if (policy !== undefined) out.credentialProtectionPolicy = policy;
  const enforce = optional(e, 'enforceCredentialProtectionPolicy', (x) => !!x);
  if (enforce !== undefined) out.enforceCredentialProtectionPolicy = enforce;
  // largeBlob (https://w3c.github.io/webauthn/#sctn-large-blob-extension): members read, support, write
  if (e.largeBlob !== undefined) {
    const d = dict(e.largeBlob, 'extensions.largeBlob');
    const lb: AuthenticationExtensionsLargeBlobInputsJSON = {};
    const read = optional(d, 'read', (x) => !!x);
    if (read !== undefined) lb.read = read;
    const support = optional(d, 'support', domString);
    if (support !== undefined) lb.support = support;
    const write = optional(d, 'write', (x) => toB64url(bufferSourceBytes(x, 'extensions.largeBlob.write')));
    if (write !== undefined) lb.write = write;
    out.largeBlob = lb;
  }
  // payment (Secure Payment Confirmation): only isPayment decides anything here.
  if (e.payment !== undefined) {
    const isPayment = optional(dict(e.payment, 'extensions.payment'), 'isPayment', (x) => !!x);
    out.payment = isPayment === undefined ? {} : { isPayment };
  }
  // prf (https://w3c.github.io/webauthn/#prf-extension)
  if (e.prf !== undefined) out.prf = prfInputs(e.prf);
  return out;
}

/**
 * AuthenticatorSelectionCriteria, converted where WebIDL converts it: when the outer dictionary
 * reaches this member (so its getters run before challenge's), each member once, in order.
 */
function selectionOf(v: unknown): AuthenticatorSelectionCriteriaJSON {
  const sel = dict(v, 'authenticatorSelection');
  const s: AuthenticatorSelectionCriteriaJSON = {};
  const attachment = optional(sel, 'authenticatorAttachment', domString);
  if (attachment !== undefined) s.authenticatorAttachment = attachment;
  s.requireResidentKey = optional(sel, 'requireResidentKey', (x) => !!x) ?? false;
  const residentKey = optional(sel, 'residentKey', domString);
  if (residentKey !== undefined) s.residentKey = residentKey;
  s.userVerification = optional(sel, 'userVerification', domString) ?? 'preferred';
  return s;
}

/** A record key's base64url decoding, re-encoded canonically; null when it is not base64url (RFC 4648 §5, unpadded). */
function canonicalB64url(key: string): string | null {
  return key.length % 4 !== 1 && /^[\w-]+$/.test(key) ? toB64url(new U8(fromB64url(key))) : null;
}

/**
 * §10.1.4 client extension processing (registration), step 1: "If evalByCredential is present, return
 * a DOMException whose name is NotSupportedError." Run after the whole WebIDL conversion, as the
 * client algorithm runs after it; the page gets the rejection before any window opens.
 */
function checkPrfAtCreate(prf: AuthenticationExtensionsPRFInputsJSON | undefined): void {
  if (prf?.evalByCredential) throw new DOMException('prf: evalByCredential at create', 'NotSupportedError');
}

/**
 * §10.1.4 client extension processing (authentication), steps 1 and 2: a non-empty evalByCredential
 * with an empty allowCredentials is NotSupportedError; a key that is empty, not base64url, or not
 * the id of an allowCredentials entry (compared after decoding) is SyntaxError. The keys are then
 * rewritten in canonical base64url, so the background picks the entry of the chosen credential
 * (step 4) by comparing strings.
 */
function checkPrfAtGet(prf: AuthenticationExtensionsPRFInputsJSON | undefined, allow: PublicKeyCredentialDescriptorJSON[]): void {
  const byCred = prf?.evalByCredential;
  if (!prf || !byCred) return;
  const keys = keysOf(byCred);
  if (keys.length && !allow.length) throw new DOMException('prf: evalByCredential without allowCredentials', 'NotSupportedError');
  const canonical: Record<string, AuthenticationExtensionsPRFValuesJSON> = {};
  for (const key of keys) {
    const id = canonicalB64url(key);
    if (id === null || !allow.some((d) => d.id === id)) throw new DOMException(`prf: evalByCredential key '${key}' is no allowCredentials id`, 'SyntaxError');
    canonical[id] = byCred[key]!;
  }
  prf.evalByCredential = canonical;
}

/** PublicKeyCredentialCreationOptions -> JSON, with the checks of §5.1.3 steps 2 to 5 that need no trust. */
export function creationOptionsToJSON(v: unknown): PublicKeyCredentialCreationOptionsJSON {
  const o = dict(v, 'publicKey');
  // Members in lexicographic order, as WebIDL reads them.
  const attestation = optional(o, 'attestation', domString);
  const selection = optional(o, 'authenticatorSelection', selectionOf);
  const challenge = bufferSourceBytes(required(o.challenge, 'challenge'), 'challenge');
  const exclude = optional(o, 'excludeCredentials', (v) => descriptors(v, 'excludeCredentials')) ?? [];
  const extensions = extensionsOf(o.extensions);
  const hints = optional(o, 'hints', (v) => sequence(v, 'hints').map(domString)) ?? [];
  const params = sequence(required(o.pubKeyCredParams, 'pubKeyCredParams'), 'pubKeyCredParams').map((p, i) => {
    const d = dict(p, `pubKeyCredParams[${i}]`);
    const alg = integer(required(d.alg, `pubKeyCredParams[${i}].alg`), 32, true);
    return { alg, type: domString(required(d.type, `pubKeyCredParams[${i}].type`)) };
  });
  const rpIn = dict(required(o.rp, 'rp'), 'rp');
  const rp: { id?: string; name: string } = { name: '' };
  const rpId = optional(rpIn, 'id', domString);
  if (rpId !== undefined) rp.id = rpId;
  rp.name = domString(required(rpIn.name, 'rp.name'));
  const timeout = optional(o, 'timeout', (v) => integer(v, 32, false));
  const userIn = dict(required(o.user, 'user'), 'user');
  const displayName = domString(required(userIn.displayName, 'user.displayName'));
  const userId = bufferSourceBytes(required(userIn.id, 'user.id'), 'user.id');
  const userName = domString(required(userIn.name, 'user.name'));
  // §5.1.3 step 5: "If the length of options.user.id is not between 1 and 64 bytes (inclusive) then throw a TypeError."
  if (userId.length < 1 || userId.length > 64) throw typeError('user.id must be between 1 and 64 bytes long.');
  checkAppidAtCreate(extensions);
  checkPrfAtCreate(extensions?.prf);
  checkLargeBlobAtCreate(extensions?.largeBlob);

  const out: PublicKeyCredentialCreationOptionsJSON = {
    rp,
    user: { id: toB64url(userId), name: userName, displayName },
    challenge: toB64url(challenge),
    pubKeyCredParams: params.map(({ type, alg }) => ({ type, alg })),
  };
  if (timeout !== undefined) out.timeout = timeout;
  if (exclude.length) out.excludeCredentials = exclude;
  if (selection) out.authenticatorSelection = selection;
  if (hints.length) out.hints = hints;
  if (attestation !== undefined) out.attestation = attestation;
  if (extensions) out.extensions = extensions;
  return out;
}

/** PublicKeyCredentialRequestOptions -> JSON (§5.1.4.1 steps 1 to 3 that need no trust). */
export function requestOptionsToJSON(v: unknown): PublicKeyCredentialRequestOptionsJSON {
  const o = dict(v, 'publicKey');
  const allow = optional(o, 'allowCredentials', (v) => descriptors(v, 'allowCredentials')) ?? [];
  const challenge = bufferSourceBytes(required(o.challenge, 'challenge'), 'challenge');
  const extensions = extensionsOf(o.extensions);
  const hints = optional(o, 'hints', (v) => sequence(v, 'hints').map(domString)) ?? [];
  const rpId = optional(o, 'rpId', domString);
  const timeout = optional(o, 'timeout', (v) => integer(v, 32, false));
  const userVerification = optional(o, 'userVerification', domString) ?? 'preferred';
  checkPrfAtGet(extensions?.prf, allow);
  checkLargeBlobAtGet(extensions?.largeBlob, allow);
  const out: PublicKeyCredentialRequestOptionsJSON = { challenge: toB64url(challenge), userVerification };
  if (timeout !== undefined) out.timeout = timeout;
  if (rpId !== undefined) out.rpId = rpId;
  if (allow.length) out.allowCredentials = allow;
  if (hints.length) out.hints = hints;
  if (extensions) out.extensions = extensions;
  return out;
}
