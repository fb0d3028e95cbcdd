// Latchkey's autofill page: the list of passkeys shown under a site's sign-in field (the offer of
// src/background/conditional.ts, placed by src/content/autofill.ts). It is a web-accessible
// extension page inside the site's page, so the site can neither read it nor click it; the list
// comes straight from the background, by the offer's random token in this page's URL.
//
// Clicks count only when a person could have meant them: trusted events only, and only after the
// list has been on screen for ARM_DELAY_MS (a page cannot flash the list under the pointer just
// before a click). Where the browser has IntersectionObserver v2 (Chromium), the list is disarmed
// whenever the browser says it is not fully visible (covered, faded, transformed).
import type { ChooseAnswer, OfferView } from '../src/messages/autofill';
import { describeLastUsed } from '../ui/formatDate';
import { t, translateStatic } from '../ui/i18n';

const ARM_DELAY_MS = 500;
type Runtime = { sendMessage(m: unknown): Promise<unknown> };
const runtime: Runtime = ((globalThis as { browser?: { runtime: Runtime } }).browser
  ?? (globalThis as unknown as { chrome: { runtime: Runtime } }).chrome).runtime;

translateStatic(); // the page's title and lang
const token = location.hash.slice(1);
const list = document.getElementById('accounts') as HTMLUListElement;
const title = document.getElementById('title') as HTMLElement;
const status = document.getElementById('status') as HTMLElement;
let armed = false;
let busy = false;
let armTimer: ReturnType<typeof setTimeout> | undefined;

function setEnabled(): void {
  for (const b of list.querySelectorAll('button')) b.disabled = !armed || busy;
}
function arm(): void {
  clearTimeout(armTimer);
  armTimer = setTimeout(() => { armed = true; setEnabled(); }, ARM_DELAY_MS);
}
function disarm(): void {
  clearTimeout(armTimer);
  armed = false;
  setEnabled();
}

async function choose(credentialId: string, e: MouseEvent): Promise<void> {
  if (!e.isTrusted || !armed || busy) return;
  busy = true;
  setEnabled();
  status.textContent = t('autofillSigningIn');
  const a = (await runtime.sendMessage({ type: 'autofill/choose', token, credentialId })) as ChooseAnswer | null;
  if (a?.next === 'window') { status.textContent = t('autofillEnterPin'); return; }
  if (a?.next === 'done') return; // the offer is removed with the answer
  busy = false;
  setEnabled();
  status.textContent = a?.message ?? t('autofillFailed');
}

function render(view: OfferView): void {
  title.textContent = t('autofillTitle', view.rpId);
  const now = Date.now();
  for (const a of view.accounts) {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'account';
    b.disabled = true;
    b.dataset.credentialId = a.credentialId;
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = a.userDisplayName || a.userName;
    const detail = document.createElement('span');
    detail.className = 'detail';
    detail.textContent = `${a.userDisplayName ? `${a.userName} · ` : ''}${describeLastUsed(a.lastUsedAt, now)}`;
    b.append(name, detail);
    b.addEventListener('click', (e) => { void choose(a.credentialId, e); });
    li.append(b);
    list.append(li);
  }
}

function watchVisibility(): void {
  const probe = new IntersectionObserver(() => { /* feature test only */ }, { trackVisibility: true, delay: 100 } as IntersectionObserverInit);
  probe.disconnect();
  if (!('trackVisibility' in probe)) { arm(); return; } // Firefox: content/autofill.ts checks from the page side
  new IntersectionObserver((entries) => {
    const last = entries[entries.length - 1] as IntersectionObserverEntry & { isVisible?: boolean };
    if (last?.isVisible) arm(); else disarm();
  }, { trackVisibility: true, delay: 100, threshold: [1] } as IntersectionObserverInit).observe(document.body);
}

void (async () => {
  const view = (await runtime.sendMessage({ type: 'autofill/list', token })) as OfferView | null;
  if (!view) { status.textContent = t('autofillEnded'); return; }
  render(view);
  watchVisibility();
})();
