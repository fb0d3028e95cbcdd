// When the ceremony window's choices may take input (issue 15, "unintended consent").
//
// The window opens over the page and takes the focus, at a place a page can predict, with one choice
// focused. A key the person was holding down for the page (Enter, Space) or the second click of a
// double click meant for the page would land on that choice. So:
// - the choices are `disabled` (CONTRACT.md) until the window has been visible and focused for
//   ARM_DELAY_MS without a break, and again whenever it loses the focus or is hidden;
// - an activation counts only if it is trusted and began after the window was armed: a key press
//   that started before (whose repeats, or whose release, would click) or a mouse press that began
//   before does not count;
// - repeated key presses (`KeyboardEvent.repeat`) and untrusted events never activate anything.
// The page cannot dispatch events into this extension window at all; the isTrusted checks are for
// anything that could (another script in this window's world).

/** As the autofill offer waits (autofill/index.ts); within CONTRACT.md's "enabled within 1 s". */
const ARM_DELAY_MS = 500;

let armed = false;
/** performance.now() when the window was last armed; Infinity while it is not. */
let armedAt = Number.POSITIVE_INFINITY;
/** performance.now() of the last trusted input that begins an activation (key down, pointer down). */
let lastFreshInput = Number.NEGATIVE_INFINITY;
let timer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<(armed: boolean) => void>();

function set(a: boolean): void {
  if (armed === a) return;
  armed = a;
  armedAt = a ? performance.now() : Number.POSITIVE_INFINITY;
  for (const l of listeners) l(a);
}

function disarm(): void {
  clearTimeout(timer);
  timer = undefined;
  set(false);
}

/** Starts (or restarts) the wait, if the window is shown and has the focus now. */
function armLater(): void {
  if (document.visibilityState !== 'visible' || !document.hasFocus()) { disarm(); return; }
  if (armed || timer !== undefined) return;
  timer = setTimeout(() => {
    timer = undefined;
    if (document.visibilityState === 'visible' && document.hasFocus()) set(true);
  }, ARM_DELAY_MS);
}

/** Whether an activation (click, submit) may act: trusted, armed, and begun after arming. */
function accepts(e: Event): boolean {
  return e.isTrusted && armed && lastFreshInput >= armedAt;
}

export function isArmed(): boolean { return armed; }

/** Called with each change of the armed state; returns the unsubscribe. */
export function onArmedChange(l: (armed: boolean) => void): () => void {
  listeners.add(l);
  return () => { listeners.delete(l); };
}

const ACTIVATING_KEYS = new Set(['Enter', ' ', 'Spacebar']);

/** Installs the listeners on this window (once, before the first render). */
export function installArming(w: Window = window): void {
  // Capture listeners on the window run before any element's own handler (Preact's included).
  const key = (e: KeyboardEvent) => {
    if (!ACTIVATING_KEYS.has(e.key)) { if (e.isTrusted && !e.repeat) lastFreshInput = performance.now(); return; }
    if (e.repeat || !e.isTrusted) {
      // A held key: no click from its repeats (Enter clicks a button on each key down) and no
      // activation state that its release would turn into a click (Space clicks on key up).
      e.preventDefault();
      e.stopImmediatePropagation();
      return;
    }
    if (e.type === 'keydown') lastFreshInput = performance.now();
  };
  w.addEventListener('keydown', key, true);
  w.addEventListener('keypress', key, true);
  const press = (e: Event) => { if (e.isTrusted) lastFreshInput = performance.now(); };
  for (const type of ['pointerdown', 'mousedown', 'touchstart']) w.addEventListener(type, press, { capture: true, passive: true });
  const activation = (e: Event) => {
    // The naming step comes after the ceremony was answered: nothing there approves anything.
    if (e.target instanceof Element && e.target.closest('[data-after-consent]')) return;
    if (accepts(e)) return;
    e.preventDefault();
    e.stopImmediatePropagation();
  };
  w.addEventListener('click', activation, true);
  w.addEventListener('submit', activation, true);
  w.addEventListener('focus', armLater);
  w.addEventListener('blur', disarm);
  w.document.addEventListener('visibilitychange', armLater);
  armLater();
}
