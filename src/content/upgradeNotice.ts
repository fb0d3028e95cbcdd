// The passkey-upgrade notice in the page (src/background/upgradeNotice.ts has the whole flow).
// Injected by the background into the tab's top frame after Latchkey saved a passkey from a
// conditional create; it runs in the extension's isolated world. It shows Latchkey's notice page
// (notice/notice.html, web accessible) in an iframe inside a closed shadow root, in the top layer
// (a manual popover) at the top right, so page styles cannot hide or restyle it; the page sees the
// host element only and cannot read or click into the cross-origin extension frame. The notice
// goes away by itself after VISIBLE_MS (hovering keeps it), or when its frame asks (Dismiss).

type Api = { show(token: string): void };
const g = globalThis as { latchkeyNotice?: Api };

if (!g.latchkeyNotice) {
  const runtime = ((globalThis as { browser?: { runtime: { getURL(p: string): string } } }).browser
    ?? (globalThis as unknown as { chrome: { runtime: { getURL(p: string): string } } }).chrome).runtime;
  const VISIBLE_MS = 15_000;
  const WIDTH = 360;
  const HEIGHT = 112;
  let host: HTMLElement | null = null;
  let frame: HTMLIFrameElement | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const remove = () => {
    clearTimeout(timer);
    host?.remove();
    host = null;
    frame = null;
  };
  const later = () => { clearTimeout(timer); timer = setTimeout(remove, VISIBLE_MS); };

  // Only the notice frame itself can close the notice: a page's message comes from the page's window.
  addEventListener('message', (e: MessageEvent) => {
    if (frame && e.source === frame.contentWindow && e.data === 'latchkey-notice:close') remove();
  });

  g.latchkeyNotice = {
    show(token: string): void {
      remove();
      const h = document.createElement('div');
      h.setAttribute('popover', 'manual');
      h.style.cssText = 'all: initial !important; position: fixed !important; margin: 0 !important; padding: 0 !important; border: 0 !important;'
        + ` inset: 16px 16px auto auto !important; width: ${WIDTH}px !important; max-width: calc(100vw - 32px) !important; height: ${HEIGHT}px !important;`
        + ' display: block !important; opacity: 1 !important; background: transparent !important; overflow: hidden !important;';
      const shadow = h.attachShadow({ mode: 'closed' });
      const f = document.createElement('iframe');
      f.src = `${runtime.getURL('notice/notice.html')}#${token}`;
      f.title = 'Latchkey';
      f.style.cssText = 'display: block; width: 100%; height: 100%; border: 0; border-radius: 8px; box-shadow: 0 4px 16px rgba(0,0,0,.25); background: Canvas; color-scheme: light dark;';
      shadow.append(f);
      h.addEventListener('pointerenter', () => clearTimeout(timer));
      h.addEventListener('pointerleave', later);
      (document.body ?? document.documentElement).append(h);
      h.showPopover();
      host = h;
      frame = f;
      later();
    },
  };
}
