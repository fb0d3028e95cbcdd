// Which element of this frame the *person* last moved the focus to (issue 15, existence leak).
//
// The passkey autofill offer (./autofill.ts) appears only where Latchkey holds passkeys, and the page
// can see its host element; so it may appear only when the person acted on the field, never on the
// page's own `input.focus()`. Focus events are trusted even when a script called focus(), so
// isTrusted alone does not tell: a focus counts as the person's when it happens while the browser
// dispatches the person's own input (a trusted pointer or mouse press on the field, a click on
// its <label>, or the Tab key), within the same task.
//
// Installed by the bridge at document_start in every frame (the person may focus the field before
// the page asks for autofill; the offer script is injected only then), and read by the offer script,
// which runs in the same isolated world: the page can neither see nor set this state.

const KEY = '__latchkeyPersonFocus';
interface Tracker { element: EventTarget | null }

function tracker(): Tracker | undefined {
  return (globalThis as Record<string, unknown>)[KEY] as Tracker | undefined;
}

/** Listens in this frame (once): cheap capture listeners that only note targets. */
export function trackPersonFocus(): void {
  const g = globalThis as Record<string, unknown>;
  if (g[KEY]) return;
  const t: Tracker = { element: null };
  g[KEY] = t;
  let path: EventTarget[] | null = null;
  let tabbing = false;
  let clearing = false;
  const clearSoon = () => {
    if (clearing) return;
    clearing = true;
    // A task later: focus moves as the default action of the same input event (mousedown, Tab's
    // keydown, a label's click), after every listener ran, but in the same task.
    setTimeout(() => { path = null; tabbing = false; clearing = false; }, 0);
  };
  const onInput = (e: Event) => {
    if (!e.isTrusted) return;
    if (e.type === 'keydown') {
      if ((e as KeyboardEvent).key !== 'Tab') return;
      tabbing = true;
    } else {
      path = e.composedPath();
    }
    clearSoon();
  };
  for (const type of ['pointerdown', 'mousedown', 'click', 'keydown']) addEventListener(type, onInput, { capture: true, passive: true });
  addEventListener('focusin', (e) => {
    const target = e.target;
    const byPerson = e.isTrusted && (tabbing || (path !== null && (path.includes(target!)
      || path.some((n) => n instanceof HTMLLabelElement && n.control === target))));
    t.element = byPerson ? target : null;
  }, true);
}

/** Whether `el` has the focus because the person put it there (see above). */
export function focusedByPerson(el: EventTarget | null): boolean {
  return el !== null && tracker()?.element === el;
}
