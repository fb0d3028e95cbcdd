// The background entry: Chrome runs it as the service worker, Firefox as an event page.
// Listeners are registered synchronously at start, as MV3 requires for events to wake the worker.
import type Browser from 'webextension-polyfill';
import { browser } from '../browser.cjs';
import { CEREMONY_PORT, WINDOW_PORT } from '../messages/protocol';
import { findByWindow, NOT_ALLOWED, settleError } from './ceremonies';
import { callAutomation, exposeAutomationGlobal, isFromAutomationPage, prefetchAutomationState } from './automation';
import { isAllowedFromActionPopup, isFromManagePage, onManageMessage } from './manage';
import { isFromAutofillFrame, onAutofillMessage } from './conditional';
import { onCeremonyPort } from './requests';
import { listenForAutoLock, readSession } from './session';
import { readSettings } from './settings';
import { isAllowedSyncSender, listenForSync, onSyncMessage, syncSoon } from './sync';
import { isSyncRequest } from '../messages/sync';
import { vault } from './vaultInstance';
import { onRuntimeMessage } from './windowMessages';

const CHANGES_VAULT = new Set(['manage/rename', 'manage/delete', 'manage/unhide', 'manage/import', 'manage/settings']);

browser.runtime.onConnect.addListener((port) => {
  if (port.name === CEREMONY_PORT && port.sender?.tab) onCeremonyPort(port);
  else if (port.name === WINDOW_PORT && port.sender?.url?.startsWith(browser.runtime.getURL(''))) {
    port.onMessage.addListener(() => { /* a ping: receiving it is the point */ });
  } else port.disconnect();
});

browser.runtime.onMessage.addListener((msg: unknown, sender: Browser.Runtime.MessageSender) => {
  if (isFromAutomationPage(sender)) return onAutomationMessage(msg);
  if (isFromAutofillFrame(sender)) return onAutofillMessage(msg, sender);
  if (isSyncRequest(msg)) return isAllowedSyncSender(sender, msg) ? onSyncMessage(msg) : Promise.resolve({ ok: false, error: 'Unknown request.' });
  if (isFromManagePage(sender) || isAllowedFromActionPopup(sender, msg)) {
    // A change made on the manage page goes to the other devices a moment later (sync, when on).
    return onManageMessage(msg).finally(() => { if (CHANGES_VAULT.has((msg as { type?: string }).type ?? '')) syncSoon(); });
  }
  return onRuntimeMessage(msg, sender);
});

exposeAutomationGlobal();
listenForAutoLock();
listenForSync();

// A worker that just started is usually about to run a ceremony (the page's request woke it): read
// what every ceremony needs now, side by side, instead of one after another on its path. Each read
// is cached by its module and followed by storage.onChanged or by this background's own writes.
readSettings().catch(() => {});
readSession().catch(() => {});
prefetchAutomationState();
vault().catch(() => {});

/** Automation calls from the automation page (Firefox's route; see automation.ts). */
async function onAutomationMessage(raw: unknown): Promise<unknown> {
  const m = raw as { type?: unknown; name?: unknown; args?: unknown } | null;
  if (!m || m.type !== 'automation/call' || typeof m.name !== 'string') return { ok: false, error: 'not an automation call' };
  try {
    return { ok: true, value: await callAutomation(m.name, m.args) };
  } catch (e) {
    const err = e as Error;
    return { ok: false, error: err?.message ? `${err.name}: ${err.message}` : String(err?.name ?? e) };
  }
}

// Closing the window counts as Cancel (CONTRACT: the page gets NotAllowedError).
browser.windows.onRemoved.addListener(async (windowId) => {
  const c = await findByWindow(windowId);
  if (c) settleError(c, 'NotAllowedError', NOT_ALLOWED, { closeWindow: false });
});
