// Opens and closes the ceremony window: an extension page in its own popup window, one per
// ceremony, placed over the browser window that asked.
import { browser } from '../browser.cjs';

const WIDTH = 440;
const HEIGHT = 600;

export async function openCeremonyWindow(ceremonyId: string, nearWindowId: number | undefined): Promise<number> {
  const placement: { left?: number; top?: number } = {};
  if (nearWindowId !== undefined) {
    try {
      const w = await browser.windows.get(nearWindowId);
      if (w.left !== undefined && w.width !== undefined) placement.left = Math.max(0, Math.round(w.left + (w.width - WIDTH) / 2));
      if (w.top !== undefined) placement.top = Math.max(0, w.top + 80);
    } catch { /* the window is gone: let the browser place ours */ }
  }
  const win = await browser.windows.create({
    url: browser.runtime.getURL(`popup/ceremony.html#${ceremonyId}`),
    type: 'popup',
    width: WIDTH,
    height: HEIGHT,
    focused: true,
    ...placement,
  });
  if (win.id === undefined) throw new Error('the browser did not give the ceremony window an id');
  return win.id;
}

export async function closeWindow(windowId: number): Promise<void> {
  try { await browser.windows.remove(windowId); } catch { /* already closed */ }
}

/** Focus goes back to the requesting tab before a hand-over: browsers refuse WebAuthn from an unfocused page. */
export async function focusTab(tabId: number, windowId: number): Promise<void> {
  try {
    await browser.windows.update(windowId, { focused: true });
    await browser.tabs.update(tabId, { active: true });
  } catch { /* the tab is gone; the hand-over will fail in the page, which settles the promise */ }
}
