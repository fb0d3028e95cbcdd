import type { ComponentChildren } from 'preact';

export interface FrameProps { title: string; children: ComponentChildren }

/** The same header on every screen, so nothing jumps between steps. */
export function Frame({ title, children }: FrameProps) {
  return (
    <>
      <header><img src="../icons/latchkey.svg" alt="" /><span>Latchkey</span></header>
      <h1>{title}</h1>
      {children}
    </>
  );
}

export interface OtherWaysProps { busy: boolean; onHandOver: () => void; onCancel: () => void; focusHandOver?: boolean }

/** Offered on every screen (DESIGN): the browser's own choices, or refuse. */
export function OtherWays({ busy, onHandOver, onCancel, focusHandOver = false }: OtherWaysProps) {
  return (
    <>
      <button type="button" autoFocus={focusHandOver} disabled={busy} onClick={onHandOver}>Use another device or security key</button>
      <button type="button" disabled={busy} onClick={onCancel}>Cancel</button>
    </>
  );
}

export function SiteLine({ rpId, origin }: { rpId: string; origin: string }) {
  return <p class="muted">Site: <span class="site">{rpId}</span>{origin !== `https://${rpId}` ? <> ({origin})</> : null}</p>;
}
