// A page's request arrives on a runtime port from content/bridge. The caller's origin and frame are
// taken from the port's sender, never from the message. The checks that need trust run here
// (frames: permissions policy and activation, src/background/frames.ts; RP ID against the origin
// and the Public Suffix List); then the ceremony window opens.
import type Browser from 'webextension-polyfill';
import { browser } from '../browser.cjs';
import { chooseAlgorithm } from '../client/chooseAlgorithm';
import { checkRpId } from '../client/checkRpId';
import type { BGEnvelope, BGtoCS, FrameFacts } from '../messages/protocol';
import { parseCSEnvelope } from '../messages/validate';
import { candidatesFor } from './authenticator';
import { answerScripted, takeScriptedAnswer } from './automation';
import { addCeremony, drop, findCeremony, newCeremonyId, NOT_ALLOWED, persist, settle, settleError, takeStoredResult, type Ceremony, type Reply, type RequestState } from './ceremonies';
import { closeWindow, openCeremonyWindow } from './ceremonyWindow';
import { startConditional } from './conditional';
import { prepareView } from './windowMessages';
import { frameVerdict } from './frames';
import { readSettings } from './settings';
import { onSignal } from './signals';

/** Timeouts are kept within a sensible range (§5.1.3 step 6, "recommended range"). */
const TIMEOUT = { min: 30_000, default: 300_000, max: 600_000 };

export function senderOrigin(sender: Browser.Runtime.MessageSender): string | null {
  const withOrigin = sender as { origin?: string };
  if (typeof withOrigin.origin === 'string') return withOrigin.origin; // Chrome
  if (!sender.url) return null;
  try { return new URL(sender.url).origin; } catch { return null; } // Firefox gives the URL only
}

/**
 * checkRpId depends only on its two strings and the Public Suffix List built into this worker, so
 * its answer is kept (a page signs in to the same RP ID from the same origin again and again).
 */
const rpIdChecks = new Map<string, ReturnType<typeof checkRpId>>();
function checkRpIdOnce(origin: string, requested: string | undefined): ReturnType<typeof checkRpId> {
  // Unambiguous: an origin (from the port's sender) never holds a line break, and only a given RP ID starts with "=".
  const key = requested === undefined ? `${origin}\n` : `${origin}\n=${requested}`;
  let r = rpIdChecks.get(key);
  if (!r) {
    r = checkRpId(origin, requested);
    if (rpIdChecks.size >= 256) rpIdChecks.delete(rpIdChecks.keys().next().value!);
    rpIdChecks.set(key, r);
  }
  return r;
}

/** One request on a frame's port: its ceremony once started, and whether the page went away. */
/**
 * A frame's port (content/bridge opens one per frame, at its first ceremony). Every message names
 * its request; answers go back with the same number. The port's sender is the frame, for all of them.
 */
export function onCeremonyPort(port: Browser.Runtime.Port): void {
  const requests = new Map<number, RequestState>();
  const end = (state: RequestState) => { state.gone = true; if (state.ceremony) drop(state.ceremony); };
  const endAll = () => { for (const state of requests.values()) end(state); requests.clear(); };
  port.onDisconnect.addListener(endAll);
  port.onMessage.addListener((raw: unknown) => {
    let env;
    try { env = parseCSEnvelope(raw); } catch { endAll(); port.disconnect(); return; }
    const { rid, msg } = env;
    if (msg.kind === 'abort') {
      const state = requests.get(rid);
      if (state) { requests.delete(rid); end(state); }
      return;
    }
    if (requests.has(rid)) return; // one request per number
    const state: RequestState = { ceremony: null, gone: false };
    requests.set(rid, state);
    const reply: Reply = {
      post(m: BGtoCS) {
        if (m.kind === 'result') requests.delete(rid);
        port.postMessage({ rid, msg: m } satisfies BGEnvelope);
      },
    };
    if (msg.kind === 'signal') { void onSignal(port, reply, msg.signal); return; }
    if (msg.kind === 'resume') { resume(port, reply, msg.ceremonyId, state).catch(() => { /* the frame left while its ceremony was looked up: no one to answer */ }); return; }
    start(port, reply, msg.request, msg.facts, state).catch(() => {
      if (state.ceremony) { settleError(state.ceremony, 'UnknownError', 'Latchkey failed to start the ceremony.'); return; }
      try { reply.post({ kind: 'result', result: { status: 'error', name: 'UnknownError', message: 'Latchkey failed to start the ceremony.' } }); } catch { /* gone */ }
    });
  });
}

