// The registry of ceremonies in progress: one per page request, each with its port back to the
// requesting frame and its window. Every ceremony settles exactly once; settling closes its window.
import type browser from 'webextension-polyfill';
import type { BGtoCS, CeremonyRequest, CeremonyResult, DOMExceptionName } from '../messages/protocol';
import { closeWindow } from './ceremonyWindow';
import { describeOutcome, recordLastCeremony } from './lastCeremony';

export interface Ceremony {
  id: string;
  port: browser.Runtime.Port;
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
  answeredBy: 'window' | 'automation';
  /** What the person chose before the PIN was asked: resumed once it is entered. */
  pending: { kind: 'save' } | { kind: 'choose'; credentialId: string } | null;
  popupWindowId: number | null;
  settled: boolean;
  timer: ReturnType<typeof setTimeout> | null;
}

const ceremonies = new Map<string, Ceremony>();

export function newCeremonyId(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export function addCeremony(c: Ceremony): void {
  ceremonies.set(c.id, c);
}

export function findCeremony(id: string): Ceremony | undefined {
  const c = ceremonies.get(id);
  return c && !c.settled ? c : undefined;
}

export function findByWindow(windowId: number): Ceremony | undefined {
  for (const c of ceremonies.values()) if (c.popupWindowId === windowId) return c;
  return undefined;
}

/** Answers the page (if it is still there), forgets the ceremony and closes its window. */
export function settle(c: Ceremony, result: CeremonyResult, o: { closeWindow?: boolean } = {}): void {
  if (c.settled) return;
  c.settled = true;
  ceremonies.delete(c.id);
  if (c.timer) clearTimeout(c.timer);
  try { c.port.postMessage({ kind: 'result', result } satisfies BGtoCS); } catch { /* the page is gone */ }
  void recordLastCeremony(describeOutcome(c, result, c.answeredBy));
  if (o.closeWindow !== false && c.popupWindowId !== null) void closeWindow(c.popupWindowId);
}

export function settleError(c: Ceremony, name: DOMExceptionName, message: string, o: { closeWindow?: boolean } = {}): void {
  settle(c, { status: 'error', name, message }, o);
}

/** Ends a ceremony whose page went away (navigation, tab closed, abort): nothing to answer. */
export function drop(c: Ceremony): void {
  if (c.settled) return;
  c.settled = true;
  ceremonies.delete(c.id);
  if (c.timer) clearTimeout(c.timer);
  void recordLastCeremony(describeOutcome(c, null, 'none'));
  if (c.popupWindowId !== null) void closeWindow(c.popupWindowId);
}

/** The message the spec's NotAllowedError carries in browsers, so pages see a familiar text. */
export const NOT_ALLOWED = 'The operation either timed out or was not allowed.';
