// The background entry: Chrome runs it as the service worker, Firefox as an event page.
// Listeners are registered synchronously at start, as MV3 requires for events to wake the worker.
import type Browser from 'webextension-polyfill';
import { browser } from '../browser.cjs';
import { CEREMONY_PORT, WINDOW_PORT } from '../messages/protocol';
import { findByWindow, NOT_ALLOWED, settleError } from './ceremonies';
import { exposeAutomationGlobal, isFromAutomationPage, onAutomationMessage, prefetchAutomationState } from './automation';
import { isAllowedFromActionPopup, isFromManagePage, onManageMessage } from './manage';
import { isFromAutofillFrame, onAutofillMessage } from './conditional';
import { isPasswordEntered, recordPasswordEntry } from './passwordEntries';
import { isFromNoticeFrame, onNoticeMessage } from './upgradeNotice';
import { onCeremonyPort } from './requests';
import { listenForAutoLock, readSession } from './session';
import { onSettingsChange, readSettings } from './settings';
import { setHandoverHook } from './handoverGate';
import { proxyApi, proxyWanted, WebAuthnProxy } from './proxy';
import { start } from './requests';
import { isAllowedSyncSender, listenForSync, onSyncMessage, syncSoon } from './sync';
import { isSyncRequest } from '../messages/sync';
import { vault } from './vaultInstance';
import { onRuntimeMessage } from './windowMessages';

// The manage page's messages that change what sync carries (passkeys, settings); imports are exchange/import (src/background/exchange.ts).
const CHANGES_VAULT = new Set(['manage/rename', 'manage/delete', 'manage/unhide', 'exchange/import', 'manage/settings']);

browser.runtime.onConnect.addListener((port) => {
  if (port.name === CEREMONY_PORT && port.sender?.tab) onCeremonyPort(port);
  else if (port.name === WINDOW_PORT && port.sender?.url?.startsWith(browser.runtime.getURL(''))) {
    port.onMessage.addListener(() => { /* a ping: receiving it is the point */ });
  } else port.disconnect();
});

browser.runtime.onMessage.addListener((msg: unknown, sender: Browser.Runtime.MessageSender) => {
  if (isFromAutomationPage(sender)) return onAutomationMessage(msg);
  if (isFromAutofillFrame(sender)) return onAutofillMessage(msg, sender);
  if (isFromNoticeFrame(sender)) return onNoticeMessage(msg, sender);
  if (isPasswordEntered(msg)) return recordPasswordEntry(sender);
  if (isSyncRequest(msg)) return isAllowedSyncSender(sender, msg) ? onSyncMessage(msg) : Promise.resolve({ ok: false, error: 'Unknown request.' });
  if (isFromManagePage(sender) || isAllowedFromActionPopup(sender, msg)) {
    // A change made on the manage page goes to the other devices a moment later (sync, when on).
    return onManageMessage(msg).finally(() => { if (CHANGES_VAULT.has((msg as { type?: string } | null | undefined)?.type ?? '')) syncSoon(); });
  }
  return onRuntimeMessage(msg, sender);
});

exposeAutomationGlobal();

// Chrome: the webAuthenticationProxy catches the calls that go past main-world's override (proxy.ts).
const proxyApiHere = proxyApi();
if (proxyApiHere) {
  const proxy = new WebAuthnProxy({
    api: proxyApiHere,
    start,
    wanted: proxyWanted,
    async findTab(origin) {
      const tabs = [...await browser.tabs.query({ active: true, lastFocusedWindow: true }), ...await browser.tabs.query({})];
      const t = tabs.find((x) => x.id !== undefined && x.windowId !== undefined && x.url !== undefined && originOf(x.url) === origin);
      return t ? { id: t.id!, windowId: t.windowId!, url: t.url! } : null;
    },
  });
  setHandoverHook(() => proxy.beforeHandover());
  onSettingsChange(() => { void proxy.sync(); });
  void proxy.sync();
}
function originOf(url: string): string | null { try { return new URL(url).origin; } catch { return null; } }
listenForAutoLock();
listenForSync();

// A worker that just started is usually about to run a ceremony (the page's request woke it): read
// what every ceremony needs now, side by side, instead of one after another on its path. Each read
// is cached by its module and followed by storage.onChanged or by this background's own writes.
readSettings().catch(() => {});
readSession().catch(() => {});
prefetchAutomationState();
vault().catch(() => {});

// Closing the window counts as Cancel (CONTRACT: the page gets NotAllowedError).
browser.windows.onRemoved.addListener(async (windowId) => {
  const c = await findByWindow(windowId);
  if (c) settleError(c, 'NotAllowedError', NOT_ALLOWED, { closeWindow: false });
});
