// Latchkey's passkey-upgrade notice: "Latchkey saved a passkey for <site>", with Undo and "Not for
// this site" (src/background/upgradeNotice.ts). A web-accessible extension page inside the site's
// page (src/content/upgradeNotice.ts), so the site can neither read nor click it; what it shows
// comes from the background by the random token in this page's URL. As the autofill list does, it
// takes only trusted clicks, and only after it has been on screen for ARM_DELAY_MS, so that a click
// meant for the page under a notice that just appeared does not count.
import type { NoticeAnswer, NoticeView } from '../src/messages/notice';
import { t, translateStatic } from '../ui/i18n';

const ARM_DELAY_MS = 500;
type Runtime = { sendMessage(m: unknown): Promise<unknown> };
const runtime: Runtime = ((globalThis as { browser?: { runtime: Runtime } }).browser
  ?? (globalThis as unknown as { chrome: { runtime: Runtime } }).chrome).runtime;

const token = location.hash.slice(1);
const message = document.getElementById('message') as HTMLElement;
const undo = document.getElementById('undo') as HTMLButtonElement;
const notHere = document.getElementById('not-here') as HTMLButtonElement;
const dismiss = document.getElementById('dismiss') as HTMLButtonElement;
const buttons = [undo, notHere, dismiss];
let armed = false;

translateStatic(); // the buttons' words and the page's lang

const close = () => parent.postMessage('latchkey-notice:close', '*');
const enable = (on: boolean) => { for (const b of buttons) b.disabled = !on; };

function act(type: 'notice/undo' | 'notice/not-here', done: string) {
  return async (e: MouseEvent) => {
    if (!e.isTrusted || !armed) return;
    enable(false);
    const r = (await runtime.sendMessage({ type, token }).catch(() => null)) as NoticeAnswer | null;
    message.textContent = r?.ok ? done : (r?.message ?? t('noticeFailed'));
    dismiss.disabled = false;
    if (r?.ok) { undo.hidden = true; notHere.hidden = true; setTimeout(close, 4000); }
  };
}

undo.addEventListener('click', act('notice/undo', t('noticeUndone')));
notHere.addEventListener('click', act('notice/not-here', t('noticeNotHereDone')));
dismiss.addEventListener('click', (e) => { if (e.isTrusted && armed) close(); });

void (async () => {
  const view = (await runtime.sendMessage({ type: 'notice/view', token }).catch(() => null)) as NoticeView;
  if (!view) { message.textContent = t('noticeExpired'); dismiss.disabled = false; armed = true; return; }
  message.textContent = t('noticeSaved', view.rpId, view.userName);
  setTimeout(() => { armed = true; enable(true); }, ARM_DELAY_MS);
})();
