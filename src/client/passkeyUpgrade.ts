// Conditional create ("passkey upgrade"): create() with mediation "conditional" (WebAuthn L3 §5.1.3).
// A site that just signed the person in with a password asks for a passkey without a modal dialog;
// the client creates one only if it has itself recently mediated a sign-in for the caller's origin,
// with no user presence or verification collected ("The authenticator SHOULD set BOTH userPresence
// and userVerification to FALSE ... unless explicitly collected during the ceremony").
// This file decides, from facts the background gathers, what Latchkey does with such a request.
// The flow around it: src/background/passkeyUpgrade.ts.

/** How recent a password sign-in must be for an upgrade: the spec leaves "recently" to the client. */
export const RECENT_SIGN_IN_MS = 5 * 60_000;

export interface UpgradeFacts {
  /** The person's settings: upgrades on, and this RP ID not on the list of sites they turned off. */
  upgradesOn: boolean;
  siteOff: boolean;
  /** When a password was last entered by the person (a trusted input) on the caller's origin in this tab; null if never. */
  passwordEnteredAt: number | null;
  now: number;
  /** The vault is unlocked (an upgrade never asks for the PIN: it must not interrupt). */
  unlocked: boolean;
  /** The site's pubKeyCredParams name an algorithm Latchkey can make. */
  algorithmSupported: boolean;
  /** authenticatorSelection.userVerification is "required": it cannot be met without asking. */
  uvRequired: boolean;
  /** A passkey in excludeCredentials is already in Latchkey. */
  excludedPresent: boolean;
}

/**
 * - 'save': create the passkey silently (UP and UV false), then tell the person quietly, with Undo.
 * - 'browser': not Latchkey's to decide: the person turned Latchkey's upgrades off (everywhere or
 *   for this site) or Latchkey cannot make the algorithm; the browser's own conditional create runs
 *   (its own password manager may upgrade).
 * - 'refuse': NotAllowedError, the answer of §5.1.3 when the client does not create the credential
 *   ("If the user agent has not recently mediated an authentication ... throw a NotAllowedError").
 *   One answer for every such case, so the page learns nothing of what Latchkey holds: a passkey
 *   in excludeCredentials would be InvalidStateError only "after collecting user consent" (§6.3.2
 *   step 3), which an upgrade never collects.
 */
export type UpgradeDecision = 'save' | 'browser' | 'refuse';

export function decidePasskeyUpgrade(f: UpgradeFacts): UpgradeDecision {
  if (!f.upgradesOn || f.siteOff || !f.algorithmSupported) return 'browser';
  const recent = f.passwordEnteredAt !== null && f.now - f.passwordEnteredAt >= 0 && f.now - f.passwordEnteredAt <= RECENT_SIGN_IN_MS;
  if (!recent || !f.unlocked || f.uvRequired || f.excludedPresent) return 'refuse';
  return 'save';
}
