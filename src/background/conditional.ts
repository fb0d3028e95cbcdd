// Passkey autofill: get() with mediation "conditional" (WebAuthn L3 §5.1.4, §5.1.4.1; the page side
// is in src/content/main-world.ts). The page's request arrives on the same ceremony port as a modal
// get(); instead of a window, Latchkey makes an *offer*:
//
//   1. The passkeys the request may use are read (this RP's, narrowed to allowCredentials: §5.1.4.1,
//      "credentialIdFilter"). None, or the person said this site always uses the browser: the page is
//      told "handover", which for a conditional request means only "Latchkey offers nothing"; the
//      browser's own conditional get() (started beside ours by main-world) goes on. The page's
//      promise stays pending either way, so the result reveals nothing about which passkeys exist.
//   2. Otherwise the background injects content/autofill.ts into the requesting frame only, now
//      (chrome.scripting / browser.scripting with frameIds; the "scripting" permission — the host
//      permissions already cover these pages). So no input-watching code loads in the frames of the
//      pages that never ask for autofill: bridge.js stays as small as it was.
//   3. That script shows an extension page (autofill/autofill.html, web accessible) in a closed shadow
//      root under the focused `autocomplete="… webauthn"` input. The frame learns the list from this
//      background with runtime messages, by a random token in its URL; the page never sees the list,
//      and cannot read or click into a cross-origin extension frame.
//   4. Choosing a passkey in the frame runs the same authenticator steps as the window's list
//      (authenticator.ts `proceed`): same user-verification rules. If the vault is locked or the PIN
//      is not fresh enough, the ceremony window opens at its unlock step for this ceremony.
//   5. When the ceremony ends in any way (answer, abort, the page going away, the window cancelled),
//      the offer is withdrawn: the frame is removed.
//
// No timeout applies to a conditional request (§5.1.4.1: the lifetime timer is not used for
// conditional mediation): it lasts until the page aborts or leaves.
import type Browser from 'webextension-polyfill';
import { browser } from '../browser.cjs';
import type { AutofillMessage, ChooseAnswer, OfferView } from '../messages/autofill';
import { candidatesFor, proceed } from './authenticator';
import { addCeremony, findCeremony, newCeremonyId, onForget, persist, type Ceremony, type RequestState } from './ceremonies';
import { openCeremonyWindow } from './ceremonyWindow';
import { prepareView } from './windowMessages';
import { readSettings } from './settings';

export const AUTOFILL_PAGE = 'autofill/autofill.html';
/** The script injected into the requesting frame (built from src/content/autofill.ts). */
export const AUTOFILL_SCRIPT = 'autofill-offer.js';
const OFFER_PREFIX = 'latchkey.offer.';
/** setTimeout's largest delay (about 24.8 days): "no timeout" without overflowing the timer. */
const NO_TIMEOUT = 2_147_483_647;

/** One offer: which ceremony it belongs to and where its frame may live. */
interface Offer { token: string; ceremonyId: string; tabId: number; frameId: number }

/** Offers by token, in memory; also in storage.session so a restarted worker still knows them. */
const offers = new Map<string, Offer>();

export function isConditional(c: Ceremony): boolean {
  return c.request.op === 'get' && c.request.mediation === 'conditional';
}

/** Starts a conditional get(): registers the ceremony and, when there is something to offer, offers it. */
export async function startConditional(c: Ceremony, state: RequestState): Promise<void> {
  const port = c.port!;
  c.deadline = Date.now() + NO_TIMEOUT;
  const [settings, candidates] = await Promise.all([readSettings(), candidatesFor(c)]);
  if (settings.handoverSites.includes(c.rpId) || candidates.length === 0) {
    port.post({ kind: 'result', result: { status: 'handover' } });
    return;
  }
  if (state.gone) return;
  await addCeremony(c);
  state.ceremony = c;
  port.post({ kind: 'started', ceremonyId: c.id });
  const offer: Offer = { token: newCeremonyId(), ceremonyId: c.id, tabId: c.tabId, frameId: c.frameId };
  offers.set(offer.token, offer);
  await browser.storage.session.set({ [OFFER_PREFIX + offer.token]: offer });
  const target = { tabId: c.tabId, frameIds: [c.frameId] };
  try {
    await browser.scripting.executeScript({ target, files: [AUTOFILL_SCRIPT] });
    await browser.scripting.executeScript({
      target,
      // Runs in the frame's isolated world (where autofill-offer.js put its entry point); the page cannot see it.
      func: (token: string) => { (globalThis as { latchkeyAutofill?: { start(t: string): void } }).latchkeyAutofill?.start(token); },
      args: [offer.token],
    });
  } catch (e) {
    // The frame navigated away in the meantime, or the browser refused (a page Latchkey may not
    // script). Nothing is offered; the request stays pending like any conditional request.
    console.warn('Latchkey: could not offer passkeys in this frame:', e);
  }
}

