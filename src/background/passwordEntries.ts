// When the person last entered a password, by tab and origin: the evidence that a passkey upgrade
// (conditional create, src/background/passkeyUpgrade.ts) follows a sign-in the client saw
// (§5.1.3: "If the user agent has not recently mediated an authentication ... or the origin of said
// authentication is not callerOrigin ..."). The bridge reports a trusted password input
// (src/content/passwordEntry.ts); the tab and origin come from the message's sender, never from the
// page. Kept in storage.session (gone at browser restart; content scripts have no access to it),
// at most MAX_ENTRIES, each for RECENT_SIGN_IN_MS. Nothing else about the password is known here.
import type Browser from 'webextension-polyfill';
import { browser } from '../browser.cjs';
import { isServedOrigin } from '../client/checkRpId';
import { RECENT_SIGN_IN_MS } from '../client/passkeyUpgrade';
import { PASSWORD_ENTERED } from '../messages/protocol';
import { senderOrigin } from './senderOrigin';

const KEY = 'latchkey.passwordEntries';
const MAX_ENTRIES = 64;
type Entries = Record<string, number>;

const keyOf = (tabId: number, origin: string) => `${tabId} ${origin}`;

export function isPasswordEntered(msg: unknown): boolean {
  return typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === PASSWORD_ENTERED;
}

async function read(): Promise<Entries> {
  const got = (await browser.storage.session.get(KEY))[KEY];
  return got && typeof got === 'object' ? (got as Entries) : {};
}

/** Records a report from a page's bridge. Only a content script in a tab of a page Latchkey serves counts. */
export async function recordPasswordEntry(sender: Browser.Runtime.MessageSender, now = Date.now()): Promise<void> {
  const origin = senderOrigin(sender);
  const tabId = sender.tab?.id;
  if (sender.id !== browser.runtime.id || tabId === undefined || !origin || !isServedOrigin(origin)) return;
  const entries = await read();
  for (const [k, at] of Object.entries(entries)) if (now - at > RECENT_SIGN_IN_MS || at > now) delete entries[k];
  entries[keyOf(tabId, origin)] = now;
  const keys = Object.keys(entries);
  // Oldest first out when full.
  if (keys.length > MAX_ENTRIES) for (const k of keys.sort((a, b) => entries[a]! - entries[b]!).slice(0, keys.length - MAX_ENTRIES)) delete entries[k];
  await browser.storage.session.set({ [KEY]: entries });
}

/** When a password was last entered on `origin` in tab `tabId`, or null. */
export async function passwordEnteredAt(tabId: number, origin: string): Promise<number | null> {
  return (await read())[keyOf(tabId, origin)] ?? null;
}

/** After an upgrade the evidence is used up: one password sign-in, at most one passkey upgrade. */
export async function forgetPasswordEntry(tabId: number, origin: string): Promise<void> {
  const entries = await read();
  if (!(keyOf(tabId, origin) in entries)) return;
  delete entries[keyOf(tabId, origin)];
  await browser.storage.session.set({ [KEY]: entries });
}
