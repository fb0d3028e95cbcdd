// Runs in the extension's isolated world in every frame. It accepts only Latchkey envelopes posted
// by its own window (main-world), opens one runtime port to the background per ceremony, and posts
// the answer back. The background learns the caller's origin and frame from the port's sender,
// never from anything in these messages.
import browser from 'webextension-polyfill';
import { CEREMONY_PORT, PAGE_CHANNEL, type BGtoCS, type BridgeToPage, type CStoBG, type CeremonyResult, type PageToBridge } from '../messages/protocol';

const ports = new Map<string, browser.Runtime.Port>();

function answer(id: string, result: CeremonyResult): void {
  const msg: BridgeToPage = { channel: PAGE_CHANNEL, dir: 'to-page', id, result };
  window.postMessage(msg, '*');
}

window.addEventListener('message', (e: MessageEvent) => {
  if (e.source !== window) return;
  const d = e.data as PageToBridge | undefined;
  if (!d || typeof d !== 'object' || d.channel !== PAGE_CHANNEL || d.dir !== 'to-bridge' || typeof d.id !== 'string') return;
  if (d.kind === 'abort') {
    const port = ports.get(d.id);
    if (port) { port.postMessage({ kind: 'abort' } satisfies CStoBG); ports.delete(d.id); port.disconnect(); }
    return;
  }
  if (d.kind !== 'request' || ports.has(d.id)) return;
  const id = d.id;
  let settled = false;
  const port = browser.runtime.connect({ name: CEREMONY_PORT });
  ports.set(id, port);
  port.onMessage.addListener((m: unknown) => {
    const msg = m as BGtoCS;
    if (settled || msg?.kind !== 'result') return;
    settled = true;
    ports.delete(id);
    answer(id, msg.result);
    port.disconnect();
  });
  port.onDisconnect.addListener(() => {
    ports.delete(id);
    if (settled) return;
    settled = true;
    // The background went away without answering (extension reloaded, or it refused the message).
    answer(id, { status: 'error', name: 'NotAllowedError', message: 'The operation either timed out or was not allowed.' });
  });
  port.postMessage({ kind: 'request', request: d.request } satisfies CStoBG);
});
