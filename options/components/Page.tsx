import type { ComponentChildren, Ref } from 'preact';
import { Logo } from '../../ui/Logo';

export interface PageProps {
  title: string;
  /** The h1, so the page can move focus to it after a change of screen. */
  headingRef?: Ref<HTMLHeadingElement>;
  /** In-page links shown under the title. */
  nav?: ComponentChildren;
  children: ComponentChildren;
}

/** The same header and column on every screen, so nothing jumps from loading to locked to unlocked. */
export function Page({ title, headingRef, nav, children }: PageProps) {
  return (
    <div class="page">
      <header class="brand"><Logo size={28} /><span>Latchkey</span></header>
      <h1 ref={headingRef} tabIndex={-1}>{title}</h1>
      {nav}
      {children}
    </div>
  );
}
