/**
 * The only module that calls @simplewebauthn/server: options for both ceremonies and the checks
 * of their results. It knows nothing of HTTP or of the store's file.
 *
 * Verification always passes expectedRPID (the library skips the RP ID hash check at registration
 * without it) and requireUserVerification: false (the options ask for UV as 'preferred' only, so a
 * response without UV is valid), and reports the UV flag so the site can record and show it.
 */
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { decodeCredentialPublicKey, isoBase64URL } from '@simplewebauthn/server/helpers';

/** COSE key map label of the algorithm (RFC 9052 section 7.1); the package does not export COSEKEYS. */
const COSE_ALG = 3;

export const RP_NAME = 'Latchkey Demo';
/** How long a ceremony may take; the page uses the same limit for its own timeout. */
export const CEREMONY_TIMEOUT_MS = 60_000;

/** Where the ceremony happens: derived from the request's Host header. */
export interface RelyingParty {
  rpID: string;
  origin: string;
}

export function registrationOptions(o: {
  rp: RelyingParty;
  userId: string;
  email: string;
  exclude: { id: string; transports: string[] }[];
  /** "direct" when the organisation's policy enforces attestation (policy.ts). */
  attestation?: 'none' | 'direct';
}): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: o.rp.rpID,
    userID: isoBase64URL.toBuffer(o.userId),
    userName: o.email,
    userDisplayName: o.email,
    timeout: CEREMONY_TIMEOUT_MS,
    attestationType: o.attestation ?? 'none',
    excludeCredentials: o.exclude,
    authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
  });
}

/** What the site keeps of a newly registered passkey. */
export interface NewPasskey {
  id: string;
  publicKey: string;
  counter: number;
  transports: string[];
  uv: boolean;
  backupEligible: boolean;
  backedUp: boolean;
  aaguid: string;
  algorithm: number | null;
  /** The attestation statement format (§8): "none" from a provider that does not attest. */
  fmt: string;
}

/** Throws (with the library's message) when the response does not verify. */
export async function verifyRegistration(o: {
  rp: RelyingParty;
  response: RegistrationResponseJSON;
  expectedChallenge: string;
}): Promise<NewPasskey> {
  const result = await verifyRegistrationResponse({
    response: o.response,
    expectedChallenge: o.expectedChallenge,
    expectedOrigin: o.rp.origin,
    expectedRPID: o.rp.rpID,
    requireUserVerification: false,
  });
  if (!result.verified) throw new Error('Registration response did not verify');
  const info = result.registrationInfo;
  const alg = (decodeCredentialPublicKey(info.credential.publicKey) as Map<number, unknown>).get(COSE_ALG);
  return {
    id: info.credential.id,
    publicKey: isoBase64URL.fromBuffer(info.credential.publicKey),
    counter: info.credential.counter,
    // The library copies response.transports into the credential when present.
    transports: info.credential.transports ?? [],
    uv: info.userVerified,
    backupEligible: info.credentialDeviceType === 'multiDevice',
    backedUp: info.credentialBackedUp,
    aaguid: info.aaguid,
    algorithm: typeof alg === 'number' ? alg : null,
    fmt: info.fmt,
  };
}

/** Discoverable-credential sign-in: no allowCredentials, the authenticator offers its passkeys. */
export function authenticationOptions(rp: RelyingParty): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return generateAuthenticationOptions({
    rpID: rp.rpID,
    timeout: CEREMONY_TIMEOUT_MS,
    userVerification: 'preferred',
  });
}

export async function verifyAuthentication(o: {
  rp: RelyingParty;
  response: AuthenticationResponseJSON;
  expectedChallenge: string;
  passkey: { id: string; publicKey: string; counter: number; transports: string[] };
}): Promise<{ newCounter: number; uv: boolean; backupEligible: boolean; backedUp: boolean }> {
  const result = await verifyAuthenticationResponse({
    response: o.response,
    expectedChallenge: o.expectedChallenge,
    expectedOrigin: o.rp.origin,
    expectedRPID: o.rp.rpID,
    credential: {
      id: o.passkey.id,
      publicKey: isoBase64URL.toBuffer(o.passkey.publicKey),
      counter: o.passkey.counter,
      transports: o.passkey.transports,
    },
    requireUserVerification: false,
  });
  if (!result.verified) throw new Error('Authentication response did not verify');
  const info = result.authenticationInfo;
  return {
    newCounter: info.newCounter,
    uv: info.userVerified,
    backupEligible: info.credentialDeviceType === 'multiDevice',
    backedUp: info.credentialBackedUp,
  };
}
