// Runs in the page's own JavaScript world at document_start, in every frame, before any page script.
// It replaces navigator.credentials.create/get for `publicKey` requests, converts the arguments as
// the WebAuthn client algorithm does (so argument errors reject at once, before any window opens),
// and passes the JSON form to content/bridge with window.postMessage. It keeps the browser's own
// functions so that "Use another device or security key" can hand the original call back.
// Kept small and free of dependencies: it is loaded into every page.
//
// What it reads at load, and what later. Every page pays for what this script does at
// document_start, whether or not it ever uses WebAuthn, and the first read of a Web IDL interface
// object in a document (DOMException, AbortController, AbortSignal, crypto, the Authenticator*Response
// interfaces…) makes Blink build it in that context: together 0.35 ms of a same-site page load and
// 1.1 ms of a cross-site one (bench/RESULTS.md, fifth round). So at load it reads only
// CredentialsContainer.prototype (create/get are replaced) and PublicKeyCredential (its static methods
// are); the rest is read where it is used, at a call. Plain JavaScript intrinsics (Reflect, Object,
// ArrayBuffer's getters) cost nothing to read and are still captured at load, before any page
// script can replace them. A page that replaces DOMException or AbortSignal before its first call
// changes only what its own calls see: everything in this world is the page's anyway, and the bridge
// and background trust nothing that comes from it.
import type { CeremonyResult } from '../messages/protocol';
import { creationOptionsToJSON, requestOptionsToJSON } from './convert';
import { readOuterOptions } from './outerOptions';
import { excludesPlatformAuthenticator } from '../client/attachment';
import { largeBlobOutput, largeBlobRequired } from '../client/largeBlob';
import { extensionsHandOver, pageExtensionOutputs } from '../client/extensions';
import type { AuthenticationExtensionsClientInputsJSON, AuthenticationExtensionsLargeBlobInputsJSON, PublicKeyCredentialCreationOptionsJSON } from '../messages/wire';
import { toAuthenticationCredential, toRegistrationCredential } from './credential';
import { createPendingCalls } from './pendingCalls';
import { installStaticMethods } from './staticMethods';

