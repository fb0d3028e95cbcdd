// The registry of ceremonies in progress: one per page request, each with its port back to the
// requesting frame and its window. Every ceremony settles exactly once; settling closes its window.
//
// A ceremony outlives the service worker: Chrome stops an idle worker (and tests stop it on
// purpose), which drops every port and all memory. So each ceremony is also kept in storage.session
// (no key material in it), the window keeps its id, and content/bridge reconnects and says "resume"
// with the ceremony's id. An answer given while no port is attached waits in storage.session for
// that resume. Nothing is lost and nothing is asked twice.
import { browser } from '../browser.cjs';
import type { BGtoCS, CeremonyRequest, CeremonyResult, DOMExceptionName } from '../messages/protocol';
import type { PasskeySummary } from '../vault/vault';
import { closeWindow } from './ceremonyWindow';
import { describeOutcome, recordLastCeremony } from './lastCeremony';

/** Messages to the requesting frame: this request's number on the frame's port (requests.ts). */
export interface Reply { post(msg: BGtoCS): void }

/**
 * One request on a frame's port, as the port's handler sees it (requests.ts, conditional.ts): its
 * ceremony once registered, and whether the frame has gone (aborted, navigated, port closed) in
 * the meantime, so that a ceremony registered after that is dropped instead of left running.
 */
export interface RequestState { ceremony: Ceremony | null; gone: boolean }

export interface Ceremony {
  id: string;
  /** The way back to the requesting frame; null while the worker restarted and the bridge has not resumed. */
  port: Reply | null;
  tabId: number;
  windowId: number;
  frameId: number;
  origin: string;
  topOrigin: string;
  crossOrigin: boolean;
  rpId: string;
  request: CeremonyRequest;
  /** Whether user verification was asked for (required or preferred). */
  uvWanted: boolean;
  /** The PIN was entered during this ceremony: UV may be reported (§6.1 flag UV). */
  pinEnteredHere: boolean;
  /** Who answers: the person in the window, or test automation (no window at all). */
  /** 'upgrade': a conditional create saved without a window (passkeyUpgrade.ts). */
  answeredBy: 'window' | 'automation' | 'upgrade';
  /** What the person chose before the PIN was asked: resumed once it is entered. */
  pending: { kind: 'save' } | { kind: 'choose'; credentialId: string } | null;
  popupWindowId: number | null;
  /** When the ceremony times out (ms since epoch). */
  deadline: number;
  settled: boolean;
  timer: ReturnType<typeof setTimeout> | null;
  /** The passkeys a get() may offer, read once per ceremony (memory only; read again after a restart). */
  candidates?: PasskeySummary[];
  /** Whether a copy was written to storage.session (so settling must remove it). Memory only. */
  stored?: boolean;
  /** Set when the request came through Chrome's webAuthenticationProxy (proxy.ts): its request id. */
  proxyRequestId?: number;
}

type Persisted = Omit<Ceremony, 'port' | 'timer' | 'settled' | 'candidates' | 'stored'>;
const PREFIX = 'latchkey.ceremony.';
const RESULT_PREFIX = 'latchkey.result.';

const ceremonies = new Map<string, Ceremony>();

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** 128 random bits as 32 hex digits. */
export function newCeremonyId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  let s = '';
  for (let i = 0; i < 16; i++) s += HEX[b[i]!];
  return s;
}

function toPersisted(c: Ceremony): Persisted {
  const { port: _p, timer: _t, settled: _s, candidates: _c, stored: _st, ...rest } = c;
  return rest;
}

/** Saves the ceremony's state; call after every change the window or a resume must see. */
export async function persist(c: Ceremony): Promise<void> {
  if (c.settled) return;
  c.stored = true;
  await browser.storage.session.set({ [PREFIX + c.id]: toPersisted(c) });
}

function armTimer(c: Ceremony): void {
  if (c.timer) clearTimeout(c.timer);
  c.timer = setTimeout(() => settleError(c, 'NotAllowedError', NOT_ALLOWED), Math.max(0, c.deadline - Date.now()));
}

/**
 * Registers a ceremony. `stored: false` when it is answered at once by this worker (automation):
 * a copy is only ever read by a restarted worker, and such a ceremony has nothing to resume.
 */
export function addCeremony(c: Ceremony, o: { stored?: boolean } = {}): void {
  ceremonies.set(c.id, c);
  armTimer(c);
  // Not awaited: the copy is needed only if the worker stops later, and storage applies this
  // background's writes in order (so the settle's remove cannot overtake it).
  if (o.stored !== false) void persist(c);
}

