// The passkey autofill offer in the page (see src/background/conditional.ts for the whole flow).
// Injected by the background into the one frame whose page started a conditional get(), only when
// Latchkey has passkeys to offer there; it runs in the extension's isolated world, so page scripts
// cannot see its variables or replace the DOM functions it uses.
//
// On the person's focus of (or click or key press in) an <input>/<textarea> whose autocomplete attribute has the token "webauthn" (HTML
// "autofill detail tokens", §5.1.4 of WebAuthn: the inputs conditional mediation applies to) it shows
// Latchkey's autofill page in an iframe under the input. The iframe sits in a closed shadow root, in
// the top layer (a manual popover), so page stylesheets and z-index cannot cover it; the page still
// sees the host element (as it would see any extension's UI) but cannot reach the frame: a
// cross-origin extension document, which it can neither read nor script, and whose clicks only a
// person (a trusted event) can make.
//
// Clickjacking (the page making the frame invisible and luring a click onto it): while the offer is
// shown, each animation frame checks that the host is still in the top layer, fully opaque, without
// filter/transform/clip tricks, not covered by a later top-layer element, and not in fullscreen;
// otherwise the offer is removed until the input is focused again. The frame itself (autofill page)
// also refuses clicks until it has been visible for a moment, and where the browser has
// IntersectionObserver v2 (Chromium) it refuses them whenever the browser says it is not visible.

import { asksForPasskeys } from './autofillTokens';
import { focusedByPerson } from './personFocus';

type Api = { start(token: string): void; stop(token: string): void };
const g = globalThis as { latchkeyAutofill?: Api };

