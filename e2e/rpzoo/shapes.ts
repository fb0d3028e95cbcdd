// The RP zoo: the exact option shapes that popular relying-party libraries send to
// navigator.credentials.create() / get(), by default and in documented variants. Each shape is the
// JSON a site's page receives (binary members base64url, as the libraries serialise them); the page
// decodes only the binary members (challenge, user.id, credential ids) and passes everything else
// through untouched, as @github/webauthn-json and the libraries' own browser helpers do.
//
// SimpleWebAuthn's shapes are made by @simplewebauthn/server itself (the installed version). The
// others are written from the libraries' sources, read for this (defaults as of their main branches):
// - py_webauthn: webauthn/registration/generate_registration_options.py (algorithms -7, -8, -36, -37,
//   -38, -39, -257, -258, -259; timeout 60000; attestation "none"; no authenticatorSelection unless
//   given; user_id 64 random bytes), generate_authentication_options (allowCredentials [] by
//   default, userVerification "preferred");
// - java-webauthn-server (Yubico): RelyingParty.startRegistration (pubKeyCredParams ES256, EdDSA,
//   ES384, ES512, RS256, RS384, RS512; attestation and authenticatorSelection absent unless set;
//   extensions credProps, and appidExclude when an AppID is configured), startAssertion (appid when
//   configured; userVerification absent unless set);
// - webauthn-rs 0.5 passkeys: ES256 then RS256; residentKey "discouraged", userVerification
//   "required"; credProtect "userVerificationRequired" not enforced, uvm, credProps; timeout 5 min;
//   16-byte (UUID) user ids; allowCredentials without transports;
// - go-webauthn: defaultRegistrationCredentialParameters (ES256, ES384, ES512, RS256, RS384, RS512,
//   PS256, PS384, PS512, EdDSA), requireResidentKey false, userVerification "preferred", 5 min;
//   allowCredentials with the stored transports;
// - fido2-net-lib: ES256 first, EdDSA and RS256 late; residentKey "discouraged"; its demo sends
//   extensions exts and uvm;
// - Spring Security 6.4 (Webauthn4JRelyingPartyOperations): EdDSA, ES256, RS256; residentKey
//   "required", userVerification "preferred"; credProps; 5 min; allowCredentials with the stored
//   transports.
import { generateAuthenticationOptions, generateRegistrationOptions } from '@simplewebauthn/server';
import { randomBytes } from 'node:crypto';

export type Json = Record<string, unknown>;
export type Verifier = 'simplewebauthn' | 'python-fido2' | 'webauthn-ruby';

export interface Shape {
  id: string;
  library: string;
  /** What this shape is: "default" or the documented variant. */
  variant: string;
  /** PublicKeyCredentialCreationOptions as JSON (the page decodes the binary members). */
  create(rpId: string): Promise<Json>;
  /** PublicKeyCredentialRequestOptions as JSON, given the credential id Latchkey made (base64url). */
  get(rpId: string, credentialId: string): Promise<Json>;
}

const b64u = (b: Uint8Array | Buffer) => Buffer.from(b).toString('base64url');
const challenge = (n = 32) => b64u(randomBytes(n));
const userId = (n: number) => b64u(randomBytes(n));
const params = (...algs: number[]) => algs.map((alg) => ({ type: 'public-key', alg }));
const user = (n: number, name: string) => ({ id: userId(n), name, displayName: name });
/** Another authenticator's credential id, at the largest length §5.8.3 allows (1023 bytes). */
const foreign1023 = () => b64u(randomBytes(1023));

