// Passkey upgrades: create() with mediation "conditional" (WebAuthn L3 §5.1.3). After the person
// signed in with a password, the site asks for a passkey without a modal. Latchkey saves it without
// a window when the decision of src/client/passkeyUpgrade.ts says so (a password entered on this
// origin in this tab within 5 minutes, the vault unlocked, upgrades on for this site), with user
// presence and user verification false, as §5.1.3 says an authenticator should; then a quiet notice
// in the page says what happened and offers Undo (upgradeNotice.ts). Otherwise the page gets
// NotAllowedError at once, or, where the person turned Latchkey's upgrades off, the browser's own
// conditional create decides (its password manager may upgrade).
import { chooseAlgorithm } from '../client/chooseAlgorithm';
import { decidePasskeyUpgrade } from '../client/passkeyUpgrade';
import { save } from './authenticator';
import { addCeremony, NOT_ALLOWED, type Ceremony, type RequestState } from './ceremonies';
import { forgetPasswordEntry, passwordEnteredAt } from './passwordEntries';
import { readSession } from './session';
import { readSettings } from './settings';
import { showUpgradeNotice } from './upgradeNotice';
import { vault } from './vaultInstance';

export async function startPasskeyUpgrade(c: Ceremony, state: RequestState): Promise<void> {
  if (c.request.op !== 'create') return;
  const o = c.request.options;
  const [settings, session, enteredAt, saved] = await Promise.all([
    readSettings(), readSession(), passwordEnteredAt(c.tabId, c.origin), (await vault()).listByRpId(c.rpId),
  ]);
  const excluded = new Set((o.excludeCredentials ?? []).map((d) => d.id));
  const decision = decidePasskeyUpgrade({
    upgradesOn: settings.passkeyUpgrades,
    siteOff: settings.noUpgradeSites.includes(c.rpId),
    passwordEnteredAt: enteredAt,
    now: Date.now(),
    unlocked: session !== null,
    algorithmSupported: chooseAlgorithm(o.pubKeyCredParams) !== null,
    uvRequired: o.authenticatorSelection?.userVerification === 'required',
    excludedPresent: saved.some((p) => excluded.has(p.credentialId)),
  });
  if (state.gone) return;
  if (decision === 'browser') { c.port?.post({ kind: 'result', result: { status: 'handover' } }); return; }
  if (decision === 'refuse' || !session) {
    c.port?.post({ kind: 'result', result: { status: 'error', name: 'NotAllowedError', message: NOT_ALLOWED } });
    return;
  }
  // Answered within this worker's life without anyone to wait for, as an automatic ceremony is:
  // nothing for a restarted worker to resume (requests.ts).
  addCeremony(c, { stored: false });
  state.ceremony = c;
  c.answeredBy = 'upgrade';
  c.pending = { kind: 'save' };
  // No UV: an upgrade asks for nothing, and a PIN entered earlier was not "collected during the ceremony".
  await save(c, { vaultKey: session.vaultKey, uv: false });
  if (!c.settled) return;
  const made = (await (await vault()).listByRpId(c.rpId)).find((p) => !saved.some((s) => s.credentialId === p.credentialId));
  if (!made) return; // declined inside save (an excluded passkey saved meanwhile)
  // One password sign-in, one upgrade: a second conditional create needs a new sign-in.
  await forgetPasswordEntry(c.tabId, c.origin);
  await showUpgradeNotice({ tabId: c.tabId, rpId: c.rpId, credentialId: made.credentialId, userName: made.userName });
}
