// The quiet notice after a passkey upgrade (passkeyUpgrade.ts): "Latchkey saved a passkey for
// <site>", with Undo (deletes that passkey) and "Not for this site" (upgrades off for the RP ID).
// Shown in the tab's top frame as an extension page (notice/notice.html, web accessible) inside a
// closed shadow root (src/content/upgradeNotice.ts), like the autofill offer: the page cannot read
// or click into it. The frame knows only a random token; what it may do with it is decided here.
import type Browser from 'webextension-polyfill';
import { browser } from '../browser.cjs';
import type { NoticeAnswer, NoticeMessage, NoticeView } from '../messages/notice';
import { readSettings, updateSettings } from './settings';
import { vault } from './vaultInstance';

export const NOTICE_PAGE = 'notice/notice.html';
/** The script injected into the tab's top frame (built from src/content/upgradeNotice.ts). */
export const NOTICE_SCRIPT = 'upgrade-notice.js';
const PREFIX = 'latchkey.notice.';
/** Undo stays possible this long (the notice itself goes away sooner; the toolbar keeps nothing). */
const UNDO_MS = 2 * 60_000;

interface Notice { token: string; tabId: number; rpId: string; credentialId: string; userName: string; until: number }


function newToken(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export async function showUpgradeNotice(o: { tabId: number; rpId: string; credentialId: string; userName: string }): Promise<void> {
  const n: Notice = { ...o, token: newToken(), until: Date.now() + UNDO_MS };
  // storage.session: a worker stopped while the notice is up still knows what Undo means.
  await browser.storage.session.set({ [PREFIX + n.token]: n });
  const target = { tabId: n.tabId, frameIds: [0] };
  try {
    await browser.scripting.executeScript({ target, files: [NOTICE_SCRIPT] });
    await browser.scripting.executeScript({
      target,
      func: (token: string) => { (globalThis as { latchkeyNotice?: { show(t: string): void } }).latchkeyNotice?.show(token); },
      args: [n.token],
    });
  } catch (e) {
    // The page navigated away at that moment: the passkey stays saved; the manage page lists it.
    console.warn('Latchkey: could not show the passkey upgrade notice:', e);
  }
}

export function isFromNoticeFrame(sender: Browser.Runtime.MessageSender): boolean {
  if (sender.id !== browser.runtime.id || !sender.url || !sender.tab) return false;
  let url: URL;
  try { url = new URL(sender.url); } catch { return false; }
  // As for the autofill frame: Chrome may serve it under a dynamic id, so scheme and path are checked.
  return (url.protocol === 'chrome-extension:' || url.protocol === 'moz-extension:') && url.pathname === `/${NOTICE_PAGE}`;
}

function parse(raw: unknown): NoticeMessage | null {
  const m = raw as Record<string, unknown> | null;
  if (!m || typeof m !== 'object' || typeof m.token !== 'string' || !/^[0-9a-f]{32}$/.test(m.token)) return null;
  if (m.type === 'notice/view' || m.type === 'notice/undo' || m.type === 'notice/not-here') return { type: m.type, token: m.token };
  return null;
}

/** The notice for a token, if it is still current and the asking frame sits in the notice's tab. */
async function noticeFor(token: string, sender: Browser.Runtime.MessageSender): Promise<Notice | null> {
  const n = (await browser.storage.session.get(PREFIX + token))[PREFIX + token] as Notice | undefined;
  if (!n || n.until < Date.now() || sender.tab?.id !== n.tabId) return null;
  return n;
}

export async function onNoticeMessage(raw: unknown, sender: Browser.Runtime.MessageSender): Promise<NoticeView | NoticeAnswer | null> {
  const msg = parse(raw);
  if (!msg) return null;
  const n = await noticeFor(msg.token, sender);
  if (msg.type === 'notice/view') return n ? { rpId: n.rpId, userName: n.userName } : null;
  if (!n) return { ok: false, message: 'This notice has expired. The passkey is on the manage page.' };
  if (msg.type === 'notice/undo') {
    try {
      await (await vault()).deletePasskey(n.credentialId);
    } catch {
      return { ok: false, message: 'Latchkey could not remove the passkey. Remove it on the manage page.' };
    }
    await browser.storage.session.remove(PREFIX + n.token);
    return { ok: true };
  }
  const s = await readSettings();
  if (!s.noUpgradeSites.includes(n.rpId)) await updateSettings({ noUpgradeSites: [...s.noUpgradeSites, n.rpId] });
  return { ok: true };
}
