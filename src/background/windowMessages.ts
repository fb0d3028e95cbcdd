// Messages from the ceremony window. Only Latchkey's own ceremony page may send them: a content
// script (which speaks for a web page) is refused, so a page can never press "Save" for the person.
import type Browser from 'webextension-polyfill';
import { browser } from '../browser.cjs';
import type { CeremonyView, StepAnswer, UItoBG, UItoBGAnswers } from '../messages/protocol';
import { parseUItoBG } from '../messages/validate';
import { cancel, candidatesFor, proceed, setPin, unlock } from './authenticator';
import { nameSavedPasskey } from './naming';
import { findCeremony, persist, settle, type Ceremony } from './ceremonies';
import { focusTab, closeWindow } from './ceremonyWindow';
import { readSession } from './session';
import { readSettings, updateSettings } from './settings';
import { preferredChoice } from '../client/preferredChoice';
import { namesOtherAuthenticators } from '../client/transports';
import { vault } from './vaultInstance';

export const CEREMONY_PAGE = 'popup/ceremony.html';

export function isFromCeremonyPage(sender: Browser.Runtime.MessageSender): boolean {
  if (sender.id !== browser.runtime.id || !sender.url) return false;
  const page = browser.runtime.getURL(CEREMONY_PAGE);
  return sender.url === page || sender.url.startsWith(`${page}#`) || sender.url.startsWith(`${page}?`);
}

async function describe(c: Ceremony): Promise<CeremonyView> {
  const v = await vault();
  const candidates = c.request.op === 'get' ? await candidatesFor(c) : [];
  const accounts = candidates.map((p) => ({
    credentialId: p.credentialId, userName: p.userName, userDisplayName: p.userDisplayName,
    createdAt: p.createdAt, lastUsedAt: p.lastUsedAt,
  }));
  const allow = c.request.op === 'get' ? c.request.options.allowCredentials ?? [] : [];
  const user = c.request.op === 'create' ? { name: c.request.options.user.name, displayName: c.request.options.user.displayName } : null;
  return {
    id: c.id, op: c.request.op, rpId: c.rpId, origin: c.origin, topOrigin: c.crossOrigin ? c.topOrigin : null,
    user, accounts, vault: { initialized: await v.isInitialized(), unlocked: (await readSession()) !== null },
    preferred: preferredChoice(c.request.options.hints ?? []),
    ...(namesOtherAuthenticators(allow, new Set(candidates.map((p) => p.credentialId))) ? { alsoElsewhere: true } : {}),
    // A passkey chosen in the autofill offer (conditional.ts): only the PIN is missing.
    ...(c.request.op === 'get' && c.request.mediation === 'conditional' && c.pending ? { start: (await v.isInitialized()) ? 'unlock' as const : 'set-pin' as const } : {}),
  };
}

/**
 * The window's first question, answered ahead: requests.ts and conditional.ts start working out the
 * view while the browser opens the window (about 100 ms), so the answer is ready when the window asks
 * (bench/windowfloor.bench.ts). Used once, for that first question, and kept 2 s at most: a window
 * that asks later, or asks again, gets a fresh answer.
 */
const viewsAhead = new Map<string, Promise<CeremonyView>>();
const AHEAD_FRESH_MS = 2_000;

export function prepareView(c: Ceremony): void {
  const view = describe(c);
  view.catch(() => { /* the window's own question will meet the error again */ });
  viewsAhead.set(c.id, view);
  setTimeout(() => viewsAhead.delete(c.id), AHEAD_FRESH_MS);
}

function viewFor(c: Ceremony): Promise<CeremonyView> {
  const ahead = viewsAhead.get(c.id);
  viewsAhead.delete(c.id);
  return ahead ?? describe(c);
}

async function handover(c: Ceremony): Promise<StepAnswer> {
  // Focus first: browsers refuse WebAuthn from an unfocused page (BROWSERS.md, "Focus").
  // Forget the window first, so that its closing is not taken for Cancel.
  const windowId = c.popupWindowId;
  c.popupWindowId = null;
  await persist(c);
  if (windowId !== null) await closeWindow(windowId);
  await focusTab(c.tabId, c.windowId);
  settle(c, { status: 'handover' }, { closeWindow: false });
  return { next: 'done' };
}

const ENDED: StepAnswer = { next: 'error', message: 'This request has already ended.' };

export async function onWindowMessage(msg: UItoBG, sender?: Browser.Runtime.MessageSender): Promise<UItoBGAnswers[UItoBG['type']]> {
  // The naming step comes after the ceremony settled: its own grant decides (naming.ts).
  if (msg.type === 'ceremony/name') return nameSavedPasskey(msg.id, msg.label, sender?.tab?.windowId);
  const c = await findCeremony(msg.id);
  if (msg.type === 'ceremony/describe') return c ? viewFor(c) : null;
  if (!c) return ENDED;
  switch (msg.type) {
    case 'ceremony/save':
      if (c.request.op !== 'create') return ENDED;
      c.pending = { kind: 'save' };
      await persist(c);
      return proceed(c);
    case 'ceremony/choose':
      if (c.request.op !== 'get') return ENDED;
      c.pending = { kind: 'choose', credentialId: msg.credentialId };
      await persist(c);
      return proceed(c);
    case 'ceremony/set-pin': return setPin(c, msg.pin);
    case 'ceremony/unlock': return unlock(c, msg.pin);
    case 'ceremony/handover': return handover(c);
    case 'ceremony/always-handover': {
      const { handoverSites } = await readSettings();
      await updateSettings({ handoverSites: [...handoverSites, c.rpId] });
      return handover(c);
    }
    case 'ceremony/cancel': return cancel(c);
  }
}

export function onRuntimeMessage(raw: unknown, sender: Browser.Runtime.MessageSender): Promise<unknown> | undefined {
  if (!isFromCeremonyPage(sender)) return undefined; // not for us, or not allowed: no answer
  let msg: UItoBG;
  try { msg = parseUItoBG(raw); } catch (e) { return Promise.resolve({ next: 'error', message: (e as Error).message }); }
  return onWindowMessage(msg, sender).catch((e: unknown) => {
    console.error('Latchkey:', e);
    return { next: 'error', message: failureMessage(e) } satisfies StepAnswer;
  });
}

/** What the window says when a step failed; nothing is half-done (every write is one transaction). */
function failureMessage(e: unknown): string {
  const detail = (e as Error)?.message ?? String(e);
  // Chrome: "Session storage quota bytes exceeded"; IndexedDB: QuotaExceededError.
  if ((e as Error)?.name === 'QuotaExceededError' || /quota/i.test(detail)) {
    return `The browser's storage for Latchkey is full, so nothing was saved. Free some space, then try again. (${detail})`;
  }
  return `Latchkey could not finish: ${detail}`;
}