/** The ceremony in memory, or brought back from storage.session after a worker restart. */
export async function findCeremony(id: string): Promise<Ceremony | undefined> {
  const live = ceremonies.get(id);
  if (live) return live.settled ? undefined : live;
  const stored = (await browser.storage.session.get(PREFIX + id))[PREFIX + id] as Persisted | undefined;
  if (!stored || ceremonies.has(id)) return ceremonies.get(id);
  const c: Ceremony = { ...stored, port: null, settled: false, timer: null, stored: true };
  ceremonies.set(id, c);
  armTimer(c);
  return c;
}

/** The ceremony of a proxied request (proxy.ts), by Chrome's request id; in memory (proxied ceremonies are answered within the worker's life). */
export async function findByProxyRequest(requestId: number): Promise<Ceremony | undefined> {
  for (const c of ceremonies.values()) if (c.proxyRequestId === requestId) return c;
  return undefined;
}

export async function findByWindow(windowId: number): Promise<Ceremony | undefined> {
  for (const c of ceremonies.values()) if (c.popupWindowId === windowId) return c;
  const all = await browser.storage.session.get(null);
  for (const [k, v] of Object.entries(all)) {
    if (!k.startsWith(PREFIX) || (v as Persisted).popupWindowId !== windowId) continue;
    // The live copy decides: a hand-over forgets its window before closing it.
    const c = await findCeremony(k.slice(PREFIX.length));
    return c?.popupWindowId === windowId ? c : undefined;
  }
  return undefined;
}

/**
 * Whether the tab already has a ceremony that the person is being asked about: a modal create()
 * or get() (its window is open or opening), or an autofill choice that went on to the window for
 * the PIN. Memory only, so that the check and the registration of a new ceremony happen with no
 * await between them (requests.ts); a ceremony brought back after a worker restart counts once its
 * frame has resumed it.
 */
export function tabIsAsking(tabId: number): boolean {
  for (const c of ceremonies.values()) {
    if (c.settled || c.tabId !== tabId || c.answeredBy !== 'window') continue;
    const conditional = c.request.op === 'get' && c.request.mediation === 'conditional';
    if (!conditional || c.popupWindowId !== null) return true;
  }
  return false;
}

/** Called once for every ceremony that ends, however it ends (conditional.ts withdraws its offer). */
const forgetHooks: Array<(c: Ceremony) => void> = [];
export function onForget(hook: (c: Ceremony) => void): void { forgetHooks.push(hook); }

function forget(c: Ceremony): void {
  c.settled = true;
  for (const hook of forgetHooks) hook(c);
  ceremonies.delete(c.id);
  if (c.timer) clearTimeout(c.timer);
  if (c.stored) void browser.storage.session.remove(PREFIX + c.id);
}

/** Answers the page (if it is still there), forgets the ceremony and closes its window. */
export function settle(c: Ceremony, result: CeremonyResult, o: { closeWindow?: boolean } = {}): void {
  if (c.settled) return;
  // The answer first; the bookkeeping below does not delay it.
  let delivered = false;
  if (c.port) {
    try { c.port.post({ kind: 'result', result }); delivered = true; } catch { /* the page is gone */ }
  }
  forget(c);
  // No port (the worker restarted): the answer waits for the bridge's resume.
  if (!delivered) void browser.storage.session.set({ [RESULT_PREFIX + c.id]: { result, tabId: c.tabId, frameId: c.frameId, origin: c.origin } });
  void recordLastCeremony(describeOutcome(c, result, c.answeredBy));
  if (o.closeWindow !== false && c.popupWindowId !== null) void closeWindow(c.popupWindowId);
}

export function settleError(c: Ceremony, name: DOMExceptionName, message: string, o: { closeWindow?: boolean } = {}): void {
  settle(c, { status: 'error', name, message }, o);
}

/** Ends a ceremony whose page went away (navigation, tab closed, abort): nothing to answer. */
export function drop(c: Ceremony): void {
  if (c.settled) return;
  forget(c);
  void recordLastCeremony(describeOutcome(c, null, 'none'));
  if (c.popupWindowId !== null) void closeWindow(c.popupWindowId);
}

/** An answer that was given while the page's port was gone, for the frame that asked. */
export async function takeStoredResult(id: string, who: { tabId: number; frameId: number; origin: string }): Promise<CeremonyResult | null> {
  const key = RESULT_PREFIX + id;
  const stored = (await browser.storage.session.get(key))[key] as { result: CeremonyResult; tabId: number; frameId: number; origin: string } | undefined;
  if (!stored || stored.tabId !== who.tabId || stored.frameId !== who.frameId || stored.origin !== who.origin) return null;
  await browser.storage.session.remove(key);
  return stored.result;
}

/** The message the spec's NotAllowedError carries in browsers, so pages see a familiar text. */
export const NOT_ALLOWED = 'The operation either timed out or was not allowed.';
