// The unlocked state. It lives in storage.session: kept in memory by the browser, readable only by
// the extension's own pages and workers, kept while the service worker is stopped and restarted,
// and gone when the browser restarts (DESIGN: "Keys and storage").
import browser from 'webextension-polyfill';
import { fromBase64url, toBase64url } from '../core/base64url';

const KEY = 'latchkey.session';
/** User verification counts for this long after the PIN was entered (DESIGN: grace period). */
export const UV_GRACE_MS = 2 * 60 * 1000;

interface Stored { vaultKey: string; pinAt: number }

export async function readSession(): Promise<{ vaultKey: Uint8Array; pinAt: number } | null> {
  const got = (await browser.storage.session.get(KEY))[KEY] as Stored | undefined;
  if (!got || typeof got.vaultKey !== 'string') return null;
  return { vaultKey: fromBase64url(got.vaultKey), pinAt: got.pinAt };
}

export async function startSession(vaultKey: Uint8Array, pinAt: number): Promise<void> {
  await browser.storage.session.set({ [KEY]: { vaultKey: toBase64url(vaultKey), pinAt } satisfies Stored });
}

export async function endSession(): Promise<void> {
  await browser.storage.session.remove(KEY);
}
