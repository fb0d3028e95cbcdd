// Passkey upgrades (conditional create, §5.1.3) need to know that the client "recently mediated an
// authentication" for the caller's origin. Latchkey's evidence is the person entering a password on
// that origin: a trusted `input` event (typed, pasted, or filled by the browser's password manager)
// on an <input type="password"> that then holds a value. Page scripts cannot make a trusted event,
// so a page cannot claim a sign-in that did not happen. Runs in the bridge's isolated world in every
// frame; it only listens, and tells the background (which takes the origin and tab from the
// message's sender) at most once every REPORT_EVERY_MS. The background keeps the time for a few
// minutes in storage.session (src/background/passwordEntries.ts).

/** At most one report per frame in this interval (each keystroke fires `input`). */
export const REPORT_EVERY_MS = 15_000;

/** Whether an event is the person entering a password. */
export function isPasswordEntry(e: Event): boolean {
  if (!e.isTrusted) return false;
  const t = e.target;
  return t instanceof HTMLInputElement && t.type === 'password' && t.value.length > 0;
}

export function watchPasswordEntry(report: () => void, doc: Document = document, now: () => number = Date.now): void {
  let last = -Infinity;
  // Capture phase: a page's own listener cannot stop the event before Latchkey sees it.
  doc.addEventListener('input', (e) => {
    if (!isPasswordEntry(e)) return;
    const t = now();
    if (t - last < REPORT_EVERY_MS) return;
    last = t;
    report();
  }, { capture: true, passive: true });
}
