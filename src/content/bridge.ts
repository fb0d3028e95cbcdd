// Runs in the extension's isolated world in every frame. It accepts only Latchkey envelopes posted
// by its own window (main-world), and carries them to the background on one runtime port per frame,
// opened at the frame's first ceremony (never at page load: until a page calls create() or get(),
// the bridge only listens). Each message on the port names its request, so one port serves every
// ceremony of the frame; the background learns the caller's origin and frame from the port's
// sender, never from anything in these messages.
//
// Why one port and not one per ceremony: runtime.connect costs a round trip through the browser
// process before the first message (bench/RESULTS.md: 3.1 ms per request with a new port, 1.6 ms
// on an open port, 2.7 ms with runtime.sendMessage).
//
// If the port drops before an answer (Chrome stopped the service worker), the bridge reconnects
// and asks to resume each ceremony by the id the background gave it: the person's window stays
// open and the request goes on (src/background/ceremonies.ts).
import type Browser from 'webextension-polyfill';
import { frameFacts } from './frameFacts';
import { watchPasswordEntry } from './passwordEntry';
import { trackPersonFocus } from './personFocus';
import { CEREMONY_PORT, PAGE_CHANNEL, PASSWORD_ENTERED, type BGEnvelope, type BridgeToPage, type CSEnvelope, type CStoBG, type CeremonyResult, type PageToBridge } from '../messages/protocol';

// Where the person (not the page) put the focus, for the autofill offer injected later (./personFocus.ts).
trackPersonFocus();

/** A request of the page: its number on the port it was last sent on, and the ceremony id once started. */
interface Pending { rid: number; sentOn: Browser.Runtime.Port | null; ceremonyId: string | null; resumes: number }
// runtime.connect and Port behave the same in both browsers, so the bridge uses the browser's own
// object rather than webextension-polyfill (10 KB less in every frame of every page). It is looked
// up only at the first ceremony: touching `chrome.runtime` makes the browser build the extension API
// bindings of this world, work that every page load would otherwise pay (bench/RESULTS.md).
const runtime = () => ((globalThis as { browser?: typeof Browser }).browser ?? (globalThis as unknown as { chrome: typeof Browser }).chrome).runtime;
/** By the page's id of the request. */
const pending = new Map<string, Pending>();
/** The page's id by the port's request id (rids are this bridge's own counter: the page cannot pick them). */
const byRid = new Map<number, string>();
let nextRid = 1;
let port: Browser.Runtime.Port | null = null;
const MAX_RESUMES = 3;
const NOT_ALLOWED: CeremonyResult = { status: 'error', name: 'NotAllowedError', message: 'The operation either timed out or was not allowed.' };

function answer(id: string, result: CeremonyResult): void {
  const p = pending.get(id);
  if (!p) return;
  pending.delete(id);
  byRid.delete(p.rid);
  const msg: BridgeToPage = { channel: PAGE_CHANNEL, dir: 'to-page', id, result };
  window.postMessage(msg, '*');
}

/** The frame's port, opened on first use and again after the background dropped it. */
function openPort(): Browser.Runtime.Port {
  if (port) return port;
  const p = runtime().connect({ name: CEREMONY_PORT });
  port = p;
  p.onMessage.addListener((m: unknown) => {
    const env = m as BGEnvelope;
    const id = typeof env?.rid === 'number' ? byRid.get(env.rid) : undefined;
    const msg = env?.msg;
    if (id === undefined || !msg) return;
    if (msg.kind === 'started' && typeof msg.ceremonyId === 'string') { const q = pending.get(id); if (q) { q.ceremonyId = msg.ceremonyId; q.resumes = 0; } }
    else if (msg.kind === 'result') answer(id, msg.result);
  });
  p.onDisconnect.addListener(() => {
    if (port === p) port = null;
    // The background went away without answering these: resume those it had started.
    for (const [id, q] of [...pending]) {
      if (q.sentOn !== p) continue; // already sent again on a newer port
      byRid.delete(q.rid);
      if (q.ceremonyId && q.resumes < MAX_RESUMES) {
        q.resumes++;
        q.rid = 0; // no live request on any port until the resume is sent
        q.sentOn = null;
        setTimeout(() => { if (pending.get(id) === q) send(id, q, { kind: 'resume', ceremonyId: q.ceremonyId! }); }, 50 * q.resumes);
      } else {
        answer(id, NOT_ALLOWED);
      }
    }
  });
  return p;
}

function send(id: string, q: Pending, msg: CStoBG): void {
  q.rid = nextRid++;
  byRid.set(q.rid, id);
  const env: CSEnvelope = { rid: q.rid, msg };
  try {
    q.sentOn = openPort();
    q.sentOn.postMessage(env);
  } catch {
    // The port died between its disconnect event and now: one fresh port, then give up.
    port = null;
    try { q.sentOn = openPort(); q.sentOn.postMessage(env); } catch { answer(id, NOT_ALLOWED); }
  }
}

window.addEventListener('message', (e: MessageEvent) => {
  if (e.source !== window) return;
  const d = e.data as PageToBridge | undefined;
  if (!d || typeof d !== 'object' || d.channel !== PAGE_CHANNEL || d.dir !== 'to-bridge' || typeof d.id !== 'string') return;
  if (d.kind === 'abort') {
    const q = pending.get(d.id);
    if (!q) return;
    pending.delete(d.id);
    byRid.delete(q.rid);
    if (q.sentOn && q.rid) try { q.sentOn.postMessage({ rid: q.rid, msg: { kind: 'abort' } } satisfies CSEnvelope); } catch { /* gone */ }
    return;
  }
  if ((d.kind !== 'request' && d.kind !== 'signal') || pending.has(d.id)) return;
  const q: Pending = { rid: 0, sentOn: null, ceremonyId: null, resumes: 0 };
  pending.set(d.id, q);
  send(d.id, q, d.kind === 'request' ? { kind: 'request', request: d.request, facts: frameFacts(d.request) } : { kind: 'signal', signal: d.signal, origin: self.origin });
});

// A password entered by the person on this frame's origin: the evidence a passkey upgrade needs
// (./passwordEntry.ts). One short message; the background takes origin and tab from its sender.
watchPasswordEntry(() => {
  try { void runtime().sendMessage({ type: PASSWORD_ENTERED }).catch(() => {}); } catch { /* the extension went away */ }
});