async function start(port: Browser.Runtime.Port, reply: Reply, request: Ceremony['request'], facts: FrameFacts, state: RequestState): Promise<void> {
  const sender = port.sender;
  const answer = (result: Parameters<typeof settle>[1]) => reply.post({ kind: 'result', result });
  const origin = sender ? senderOrigin(sender) : null;
  const tab = sender?.tab;
  if (!sender || !origin || !tab || tab.id === undefined || tab.windowId === undefined) {
    answer({ status: 'error', name: 'NotAllowedError', message: NOT_ALLOWED });
    return;
  }
  // Frames: permissions policy, transient activation, crossOrigin and topOrigin (frames.ts).
  const frame = await frameVerdict(request.op, sender, origin, facts);
  if (!frame.ok) { answer({ status: 'error', name: 'NotAllowedError', message: frame.message }); return; }
  const requestedRpId = request.op === 'create' ? request.options.rp.id : request.options.rpId;
  const rp = checkRpIdOnce(origin, requestedRpId);
  if (!rp.ok) { answer({ status: 'error', name: 'SecurityError', message: rp.reason }); return; }

  const uvSetting = request.op === 'create'
    ? request.options.authenticatorSelection?.userVerification
    : request.options.userVerification;
  const c: Ceremony = {
    id: newCeremonyId(), port: reply, tabId: tab.id, windowId: tab.windowId, frameId: sender.frameId ?? 0,
    origin, topOrigin: frame.topOrigin, crossOrigin: frame.crossOrigin, rpId: rp.rpId, request,
    uvWanted: uvSetting !== 'discouraged', pinEnteredHere: false, pending: null, answeredBy: 'window',
    popupWindowId: null, settled: false, timer: null,
    deadline: Date.now() + Math.min(TIMEOUT.max, Math.max(TIMEOUT.min, request.options.timeout ?? TIMEOUT.default)),
  };

  // Passkey autofill: an offer on the page's inputs instead of a window (conditional.ts).
  if (request.op === 'get' && request.mediation === 'conditional') { await startConditional(c, state); return; }
  // Hand over to the browser without a window when the person chose that this site always uses
  // the browser, or when Latchkey has nothing to offer (DESIGN).
  if ((await readSettings()).handoverSites.includes(rp.rpId)) { answer({ status: 'handover' }); return; }
  if (request.op === 'create') {
    // §5.1.3 step 10 / §6.3.2 step 2: ES256 or EdDSA, whichever the site lists first (empty list: ES256).
    if (chooseAlgorithm(request.options.pubKeyCredParams) === null) { answer({ status: 'handover' }); return; }
  } else if ((await candidatesFor(c)).length === 0) {
    answer({ status: 'handover' });
    return;
  }
  if (state.gone) return;

  // Test automation answers without a window (automation.ts); everything else is the same path.
  const scripted = await takeScriptedAnswer(request.op);
  if (state.gone) return;
  if (scripted) {
    // Answered now, within this worker's life, without waiting for anyone: no copy in
    // storage.session and no "started" (there is nothing a restarted worker could resume). Should
    // the worker stop in these few milliseconds, the bridge answers NotAllowedError, as for any
    // ceremony it cannot resume; a passkey saved before that stays saved (the page never got it).
    addCeremony(c, { stored: false });
    state.ceremony = c;
    c.answeredBy = 'automation';
    await answerScripted(c, scripted);
    return;
  }
  addCeremony(c);
  state.ceremony = c;
  reply.post({ kind: 'started', ceremonyId: c.id });
  let windowId: number;
  try {
    prepareView(c);
    windowId = await openCeremonyWindow(c.id, c.windowId);
  } catch {
    settleError(c, 'NotAllowedError', 'Latchkey could not open its window.');
    return;
  }
  if (c.settled) { void closeWindow(windowId); return; } // the page went away while the window opened
  c.popupWindowId = windowId;
  await persist(c);
}

/**
 * The bridge reconnected after the background restarted: reattach the port to the ceremony, if it
 * is the same frame that asked, and deliver an answer given in the meantime.
 */
async function resume(port: Browser.Runtime.Port, reply: Reply, ceremonyId: string, state: RequestState): Promise<void> {
  const sender = port.sender;
  const origin = sender ? senderOrigin(sender) : null;
  const who = { tabId: sender?.tab?.id ?? -1, frameId: sender?.frameId ?? 0, origin: origin ?? '' };
  const stored = await takeStoredResult(ceremonyId, who);
  if (stored) { reply.post({ kind: 'result', result: stored }); return; }
  const c = await findCeremony(ceremonyId);
  if (!c || c.tabId !== who.tabId || c.frameId !== who.frameId || c.origin !== who.origin) {
    reply.post({ kind: 'result', result: { status: 'error', name: 'NotAllowedError', message: NOT_ALLOWED } });
    return;
  }
  if (state.gone) { drop(c); return; }
  c.port = reply;
  state.ceremony = c;
  // Tells the bridge the resume took, so its count of resumes starts again: a long-lived request
  // (passkey autofill waits without a timeout) survives any number of worker stops, one at a time.
  reply.post({ kind: 'started', ceremonyId: c.id });
}
