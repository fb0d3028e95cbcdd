// The Signal API's authenticator actions (WebAuthn L3 §5.1.10, #sctn-signal-methods).
// Each is one readwrite transaction that reads and writes only through IndexedDB requests (no
// other await inside), so it commits whole or not at all. None needs the vault key: names, ids
// and the hidden mark are stored in the clear; only private keys are sealed. Callers never learn
// from the page's side whether anything matched; the return values are for tests and logs.
import type { VaultContext } from './context.js';
import { PasskeyNotFoundError, VaultInputError } from './errors.js';
import type { PasskeySummary } from './schema.js';
import { toSummary } from './summaries.js';
import { putRow } from './rows.js';
import { checkHandle, checkId, checkRpId, checkTime, commit } from './tx.js';

/**
 * §5.1.10.2 unknownCredentialId action: the passkey with this RP ID and credential id is hidden
 * from future sign-ins ("remove ... or employ an authenticator-specific procedure to hide it").
 * Latchkey hides rather than deletes: the caller need not be signed in, so a mistaken signal
 * (a site's lookup failing, a wrong id) must not cost the person a key for good; the site can list
 * it again (signalAllAcceptedCredentials) or the person can show it again on the manage page.
 * @returns true when a passkey was hidden now (false: none matched, or already hidden).
 */
export async function hideUnknownCredential(ctx: VaultContext, rpId: string, credentialId: string, at: number): Promise<boolean> {
  checkRpId(rpId);
  checkId(credentialId);
  checkTime(at);
  const tx = ctx.passkeysWriteTx();
  const r = await tx.objectStore('passkeys').get(credentialId);
  // "If the credential's rpId equals options.rpId and its id equals ... credentialId".
  if (!r || r.rpId !== rpId || r.hidden) {
    await tx.done;
    return false;
  }
  r.hidden = { at, by: 'unknown' };
  await commit(tx, [putRow(tx, r)]);
  return true;
}

/**
 * §5.1.10.3 allAcceptedCredentialIds action, for every passkey of this RP ID and user handle:
 * one not in `acceptedIds` is hidden (the spec's "hide ... for a period of time instead of
 * permanently removing": a site that left a valid id out by mistake can list it again), and a
 * hidden one that is in `acceptedIds` is shown again ("reverse the action"). Ids are compared as
 * canonical base64url strings, which is how the vault stores them.
 * @returns the credential ids hidden now and shown again now.
 */
export async function applyAcceptedCredentials(
  ctx: VaultContext, rpId: string, userHandle: string, acceptedIds: readonly string[], at: number,
): Promise<{ hidden: string[]; shown: string[] }> {
  checkRpId(rpId);
  checkHandle(userHandle);
  if (!Array.isArray(acceptedIds) || acceptedIds.some((id) => typeof id !== 'string')) throw new VaultInputError('"acceptedIds" must be an array of strings');
  checkTime(at);
  const accepted = new Set(acceptedIds);
  const tx = ctx.passkeysWriteTx();
  const mine = (await tx.objectStore('passkeys').index('rpId').getAll(rpId)).filter((r) => r.userHandle === userHandle);
  const out = { hidden: [] as string[], shown: [] as string[] };
  const writes: Promise<unknown>[] = [];
  for (const r of mine) {
    if (!accepted.has(r.credentialId)) {
      if (r.hidden) continue; // keep the first mark: when and why it was hidden first
      r.hidden = { at, by: 'not-accepted' };
      out.hidden.push(r.credentialId);
    } else if (r.hidden) {
      r.hidden = null;
      out.shown.push(r.credentialId);
    } else {
      continue;
    }
    writes.push(putRow(tx, r));
  }
  await commit(tx, writes);
  return out;
}

/**
 * §5.1.10.4 currentUserDetails action: every passkey of this RP ID and user handle (hidden ones
 * too, so they are right if shown again) takes the site's current user name and display name
 * ("update the credential's otherUI"). The person's own label is theirs and stays.
 * @returns how many passkeys changed.
 */
export async function updateUserDetails(ctx: VaultContext, rpId: string, userHandle: string, name: string, displayName: string): Promise<number> {
  checkRpId(rpId);
  checkHandle(userHandle);
  if (typeof name !== 'string' || typeof displayName !== 'string') throw new VaultInputError('"name" and "displayName" must be strings');
  const tx = ctx.passkeysWriteTx();
  const mine = (await tx.objectStore('passkeys').index('rpId').getAll(rpId)).filter((r) => r.userHandle === userHandle);
  const writes: Promise<unknown>[] = [];
  for (const r of mine) {
    if (r.userName === name && r.userDisplayName === displayName) continue;
    r.userName = name;
    r.userDisplayName = displayName;
    writes.push(putRow(tx, r));
  }
  await commit(tx, writes);
  return writes.length;
}

/**
 * The person shows a hidden passkey again (manage page): it is offered in sign-ins once more.
 * One transaction. @throws PasskeyNotFoundError.
 */
export async function unhidePasskey(ctx: VaultContext, credentialId: string): Promise<PasskeySummary> {
  checkId(credentialId);
  const tx = ctx.passkeysWriteTx();
  const r = await tx.objectStore('passkeys').get(credentialId);
  if (!r) {
    await tx.done;
    throw new PasskeyNotFoundError(credentialId);
  }
  if (r.hidden) {
    r.hidden = null;
    await commit(tx, [putRow(tx, r)]);
  } else {
    await tx.done;
  }
  return toSummary(r);
}
