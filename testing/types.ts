// The types of the fixture's public calls, written out here so that the package's .d.ts files stand
// alone (a suite that installs @latchkey/testing has none of Latchkey's sources). They mirror the
// background's own types; testing/types.check.ts fails the type-check when the two drift apart.

/** How a ceremony is answered when no person clicks. */
export type ScriptedAnswer =
  | { kind: 'save' }
  | { kind: 'hand-over' }
  | { kind: 'cancel' }
  /** Sign in with the passkey of this user name (or credential id); the first match when neither is given. */
  | { kind: 'account'; userName?: string; credentialId?: string };

/** A passkey added from a known private key (latchkey.addPasskey). */
export interface ImportPasskey {
  rpId: string;
  /** base64url */
  credentialId: string;
  /** base64url, 1 to 64 bytes */
  userHandle: string;
  userName: string;
  userDisplayName?: string;
  /**
   * The private key, base64url. ES256 (the default): PKCS#8 DER (as the DevTools virtual
   * authenticator gives it) or the raw 32-byte P-256 scalar. EdDSA (`alg: -8`): PKCS#8 DER with the
   * OID 1.3.101.112 (RFC 8410) or the raw 32-byte seed.
   */
  privateKey: string;
  /** The key's COSE algorithm: -7 (ES256, the default) or -8 (EdDSA with Ed25519). */
  alg?: -7 | -8;
  /** The key's signature counter so far (the relying party rejects a counter that goes back). */
  signCount?: number;
}

/** What Latchkey holds for one passkey (never the private key). */
export interface PasskeySummary {
  /** base64url */
  credentialId: string;
  rpId: string;
  /** base64url */
  userHandle: string;
  userName: string;
  userDisplayName: string;
  /** COSE algorithm: -7 (ES256) or -8 (EdDSA, Ed25519). */
  alg: number;
  /** base64url: the 65-byte uncompressed P-256 point (-7) or the 32-byte Ed25519 key (-8). */
  publicKey: string;
  backupEligible: boolean;
  backupState: boolean;
  signCount: number;
  /** ms since the epoch */
  createdAt: number;
  lastUsedAt: number | null;
  /** The name the person gave it, or null. */
  label: string | null;
  /** Set when the site signalled that it no longer accepts this passkey (it is kept, not offered). */
  hidden: { at: number; by: 'unknown' | 'not-accepted' } | null;
}

/** The last ceremony and how it ended: names, ids and outcome only. */
export interface LastCeremony {
  op: 'create' | 'get';
  rpId: string;
  origin: string;
  userName: string | null;
  credentialId: string | null;
  /** 'created' | 'asserted' | 'handover' | the DOMException name | 'dropped' (the page went away). */
  outcome: string;
  /** The UV flag in the authenticator data, when Latchkey answered. */
  userVerified: boolean | null;
  /** How it was answered: the person in the window, or automation. */
  answeredBy: 'window' | 'automation' | 'upgrade' | 'none';
  /** ms since the epoch */
  at: number;
}

/** The person's settings. */
export interface Settings {
  /** Lock after this many minutes without use; 0 = only when the browser restarts. */
  autoLockMinutes: number;
  /** User verification counts this many seconds after the PIN was entered. */
  uvGraceSeconds: number;
  /** Sites (RP IDs) where Latchkey always hands the request to the browser, with no window. */
  handoverSites: string[];
  /** Passkey upgrades (create() with mediation "conditional") saved without a window after a password sign-in. */
  passkeyUpgrades: boolean;
  /** Sites where passkey upgrades are off. */
  noUpgradeSites: string[];
  /** Chrome: also answer the calls that go past the page script (webAuthenticationProxy). */
  interceptAll: boolean;
}
