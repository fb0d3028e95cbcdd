// Where the naming grants live (see namingGrant.ts): storage.session, so a grant survives the
// service worker stopping while the person types, and is gone when the browser closes.
import { browser } from '../browser.cjs';
import type { StepAnswer } from '../messages/protocol';
import { checkGrant, labelFor, type NamingGrant } from './namingGrant';
import { vault } from './vaultInstance';

const PREFIX = 'latchkey.naming.';

export async function grantNaming(g: NamingGrant): Promise<void> {
  // Grants left by windows that were closed without naming: dropped once stale.
  const all = await browser.storage.session.get(null);
  const stale = Object.entries(all).filter(([k, v]) => k.startsWith(PREFIX) && (v as NamingGrant).until < Date.now()).map(([k]) => k);
  if (stale.length) await browser.storage.session.remove(stale);
  await browser.storage.session.set({ [PREFIX + g.ceremonyId]: g });
}

/** Renames the passkey the ceremony `ceremonyId` created, if its grant allows it; one name, then the grant is used up. */
export async function nameSavedPasskey(ceremonyId: string, typed: string, windowId: number | undefined): Promise<StepAnswer> {
  const key = PREFIX + ceremonyId;
  const grant = (await browser.storage.session.get(key))[key] as NamingGrant | undefined;
  const check = checkGrant(grant, { ceremonyId, windowId, now: Date.now() });
  if (!check.ok) return grant ? { next: 'saved', rpId: grant.rpId, suggestedName: typed, error: check.reason } : { next: 'error', message: check.reason };
  const label = labelFor(typed, check.grant);
  if (label !== null) {
    try {
      await (await vault()).renamePasskey(check.grant.credentialId, label);
    } catch (e) {
      // Too long, or the passkey was deleted meanwhile: say so and let the person try another name.
      return { next: 'saved', rpId: check.grant.rpId, suggestedName: typed, error: (e as Error).message };
    }
  }
  await browser.storage.session.remove(key);
  return { next: 'done' };
}
