import type { ComponentChildren } from 'preact';
import { Logo } from '../../ui/Logo';
import { t, withParts } from '../../ui/i18n';

export interface FrameProps { title: string; children: ComponentChildren }

/** The same header on every screen, so nothing jumps between steps. */
export function Frame({ title, children }: FrameProps) {
  return (
    <>
      <header><Logo size={28} /><span>Latchkey</span></header>
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
      <button type="button" autoFocus={focusHandOver} disabled={busy} onClick={onHandOver}>{t('useAnotherDevice')}</button>
      <button type="button" disabled={busy} onClick={onCancel}>{t('cancel')}</button>
    </>
  );
}

/**
 * The site asking: its RP ID, its origin when that is not plainly https://<RP ID>, and for a frame
 * that is not same-origin with its ancestors the top-level site too (§5.1.3 step 2.4: make it
 * clear that the origin asking is not the one in the address bar).
 */
export function SiteLine({ rpId, origin, topOrigin = null }: { rpId: string; origin: string; topOrigin?: string | null }) {
  const topHost = topOrigin ? hostOf(topOrigin) : null;
  return (
    <p class="muted">
      {withParts('siteLine', <span class="site">{rpId}</span>)}{origin !== `https://${rpId}` ? <> ({origin})</> : null}
      {topOrigin && topHost ? <>{withParts('siteInside', <span class="site">{topHost}</span>)}{topOrigin !== `https://${topHost}` ? <> ({topOrigin})</> : null}</> : null}
    </p>
  );
}

function hostOf(origin: string): string | null {
  try { return new URL(origin).hostname; } catch { return null; }
}