if (!g.latchkeyAutofill) {
  const runtime = ((globalThis as { browser?: { runtime: { getURL(p: string): string } } }).browser
    ?? (globalThis as unknown as { chrome: { runtime: { getURL(p: string): string } } }).chrome).runtime;
  const FRAME_HEIGHT = 184;
  const MIN_WIDTH = 300;
  let token: string | null = null;
  let host: HTMLElement | null = null;
  let anchor: HTMLElement | null = null;
  let raf = 0;

  const wantsPasskeys = (el: EventTarget | null): el is HTMLInputElement | HTMLTextAreaElement =>
    (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) && asksForPasskeys(el.getAttribute('autocomplete'));

  function place(): void {
    if (!host || !anchor) return;
    const r = anchor.getBoundingClientRect();
    const width = Math.max(r.width, MIN_WIDTH);
    const left = Math.max(0, Math.min(r.left, innerWidth - width));
    const below = r.bottom + 4;
    const top = below + FRAME_HEIGHT <= innerHeight || r.top < FRAME_HEIGHT ? below : r.top - 4 - FRAME_HEIGHT;
    host.style.setProperty('left', `${left}px`, 'important');
    host.style.setProperty('top', `${top}px`, 'important');
    host.style.setProperty('width', `${width}px`, 'important');
  }

  /** Whether the person can see the offer as Latchkey drew it (see the clickjacking note above). */
  function looksRight(h: HTMLElement): boolean {
    if (!h.isConnected || !h.matches(':popover-open') || document.fullscreenElement) return false;
    const s = getComputedStyle(h);
    if (s.display === 'none' || s.visibility !== 'visible' || Number(s.opacity) < 1) return false;
    if (s.filter !== 'none' || s.transform !== 'none' || s.clipPath !== 'none' || s.mixBlendMode !== 'normal') return false;
    const root = getComputedStyle(document.documentElement);
    if (root.filter !== 'none' || Number(root.opacity) < 1) return false;
    const r = h.getBoundingClientRect();
    if (r.width < MIN_WIDTH - 1 || r.height < FRAME_HEIGHT - 1) return false;
    // Another top-layer element (a page popover or modal dialog) drawn over ours.
    for (const other of document.querySelectorAll(':popover-open, dialog:modal')) {
      if (other === h) continue;
      const o = other.getBoundingClientRect();
      if (o.right > r.left && o.left < r.right && o.bottom > r.top && o.top < r.bottom) return false;
    }
    return true;
  }

  function watch(): void {
    raf = requestAnimationFrame(() => {
      if (!host) return;
      if (!looksRight(host)) { hide(); return; }
      place();
      watch();
    });
  }

  function show(input: HTMLElement): void {
    if (!token) return;
    anchor = input;
    if (host) { place(); return; }
    const h = document.createElement('div');
    h.setAttribute('popover', 'manual');
    // Inline !important wins over any page stylesheet rule; the watch loop catches script changes.
    h.style.cssText = 'all: initial !important; position: fixed !important; margin: 0 !important; padding: 0 !important; border: 0 !important;'
      + ` inset: auto !important; height: ${FRAME_HEIGHT}px !important; display: block !important; opacity: 1 !important; background: transparent !important; overflow: hidden !important;`;
    const shadow = h.attachShadow({ mode: 'closed' });
    const frame = document.createElement('iframe');
    frame.src = `${runtime.getURL('autofill/autofill.html')}#${token}`;
    frame.title = 'Latchkey passkeys';
    frame.style.cssText = 'display: block; width: 100%; height: 100%; border: 0; border-radius: 8px; box-shadow: 0 4px 16px rgba(0,0,0,.25); background: Canvas; color-scheme: light dark;';
    shadow.append(frame);
    (document.body ?? document.documentElement).append(h);
    h.showPopover();
    host = h;
    place();
    watch();
  }

  function hide(): void {
    cancelAnimationFrame(raf);
    host?.remove();
    host = null;
    anchor = null;
  }

  // The offer appears only after the person's own input on the field: the page can see the offer's
  // host element, and this script runs only where Latchkey has passkeys to offer, so an offer that
  // appeared on the page's own focus() would tell the page, with no one at the keyboard, that
  // Latchkey holds a passkey for it (issue 15, docs/security/page-and-window.md). Focus events are
  // trusted even after a script's focus(): ./personFocus.ts tells the person's focus apart.
  const onFocusIn = (e: FocusEvent) => {
    if (e.target === host) return; // focus went into the offer
    if (wantsPasskeys(e.target)) { if (focusedByPerson(e.target)) show(e.target); } else hide();
  };
  const onPointerDown = (e: PointerEvent) => {
    // A click on the field offers again (it may already have the focus, so no focusin comes).
    if (wantsPasskeys(e.target)) { if (e.isTrusted) show(e.target); }
    else if (host && !e.composedPath().includes(host)) hide();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') hide();
    // Typing in the field (it had the focus before the request, so no focusin comes): offer then.
    else if (!host && e.isTrusted && wantsPasskeys(e.target)) show(e.target);
  };
  const onViewportChange = () => place();

  g.latchkeyAutofill = {
    start(t: string): void {
      if (token) this.stop(token); // a new request replaces the old offer
      token = t;
      addEventListener('focusin', onFocusIn, true);
      addEventListener('pointerdown', onPointerDown, true);
      addEventListener('keydown', onKeyDown, true);
      addEventListener('scroll', onViewportChange, { capture: true, passive: true });
      addEventListener('resize', onViewportChange, { passive: true });
      // The person often focuses the field before the page asks: offer at once then, but not on a
      // field the page focused itself (./personFocus.ts); there the person's next click or key
      // press in it offers.
      let active: Element | null = document.activeElement;
      while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
      if (wantsPasskeys(active) && focusedByPerson(active)) show(active);
    },
    stop(t: string): void {
      if (t !== token) return;
      token = null;
      hide();
      removeEventListener('focusin', onFocusIn, true);
      removeEventListener('pointerdown', onPointerDown, true);
      removeEventListener('keydown', onKeyDown, true);
      removeEventListener('scroll', onViewportChange, true);
      removeEventListener('resize', onViewportChange);
    },
  };
}
