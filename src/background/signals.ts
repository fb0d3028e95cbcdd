// The WebAuthn L3 signal methods (§5.1.10, https://w3c.github.io/webauthn/#sctn-signal-methods) as
// Latchkey's client and authenticator run them. main-world.ts already converted the options and
// refused bad base64url with a TypeError; the checks that need trust happen here: the caller's
// origin comes from the port's sender, never from the message, and the RP ID is checked against it
// (§5.1.10.1, SecurityError). The page then hears only that its options were well formed: the
// answer goes out before the vault is touched, so neither the answer nor its timing says whether
// Latchkey holds a passkey for the site (the spec's Note: signal methods "intentionally avoid
// waiting for authenticators"). No window is shown. None of this needs the vault unlocked: names,
// ids and the hidden mark are not encrypted (only private keys are).
import type browser from 'webextension-polyfill';
import { checkSignal, type SignalAction } from '../client/checkSignal';
import type { CeremonyResult, SignalRequest } from '../messages/protocol';
import type { Reply } from './ceremonies';
import { signalOrigin } from '../client/judgeFrame';
import { senderOrigin } from './senderOrigin';
import { vault } from './vaultInstance';

/** The authenticator actions (§5.1.10.2-4) on Latchkey's vault, each one transaction. */
export async function act(a: SignalAction, now: number): Promise<void> {
  const v = await vault();
  switch (a.op) {
    // unknownCredentialId: hidden, not removed (the caller need not be signed in; see Vault.hideUnknownCredential).
    case 'signalUnknownCredential': await v.hideUnknownCredential(a.rpId, a.credentialId, now); return;
    // allAcceptedCredentialIds: hide what is left out, show again what is listed.
    case 'signalAllAcceptedCredentials': await v.applyAcceptedCredentials(a.rpId, a.userHandle, a.acceptedIds, now); return;
    // currentUserDetails: the site's current user name and display name.
    case 'signalCurrentUserDetails': await v.updateUserDetails(a.rpId, a.userHandle, a.name, a.displayName);
  }
}

/** One signal from a page, on the ceremony port the bridge opened for it (requests.ts dispatches). */
export async function onSignal(port: browser.Runtime.Port, reply: Reply, s: SignalRequest, selfOrigin: string): Promise<void> {
  // Firefox names the sender by URL only: a sandboxed frame must not pass as the site (signalOrigin).
  // §5.1.10.1 step 1: the effective domain of an opaque origin is null, not a valid domain:
  // SecurityError (checkSignal answers so for a null origin), and no authenticator action.
  const origin = signalOrigin(port.sender ? senderOrigin(port.sender) : null, selfOrigin);
  const checked = checkSignal(origin, s);
  // 'handover': valid; the page resolves with undefined and hands the call to the browser's own method.
  const answer: CeremonyResult = checked.ok ? { status: 'handover' } : checked.result;
  try { reply.post({ kind: 'result', result: answer }); } catch { /* the page went away: act all the same */ }
  if (!checked.ok) return;
  try {
    await act(checked.action, Date.now());
  } catch {
    // Opportunistic by design (§5.1.10: "Clients provide this functionality opportunistically"):
    // a vault that cannot be opened or written now is left as it was; the page already has its answer.
  }
}
