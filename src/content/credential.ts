// Builds the PublicKeyCredential objects the page receives, in the page's realm.
// Scripts cannot construct PublicKeyCredential, so the object is made from its prototype (so that
// `instanceof PublicKeyCredential` holds) with own properties that shadow the prototype's native
// getters, which would throw on a non-native object.
// https://w3c.github.io/webauthn/#iface-pkcredential, #iface-authenticatorattestationresponse,
// #iface-authenticatorassertionresponse
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '../messages/wire';
import { fromB64url } from './convert';

const create = Object.create;
const defineProperties = Object.defineProperties;
// PublicKeyCredential is read at load anyway (main-world.ts installs its static methods); the two
// response interfaces are read when a credential is made (see the note at the top of main-world.ts).
const PKC = globalThis.PublicKeyCredential;
const structuredCopy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function readonly(values: Record<string, unknown>): PropertyDescriptorMap {
  const map: PropertyDescriptorMap = {};
  for (const k of Object.keys(values)) map[k] = { value: values[k], enumerable: true, configurable: true, writable: false };
  return map;
}

function method(fn: (...args: never[]) => unknown): PropertyDescriptor {
  return { value: fn, enumerable: false, configurable: true, writable: true };
}

/**
 * Client extension outputs as the page expects them (AuthenticationExtensionsClientOutputs, a new
 * dictionary each call). prf results are BufferSources there (§10.1.4: AuthenticationExtensionsPRFValues),
 * so their base64url JSON form becomes fresh ArrayBuffers of the page's realm; toJSON() keeps base64url
 * (AuthenticationExtensionsPRFOutputsJSON).
 */
function extensionResults(json: Record<string, unknown>): () => Record<string, unknown> {
  return () => {
    const out = structuredCopy(json);
    const results = (out.prf as { results?: { first: unknown; second?: unknown } } | undefined)?.results;
    if (results) {
      results.first = fromB64url(results.first as string);
      if (results.second !== undefined) results.second = fromB64url(results.second as string);
    }
    return out;
  };
}

export function toRegistrationCredential(json: RegistrationResponseJSON): PublicKeyCredential {
  const r = json.response;
  const response = create(AuthenticatorAttestationResponse.prototype) as AuthenticatorAttestationResponse;
  defineProperties(response, readonly({
    clientDataJSON: fromB64url(r.clientDataJSON),
    attestationObject: fromB64url(r.attestationObject),
  }));
  defineProperties(response, {
    getTransports: method(() => [...r.transports]),
    getAuthenticatorData: method(() => fromB64url(r.authenticatorData)),
    getPublicKey: method(() => fromB64url(r.publicKey)),
    getPublicKeyAlgorithm: method(() => r.publicKeyAlgorithm),
    toJSON: method(() => structuredCopy(r)),
  });
  return credential(json, response);
}

export function toAuthenticationCredential(json: AuthenticationResponseJSON): PublicKeyCredential {
  const r = json.response;
  const response = create(AuthenticatorAssertionResponse.prototype) as AuthenticatorAssertionResponse;
  defineProperties(response, readonly({
    clientDataJSON: fromB64url(r.clientDataJSON),
    authenticatorData: fromB64url(r.authenticatorData),
    signature: fromB64url(r.signature),
    userHandle: r.userHandle === undefined ? null : fromB64url(r.userHandle),
  }));
  defineProperties(response, { toJSON: method(() => structuredCopy(r)) });
  return credential(json, response);
}

function credential(json: RegistrationResponseJSON | AuthenticationResponseJSON, response: AuthenticatorResponse): PublicKeyCredential {
  const cred = create(PKC.prototype) as PublicKeyCredential;
  defineProperties(cred, readonly({
    id: json.id,
    rawId: fromB64url(json.rawId),
    type: 'public-key',
    authenticatorAttachment: json.authenticatorAttachment,
    response,
  }));
  defineProperties(cred, {
    getClientExtensionResults: method(extensionResults(json.clientExtensionResults)),
    // https://w3c.github.io/webauthn/#dom-publickeycredential-tojson
    toJSON: method(() => structuredCopy(json)),
  });
  return cred;
}