async function findOffer(token: string): Promise<Offer | undefined> {
  if (!/^[0-9a-f]{32}$/.test(token)) return undefined;
  const live = offers.get(token);
  if (live) return live;
  const stored = (await browser.storage.session.get(OFFER_PREFIX + token))[OFFER_PREFIX + token] as Offer | undefined;
  if (stored) offers.set(token, stored);
  return stored;
}

/** Removes the offer's frame from the page, if the page is still there. */
async function withdraw(c: Ceremony): Promise<void> {
  let found: Offer | undefined;
  for (const o of offers.values()) if (o.ceremonyId === c.id) found = o;
  if (!found) {
    const all = await browser.storage.session.get(null);
    for (const [k, v] of Object.entries(all)) if (k.startsWith(OFFER_PREFIX) && (v as Offer).ceremonyId === c.id) found = v as Offer;
  }
  if (!found) return;
  offers.delete(found.token);
  await browser.storage.session.remove(OFFER_PREFIX + found.token);
  try {
    await browser.scripting.executeScript({
      target: { tabId: found.tabId, frameIds: [found.frameId] },
      func: (token: string) => { (globalThis as { latchkeyAutofill?: { stop(t: string): void } }).latchkeyAutofill?.stop(token); },
      args: [found.token],
    });
  } catch { /* the page has gone: its frame went with it */ }
}

onForget((c) => { if (isConditional(c)) void withdraw(c); });

/** Only Latchkey's own autofill page: an extension URL of this extension (never a content script's page URL). */
export function isFromAutofillFrame(sender: Browser.Runtime.MessageSender): boolean {
  if (sender.id !== browser.runtime.id || !sender.url || !sender.tab) return false;
  let url: URL;
  try { url = new URL(sender.url); } catch { return false; }
  // Chrome may serve the page under a dynamic id (use_dynamic_url), so the scheme and path are checked,
  // not the origin; a web page's URL never has an extension scheme.
  return (url.protocol === 'chrome-extension:' || url.protocol === 'moz-extension:') && url.pathname === `/${AUTOFILL_PAGE}`;
}

function parseAutofillMessage(raw: unknown): AutofillMessage | null {
  const m = raw as Record<string, unknown> | null;
  if (!m || typeof m !== 'object' || typeof m.token !== 'string') return null;
  if (m.type === 'autofill/list') return { type: 'autofill/list', token: m.token };
  if (m.type === 'autofill/choose' && typeof m.credentialId === 'string') return { type: 'autofill/choose', token: m.token, credentialId: m.credentialId };
  return null;
}

/** The ceremony an offer belongs to, if the message comes from a frame in the offer's tab. */
async function ceremonyFor(token: string, sender: Browser.Runtime.MessageSender): Promise<Ceremony | undefined> {
  const offer = await findOffer(token);
  if (!offer || sender.tab?.id !== offer.tabId) return undefined;
  const c = await findCeremony(offer.ceremonyId);
  return c && isConditional(c) ? c : undefined;
}

export async function onAutofillMessage(raw: unknown, sender: Browser.Runtime.MessageSender): Promise<OfferView | ChooseAnswer | null> {
  const msg = parseAutofillMessage(raw);
  if (!msg) return null;
  const c = await ceremonyFor(msg.token, sender);
  if (msg.type === 'autofill/list') {
    if (!c) return null;
    const accounts = (await candidatesFor(c)).map((p) => ({
      credentialId: p.credentialId, userName: p.userName, userDisplayName: p.userDisplayName, createdAt: p.createdAt, lastUsedAt: p.lastUsedAt,
    }));
    return { rpId: c.rpId, accounts };
  }
  if (!c) return { next: 'error', message: 'This sign-in request has ended.' };
  if (c.popupWindowId !== null) return { next: 'window' }; // already waiting for the PIN there
  c.pending = { kind: 'choose', credentialId: msg.credentialId };
  await persist(c);
  // The same steps as the window's list (authenticator.ts): the UV rules do not depend on where the choice was made.
  const step = await proceed(c);
  if (step.next === 'unlock' || step.next === 'set-pin') {
    // The PIN is entered in the ceremony window, not in a frame the page hosts.
    prepareView(c);
    c.popupWindowId = await openCeremonyWindow(c.id, c.windowId);
    await persist(c);
    return { next: 'window' };
  }
  if (step.next === 'done') return { next: 'done' };
  return { next: 'error', message: step.next === 'error' || step.next === 'notice' ? step.message : 'Latchkey could not sign in.' };
}