export const SHAPES: readonly Shape[] = [
  {
    id: 'simplewebauthn-default', library: 'SimpleWebAuthn', variant: 'default (generateRegistrationOptions / generateAuthenticationOptions)',
    create: async (rpID) => (await generateRegistrationOptions({ rpName: 'Zoo', rpID, userName: 'swa@zoo.test' })) as unknown as Json,
    get: async (rpID) => (await generateAuthenticationOptions({ rpID })) as unknown as Json,
  },
  {
    id: 'simplewebauthn-allow-wrong-transports', library: 'SimpleWebAuthn', variant: 'allowCredentials with transports ["usb","nfc","ble"] (a hard-coded list)',
    create: async (rpID) => (await generateRegistrationOptions({ rpName: 'Zoo', rpID, userName: 'swa-t@zoo.test', attestationType: 'none' })) as unknown as Json,
    get: async (rpID, id) => (await generateAuthenticationOptions({ rpID, allowCredentials: [{ id, transports: ['usb', 'nfc', 'ble'] }], userVerification: 'required' })) as unknown as Json,
  },
  {
    id: 'simplewebauthn-local-device', library: 'SimpleWebAuthn', variant: 'preferredAuthenticatorType "localDevice" (hints client-device), ES256 only, direct attestation',
    create: async (rpID) => (await generateRegistrationOptions({ rpName: 'Zoo', rpID, userName: 'swa-l@zoo.test', preferredAuthenticatorType: 'localDevice', supportedAlgorithmIDs: [-7], attestationType: 'direct' })) as unknown as Json,
    get: async (rpID, id) => (await generateAuthenticationOptions({ rpID, allowCredentials: [{ id, transports: [] }], userVerification: 'discouraged' })) as unknown as Json,
  },
  {
    id: 'py_webauthn-default', library: 'py_webauthn', variant: 'default (64-byte user id and challenge, no authenticatorSelection)',
    create: async (rpId) => ({ rp: { id: rpId, name: 'Zoo' }, user: user(64, 'py@zoo.test'), challenge: challenge(64),
      pubKeyCredParams: params(-7, -8, -36, -37, -38, -39, -257, -258, -259), timeout: 60000, excludeCredentials: [], attestation: 'none' }),
    get: async (rpId) => ({ rpId, challenge: challenge(64), timeout: 60000, allowCredentials: [], userVerification: 'preferred' }),
  },
  {
    id: 'py_webauthn-required-rk', library: 'py_webauthn', variant: 'resident_key REQUIRED (requireResidentKey true), attestation DIRECT, UV required, hints',
    create: async (rpId) => ({ rp: { id: rpId, name: 'Zoo' }, user: user(64, 'py-rk@zoo.test'), challenge: challenge(64),
      pubKeyCredParams: params(-7, -257), timeout: 60000, excludeCredentials: [], attestation: 'direct', hints: ['client-device'],
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' } }),
    get: async (rpId, id) => ({ rpId, challenge: challenge(64), timeout: 60000, allowCredentials: [{ type: 'public-key', id, transports: ['internal', 'hybrid'] }], userVerification: 'required' }),
  },
  {
    id: 'java-webauthn-server-default', library: 'java-webauthn-server', variant: 'default (no attestation, no authenticatorSelection, credProps)',
    create: async (rpId) => ({ rp: { id: rpId, name: 'Zoo' }, user: user(32, 'java@zoo.test'), challenge: challenge(32),
      pubKeyCredParams: params(-7, -8, -35, -36, -257, -258, -259), excludeCredentials: [], extensions: { credProps: true } }),
    get: async (rpId, id) => ({ challenge: challenge(32), rpId, allowCredentials: [{ type: 'public-key', id }], extensions: {} }),
  },
  {
    id: 'java-webauthn-server-appid', library: 'java-webauthn-server', variant: 'an AppID configured (appidExclude at create, appid at get), attestation "enterprise"',
    create: async (rpId) => ({ rp: { id: rpId, name: 'Zoo' }, user: user(32, 'java-appid@zoo.test'), challenge: challenge(32),
      pubKeyCredParams: params(-7, -8, -35, -36, -257, -258, -259), excludeCredentials: [], attestation: 'enterprise',
      extensions: { appidExclude: `https://${rpId}`, credProps: true } }),
    get: async (rpId, id) => ({ challenge: challenge(32), rpId, allowCredentials: [{ type: 'public-key', id, transports: ['usb'] }], extensions: { appid: `https://${rpId}` } }),
  },
  {
    id: 'webauthn-rs-passkey', library: 'webauthn-rs', variant: 'start_passkey_registration default (RS256 second, credProtect not enforced, uvm)',
    create: async (rpId) => ({ rp: { id: rpId, name: 'Zoo' }, user: user(16, 'rs@zoo.test'), challenge: challenge(32),
      pubKeyCredParams: params(-7, -257), timeout: 300000, attestation: 'none',
      authenticatorSelection: { residentKey: 'discouraged', requireResidentKey: false, userVerification: 'required' },
      extensions: { credentialProtectionPolicy: 'userVerificationRequired', enforceCredentialProtectionPolicy: false, uvm: true, credProps: true } }),
    get: async (rpId, id) => ({ challenge: challenge(32), timeout: 300000, rpId, allowCredentials: [{ type: 'public-key', id }], userVerification: 'required', extensions: { uvm: true } }),
  },
  {
    id: 'webauthn-rs-discouraged', library: 'webauthn-rs', variant: 'UserVerificationPolicy::Discouraged, RS256 first',
    create: async (rpId) => ({ rp: { id: rpId, name: 'Zoo' }, user: user(16, 'rs-d@zoo.test'), challenge: challenge(32),
      pubKeyCredParams: params(-257, -7), timeout: 300000, attestation: 'none',
      authenticatorSelection: { requireResidentKey: false, userVerification: 'discouraged' } }),
    get: async (rpId, id) => ({ challenge: challenge(32), timeout: 300000, rpId, allowCredentials: [{ type: 'public-key', id }], userVerification: 'discouraged' }),
  },
  {
    id: 'go-webauthn-default', library: 'go-webauthn', variant: 'default (EdDSA last, stored transports in allowCredentials)',
    create: async (rpId) => ({ rp: { id: rpId, name: 'Zoo' }, user: user(64, 'go@zoo.test'), challenge: challenge(32),
      pubKeyCredParams: params(-7, -35, -36, -257, -258, -259, -37, -38, -39, -8), timeout: 300000,
      authenticatorSelection: { requireResidentKey: false, userVerification: 'preferred' }, attestation: 'none' }),
    get: async (rpId, id) => ({ challenge: challenge(32), timeout: 300000, rpId, allowCredentials: [{ type: 'public-key', id, transports: ['internal'] }], userVerification: 'preferred' }),
  },
  {
    id: 'go-webauthn-1023', library: 'go-webauthn', variant: 'allowCredentials naming a 1023-byte id of another authenticator before Latchkey\'s, empty transports',
    create: async (rpId) => ({ rp: { id: rpId, name: 'Zoo' }, user: user(64, 'go-l@zoo.test'), challenge: challenge(32),
      pubKeyCredParams: params(-7, -35, -36, -257, -258, -259, -37, -38, -39, -8), timeout: 300000,
      authenticatorSelection: { requireResidentKey: false, userVerification: 'preferred' }, attestation: 'none' }),
    get: async (rpId, id) => ({ challenge: challenge(32), timeout: 300000, rpId, userVerification: 'preferred',
      allowCredentials: [{ type: 'public-key', id: foreign1023(), transports: ['usb'] }, { type: 'public-key', id, transports: [] }] }),
  },
  {
    id: 'fido2-net-lib-default', library: 'fido2-net-lib', variant: 'default with its demo\'s extensions (exts, uvm)',
    create: async (rpId) => ({ rp: { id: rpId, name: 'Zoo' }, user: user(32, 'net@zoo.test'), challenge: challenge(16),
      pubKeyCredParams: params(-7, -37, -35, -258, -38, -36, -259, -39, -8, -257), timeout: 60000, attestation: 'none',
      authenticatorSelection: { residentKey: 'discouraged', requireResidentKey: false, userVerification: 'preferred' },
      excludeCredentials: [], extensions: { exts: true, uvm: true, credProps: true } }),
    get: async (rpId, id) => ({ challenge: challenge(16), timeout: 60000, rpId, allowCredentials: [{ type: 'public-key', id, transports: ['usb', 'nfc', 'ble', 'hybrid'] }], userVerification: 'preferred', extensions: { exts: true, uvm: true } }),
  },
  {
    id: 'spring-security-default', library: 'Spring Security', variant: 'default (EdDSA first, resident key required)',
    create: async (rpId) => ({ rp: { id: rpId, name: 'Zoo' }, user: user(32, 'spring@zoo.test'), challenge: challenge(32),
      pubKeyCredParams: params(-8, -7, -257), timeout: 300000, attestation: 'none', excludeCredentials: [],
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' }, extensions: { credProps: true } }),
    get: async (rpId, id) => ({ challenge: challenge(32), timeout: 300000, rpId, allowCredentials: [{ type: 'public-key', id, transports: ['internal', 'hybrid'] }], userVerification: 'preferred' }),
  },
  {
    id: 'no-rp-id', library: '(spec default)', variant: 'rp.id and rpId omitted: the caller\'s effective domain (§5.1.3 step 8, §5.1.4.1 step 7)',
    create: async () => ({ rp: { name: 'Zoo' }, user: user(64, 'norp@zoo.test'), challenge: challenge(32), pubKeyCredParams: params(-7) }),
    get: async () => ({ challenge: challenge(32) }),
  },
];

/** The algorithms each verifier can check (webauthn-ruby 2.5.2 has no EdDSA). */
export function verifiersFor(alg: number): Verifier[] {
  return alg === -8 ? ['simplewebauthn', 'python-fido2'] : ['simplewebauthn', 'python-fido2', 'webauthn-ruby'];
}
