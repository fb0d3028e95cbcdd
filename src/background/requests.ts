// A page's request arrives on a runtime port from content/bridge. The caller's origin and frame are
// taken from the port's sender, never from the message. The checks that need trust run here
// (frames: permissions policy and activation, src/background/frames.ts; RP ID against the origin
// and the Public Suffix List); then the ceremony window opens.
import type Browser from 'webextension-polyfill';
import { chooseAlgorithm } from '../client/chooseAlgorithm';
import { checkRpId } from '../client/checkRpId';
import { checkRelatedOrigin } from './relatedOrigins';
import type { BGEnvelope, BGtoCS, FrameFacts } from '../messages/protocol';
import { parseCSEnvelope } from '../messages/validate';
import { candidatesFor } from './authenticator';
import { answerScripted, takeScriptedAnswer } from './automation';
import { addCeremony, drop, findCeremony, newCeremonyId, NOT_ALLOWED, persist, type settle, settleError, tabIsAsking, takeStoredResult, type Ceremony, type Reply, type RequestState } from './ceremonies';
import { closeWindow, openCeremonyWindow } from './ceremonyWindow';
import { beforeHandover } from './handoverGate';
import { startConditional } from './conditional';
import { startPasskeyUpgrade } from './passkeyUpgrade';
import { prepareView } from './windowMessages';
import { frameVerdict } from './frames';
import { readSettings } from './settings';
import { senderOrigin } from './senderOrigin';
import { onSignal } from './signals';

/** What a second request from a tab gets while its first is still asking the person. */
const PENDING = 'A request is already pending.';

/** Timeouts are kept within a sensible range (§5.1.3 step 6, "recommended range"). */
const TIMEOUT = { min: 30_000, default: 300_000, max: 600_000 };

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

/**
 * The RP ID check of §5.1.3 step 8 / §5.1.4.1 step 7, with related origin requests (§5.11): an RP
 * ID that is neither the caller's effective domain nor a registrable suffix of it is accepted when
 * its well-known document lists the caller's origin; otherwise SecurityError, as before.
 */
async function checkRpIdWithRelatedOrigins(origin: string, requested: string | undefined): Promise<{ ok: true; rpId: string } | { ok: false; reason: string }> {
  const rp = checkRpIdOnce(origin, requested);
  if (rp.ok || !rp.related || requested === undefined) return rp;
  const related = await checkRelatedOrigin(origin, requested);
  return related.ok ? { ok: true, rpId: requested } : { ok: false, reason: related.reason };
}

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
    let env: ReturnType<typeof parseCSEnvelope>;
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
        const send = () => { try { port.postMessage({ rid, msg: m } satisfies BGEnvelope); } catch { /* the frame went away */ } };
        // A hand-over goes to the browser's own create()/get(); in Chrome the proxy steps aside first (proxy.ts).
        if (m.kind === 'result' && m.result.status === 'handover') void beforeHandover().then(send);
        else port.postMessage({ rid, msg: m } satisfies BGEnvelope);
      },
    };
    if (msg.kind === 'signal') { void onSignal(port, reply, msg.signal, msg.origin); return; }
    if (msg.kind === 'resume') { resume(port, reply, msg.ceremonyId, state).catch(() => { /* the frame left while its ceremony was looked up: no one to answer */ }); return; }
    start(port, reply, msg.request, msg.facts, state).catch(() => {
      if (state.ceremony) { settleError(state.ceremony, 'UnknownError', 'Latchkey failed to start the ceremony.'); return; }
      try { reply.post({ kind: 'result', result: { status: 'error', name: 'UnknownError', message: 'Latchkey failed to start the ceremony.' } }); } catch { /* gone */ }
    });
  });
}

/**
 * About how long a ceremony window takes to open, from the request's arrival to the window being
 * there (a moving average of the last ones, ms). A modal get() for which Latchkey has nothing waits
 * this long before it hands over, so the moment the page loses the focus (to Latchkey's window or
 * to the browser's own dialog) does not say whether Latchkey holds a passkey (issue 15).
 */
let windowOpenMs = 150;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function start(port: Browser.Runtime.Port, reply: Reply, request: Ceremony['request'], facts: FrameFacts, state: RequestState): Promise<void> {
  const began = performance.now();
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
  const rp = await checkRpIdWithRelatedOrigins(origin, requestedRpId);
  if (!rp.ok) { answer({ status: 'error', name: 'SecurityError', message: rp.reason }); return; }
  if (state.gone) return;

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
  // Passkey upgrade: create() with mediation "conditional", saved without a window or refused (passkeyUpgrade.ts).
  if (request.op === 'create' && request.mediation === 'conditional') { await startPasskeyUpgrade(c, state); return; }
  if (request.op === 'create') {
    // §5.1.3 step 10 / §6.3.2 step 2: ES256 or EdDSA, whichever the site lists first (empty list: ES256).
    if (chooseAlgorithm(request.options.pubKeyCredParams) === null) { answer({ status: 'handover' }); return; }
  } else if ((await candidatesFor(c)).length === 0) {
    // Nothing here (none of this RP's, or none of allowCredentials): the browser's dialog, at about
    // the moment Latchkey's window would have been there. The page never sees this answer itself
    // (main-world stops it before the page's listeners), only the browser's dialog that follows.
    await sleep(Math.max(0, began + windowOpenMs - performance.now()));
    if (state.gone) return;
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
  // One ceremony window per tab (issue 15): a page cannot open a storm of windows that steal the
  // focus, one after the other, hoping that one of them catches a key press. Credential Management
  // ("Request a Credential" / "Create a Credential", w3c/webappsec-credential-management#207): while
  // the top-level traversable's active credential types contain "public-key", a new request rejects
  // with NotAllowedError; Chrome answers "A request is already pending." the same way. No window
  // opens for the second call; the first goes on. Checked and registered with no await between.
  if (tabIsAsking(c.tabId)) { answer({ status: 'error', name: 'NotAllowedError', message: PENDING }); return; }
  addCeremony(c);
  state.ceremony = c;
  reply.post({ kind: 'started', ceremonyId: c.id });
  let windowId: number;
  try {
    prepareView(c);
    windowId = await openCeremonyWindow(c.id, c.windowId);
    windowOpenMs = Math.min(1000, Math.max(50, 0.75 * windowOpenMs + 0.25 * (performance.now() - began)));
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
