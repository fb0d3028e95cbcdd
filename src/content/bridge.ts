// Runs in the extension's isolated world in every frame. It accepts only Latchkey envelopes posted
// by its own window (main-world), opens one runtime port to the background per ceremony, and posts
// the answer back. The background learns the caller's origin and frame from the port's sender,
// never from anything in these messages.
//
// If the port drops before the answer (Chrome stopped the service worker), the bridge reconnects
// and asks to resume the ceremony by the id the background gave it: the person's window stays
// open and the request goes on (src/background/ceremonies.ts).
import type Browser from 'webextension-polyfill';
import { frameFacts } from './frameFacts';
import { CEREMONY_PORT, PAGE_CHANNEL, type BGtoCS, type BridgeToPage, type CStoBG, type CeremonyResult, type PageToBridge } from '../messages/protocol';

interface Pending { port: Browser.Runtime.Port; ceremonyId: string | null; settled: boolean; resumes: number }
// runtime.connect and Port behave the same in both browsers, so the bridge uses the browser's own
// object rather than webextension-polyfill (10 KB less in every frame of every page).
const runtime = ((globalThis as { browser?: typeof Browser }).browser ?? (globalThis as unknown as { chrome: typeof Browser }).chrome).runtime;
const pending = new Map<string, Pending>();
const MAX_RESUMES = 3;
const NOT_ALLOWED: CeremonyResult = { status: 'error', name: 'NotAllowedError', message: 'The operation either timed out or was not allowed.' };

function answer(id: string, result: CeremonyResult): void {
  const p = pending.get(id);
  if (!p || p.settled) return;
  p.settled = true;
  pending.delete(id);
  const msg: BridgeToPage = { channel: PAGE_CHANNEL, dir: 'to-page', id, result };
  window.postMessage(msg, '*');
  try { p.port.disconnect(); } catch { /* already gone */ }
}

function connect(id: string, first: CStoBG): void {
  const port = runtime.connect({ name: CEREMONY_PORT });
  const p = pending.get(id);
  if (!p) return;
  p.port = port;
  port.onMessage.addListener((m: unknown) => {
    const msg = m as BGtoCS;
    if (msg?.kind === 'started' && typeof msg.ceremonyId === 'string') p.ceremonyId = msg.ceremonyId;
    else if (msg?.kind === 'result') answer(id, msg.result);
  });
  port.onDisconnect.addListener(() => {
    if (p.settled || pending.get(id) !== p) return;
    // The background went away without answering. Resume if it had started the ceremony.
    if (p.ceremonyId && p.resumes < MAX_RESUMES) {
      p.resumes++;
      setTimeout(() => connect(id, { kind: 'resume', ceremonyId: p.ceremonyId! }), 50 * p.resumes);
    } else {
      answer(id, NOT_ALLOWED);
    }
  });
  port.postMessage(first);
}

window.addEventListener('message', (e: MessageEvent) => {
  if (e.source !== window) return;
  const d = e.data as PageToBridge | undefined;
  if (!d || typeof d !== 'object' || d.channel !== PAGE_CHANNEL || d.dir !== 'to-bridge' || typeof d.id !== 'string') return;
  if (d.kind === 'abort') {
    const p = pending.get(d.id);
    if (p) {
      p.settled = true;
      pending.delete(d.id);
      try { p.port.postMessage({ kind: 'abort' } satisfies CStoBG); p.port.disconnect(); } catch { /* gone */ }
    }
    return;
  }
  if (d.kind !== 'request' || pending.has(d.id)) return;
  pending.set(d.id, { port: null as unknown as Browser.Runtime.Port, ceremonyId: null, settled: false, resumes: 0 });
  connect(d.id, { kind: 'request', request: d.request, facts: frameFacts(d.request) });
});
