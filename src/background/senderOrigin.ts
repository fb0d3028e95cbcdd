// The origin of whoever sent a runtime message or opened a port, from the browser's own record of
// the sender (never from the message). Its own module because both the ceremony requests
// (requests.ts) and the signals (signals.ts) need it, and requests.ts hands signals to signals.ts.
import type Browser from 'webextension-polyfill';

export function senderOrigin(sender: Browser.Runtime.MessageSender): string | null {
  const withOrigin = sender as { origin?: string };
  if (typeof withOrigin.origin === 'string') return withOrigin.origin; // Chrome
  if (!sender.url) return null;
  try {
    return new URL(sender.url).origin;
  } catch {
    return null;
  } // Firefox gives the URL only
}