(() => {
  const proto = globalThis.CredentialsContainer?.prototype;
  if (!proto || !globalThis.PublicKeyCredential) return; // not a secure context, or no WebAuthn here
  const nativeCreate = proto.create;
  const nativeGet = proto.get;
  const apply = Reflect.apply;
  // WebIDL checks `this` before anything else: this window has exactly one CredentialsContainer
  // ([SameObject]), so any other `this` (a plain object, none, another window's container, an
  // Object.create of the prototype) is left to the browser's own method, which rejects or serves it
  // as it should. The container is looked up at the first call with this window's prototype, not at
  // load: touching `navigator` at load makes the browser build the Navigator interface (about
  // 0.4 ms per navigation in Chromium, on a page that never uses WebAuthn). A page that replaced
  // navigator.credentials before its first call only changes which of its own calls go native.
  const getProto = Reflect.getPrototypeOf;
  let container: unknown = null;
  const post = window.postMessage.bind(window);
  const listen = window.addEventListener.bind(window);
  const PromiseCtor = Promise;
  // The calls in flight and their aborts (./pendingCalls.ts); to this same window: only the bridge
  // (and the page itself) can see what is posted.
  // Registered now, in the capture phase, and hiding Latchkey's answers from the page's listeners
  // (./pendingCalls.ts). stopImmediatePropagation is the browser's own, taken before the page could replace it.
  const stopImmediate = Event.prototype.stopImmediatePropagation;
  const calls = createPendingCalls((msg) => post(msg, '*'), (onMessage) => listen('message', onMessage, true), window,
    (e) => apply(stopImmediate, e, []));

  /**
   * Runs one ceremony (or signal) through Latchkey; resolves with the background's answer.
   * §5.1.3 step 21 / §5.1.4.1: an abort rejects with the signal's abort reason, exactly as given.
   */
  function ceremony(body: Parameters<typeof calls.start>[0], signal: AbortSignal | undefined): Promise<CeremonyResult> {
    return new PromiseCtor<CeremonyResult>((resolve, reject) => {
      calls.start(body, signal, (r) => { resolve(r); return true; }, reject);
    });
  }

  async function run(
    self: CredentialsContainer,
    op: 'create' | 'get',
    args: unknown[],
  ): Promise<Credential | null> {
    const native = op === 'create' ? nativeCreate : nativeGet;
    if ((typeof self !== 'object' && typeof self !== 'function') || self === null || getProto(self) !== proto) {
      return apply(native, self, args) as Promise<Credential | null>;
    }
    container ??= navigator.credentials;
    if (self !== container) return apply(native, self, args) as Promise<Credential | null>;
    // WebIDL converts the outer dictionary first, publicKey inside it, each member read once
    // (./outerOptions.ts). Any exception becomes this promise's rejection, as for a native method.
    let json: unknown;
    const outer = readOuterOptions(args[0], (publicKey) => {
      json = op === 'create' ? creationOptionsToJSON(publicKey) : requestOptionsToJSON(publicKey);
    });
    if (outer.to === 'browser') return apply(native, self, args) as Promise<Credential | null>;
    const { signal } = outer;
    // §5.1.3 step 4 / §5.1.4.1 step 4: an already aborted signal rejects with its reason.
    if (signal?.aborted) throw signal.reason;
    if (op === 'get' && outer.mediation === 'conditional') return conditionalGet(self, outer.publicKey, json, signal);
    // The browser's own call with the page's options, rebuilt from the values already read so that
    // no getter runs twice (same page, same origin, same AbortSignal).
    const toBrowser = () => {
      const again: Record<string, unknown> = { publicKey: outer.publicKey };
      if (outer.mediation !== undefined) again.mediation = outer.mediation;
      if (signal !== undefined) again.signal = signal;
      return apply(native, self, [again]) as Promise<Credential | null>;
    };
    // A request for a cross-platform authenticator is not Latchkey's to answer (./client/attachment.ts).
    if (op === 'create' && excludesPlatformAuthenticator((json as PublicKeyCredentialCreationOptionsJSON).authenticatorSelection)) return toBrowser();
    // largeBlob "required" needs an authenticator with large-blob storage, which Latchkey is not (../client/largeBlob.ts).
    const largeBlob = (json as { extensions?: { largeBlob?: AuthenticationExtensionsLargeBlobInputsJSON } }).extensions?.largeBlob;
    if (op === 'create' && largeBlobRequired(largeBlob)) return toBrowser();
    // Extensions only another authenticator can serve: enforced credProtect, payment (../client/extensions.ts).
    const extensions = (json as { extensions?: AuthenticationExtensionsClientInputsJSON }).extensions;
    if (extensionsHandOver(op, extensions)) return toBrowser();
    const withOutputs = <T extends { clientExtensionResults: Record<string, unknown> }>(cred: T): T => {
      const lb = largeBlobOutput(op, largeBlob);
      if (lb) cred.clientExtensionResults = { ...cred.clientExtensionResults, largeBlob: lb };
      cred.clientExtensionResults = { ...cred.clientExtensionResults, ...pageExtensionOutputs(op, extensions) };
      return cred;
    };
    const request = op === 'create'
      ? { op, options: json as never, ...(outer.mediation === 'conditional' ? { mediation: 'conditional' as const } : {}) }
      : { op, options: json as never };
    const result = await ceremony({ kind: 'request', request }, signal);
    switch (result.status) {
      case 'created': return toRegistrationCredential(withOutputs(result.credential));
      case 'asserted': return toAuthenticationCredential(withOutputs(result.credential));
      // The person chose "Use another device or security key" (or Latchkey has nothing to offer):
      // the browser runs its own dialog.
      case 'handover': return toBrowser();
      case 'error': throw new DOMException(result.message, result.name);
    }
  }

  /**
   * Passkey autofill: get() with mediation "conditional" (§5.1.4, §5.1.4.1). It goes through the same
   * conversion and envelope as a modal get(), marked conditional; the background offers the passkeys
   * on the page's `autocomplete="… webauthn"` inputs (src/background/conditional.ts). The promise
   * stays pending until a passkey is chosen, the signal aborts, or the page goes away: no timeout
   * applies, and "no passkeys here" never settles it, so the result reveals nothing (§5.1.4.1, privacy
   * note on conditional mediation). The browser's own conditional get() runs beside it with an
   * internal signal, so its saved passkeys, phones and keys stay offered; whichever answers first
   * wins and the other is aborted. Arguments were converted and the aborted signal checked by run().
   */
  function conditionalGet(self: CredentialsContainer, publicKey: unknown, json: unknown, signal: AbortSignal | undefined): Promise<Credential | null> {
    return new PromiseCtor<Credential | null>((resolve, reject) => {
      const inner = new AbortController();
      let done = false;
      // Whichever answers first settles the promise and stops the browser's own offer.
      const finish = (settleWith: () => void) => {
        if (done) return;
        done = true;
        inner.abort();
        settleWith();
      };
      const call = calls.start(
        { kind: 'request', request: { op: 'get', options: json as never, mediation: 'conditional' } },
        signal,
        (r) => {
          if (r.status === 'asserted') finish(() => resolve(toAuthenticationCredential(r.credential)));
          else if (r.status === 'error') finish(() => reject(new DOMException(r.message, r.name)));
          // 'handover' (Latchkey has nothing to offer here): the browser's own offer below goes on.
          else return false;
          return true;
        },
        // §5.1.4.1: aborting ends the offer (the background removes it) and rejects with the reason.
        (reason) => finish(() => reject(reason)),
      );
      apply(nativeGet, self, [{ mediation: 'conditional', publicKey, signal: inner.signal }]).then(
        (cred: Credential | null) => { call.end(); finish(() => resolve(cred)); },
        () => { /* aborted because Latchkey answered, or the browser has no autofill: Latchkey's offer goes on */ },
      );
    });
  }

  // Async method shorthand: not constructible, named create/get, length 0 (the argument is
  // optional), and every exception, even from a getter of the page's options, is a rejection.
  const replacement = {
    async create(this: CredentialsContainer, ...args: unknown[]): Promise<Credential | null> {
      return run(this, 'create', args);
    },
    async get(this: CredentialsContainer, ...args: unknown[]): Promise<Credential | null> {
      return run(this, 'get', args);
    },
  };
  Object.defineProperty(proto, 'create', { value: replacement.create, writable: true, enumerable: true, configurable: true });
  Object.defineProperty(proto, 'get', { value: replacement.get, writable: true, enumerable: true, configurable: true });
  // isUserVerifyingPlatformAuthenticatorAvailable, getClientCapabilities, signal*: ./staticMethods.ts
  // The signal methods (§5.1.10) travel like a ceremony: one envelope, one answer, no abort.
  installStaticMethods(globalThis.PublicKeyCredential as unknown as Record<string, unknown>,
    (signal) => ceremony({ kind: 'signal', signal }, undefined));
})();
