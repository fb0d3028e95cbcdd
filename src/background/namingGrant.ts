// The naming step after "Save passkey": the window may rename the passkey its ceremony just made,
// and nothing else. The ceremony has already answered the page (the page is not kept waiting for
// a name), so what allows the rename is this grant, checked on every try: the same ceremony id,
// sent from that ceremony's own window, within a few minutes, for the credential id the background
// recorded (the window never names which passkey). Pure: the storage lives in naming.ts.

/** How long after saving the window may still name the passkey. */
export const NAMING_WINDOW_MS = 5 * 60_000;

export interface NamingGrant {
  ceremonyId: string;
  /** The passkey this ceremony created: the only one the grant may rename. */
  credentialId: string;
  rpId: string;
  /** The ceremony window's id: a message from any other window is refused. */
  windowId: number;
  /** Until when (ms since epoch). */
  until: number;
  suggestedName: string;
}

export type GrantCheck = { ok: true; grant: NamingGrant } | { ok: false; reason: string };

export function checkGrant(grant: NamingGrant | undefined, who: { ceremonyId: string; windowId: number | undefined; now: number }): GrantCheck {
  if (!grant || grant.ceremonyId !== who.ceremonyId) return { ok: false, reason: 'There is no new passkey to name here.' };
  if (who.windowId === undefined || who.windowId !== grant.windowId) return { ok: false, reason: 'Only the window that saved the passkey can name it.' };
  if (who.now > grant.until) return { ok: false, reason: 'It is too late to name the passkey here. You can rename it in Manage passkeys.' };
  return { ok: true, grant };
}

/**
 * The name the box starts with: the account's user name, which is what the manage page calls a
 * passkey that has no name of its own (it lists passkeys under their site, so the site would only
 * repeat itself). Then the display name, then the site, for an account with no user name.
 */
export function suggestName(user: { name: string; displayName: string }, rpId: string): string {
  return user.name.trim() || user.displayName.trim() || rpId;
}

/**
 * The label to store for what the person typed: null (no name of its own, so the user name shows)
 * when it is empty or still the suggestion; otherwise the text as typed (the vault trims and
 * checks the length).
 */
export function labelFor(typed: string, grant: Pick<NamingGrant, 'suggestedName'>): string | null {
  const t = typed.trim();
  return t === '' || t === grant.suggestedName.trim() ? null : typed;
}
