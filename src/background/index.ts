// The background entry: Chrome runs it as the service worker, Firefox as an event page.
// Listeners are registered synchronously at start, as MV3 requires for events to wake the worker.
import browser from 'webextension-polyfill';
import { CEREMONY_PORT, WINDOW_PORT } from '../messages/protocol';
import { findByWindow, NOT_ALLOWED, settleError } from './ceremonies';
import { onCeremonyPort } from './requests';
import { onRuntimeMessage } from './windowMessages';


browser.runtime.onConnect.addListener((port) => {
  if (port.name === CEREMONY_PORT && port.sender?.tab) onCeremonyPort(port);
  else if (port.name === WINDOW_PORT && port.sender?.url?.startsWith(browser.runtime.getURL(''))) {
    port.onMessage.addListener(() => { /* a ping: receiving it is the point */ });
  } else port.disconnect();
});

browser.runtime.onMessage.addListener((msg: unknown, sender: browser.Runtime.MessageSender) => onRuntimeMessage(msg, sender));

// Closing the window counts as Cancel (CONTRACT: the page gets NotAllowedError).
browser.windows.onRemoved.addListener((windowId) => {
  const c = findByWindow(windowId);
  if (c) settleError(c, 'NotAllowedError', NOT_ALLOWED, { closeWindow: false });
});
