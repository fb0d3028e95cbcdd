// Latchkey's mark (icons/latchkey.svg), drawn inline: an <img> of it costs a window a file fetch
// while the browser is still busy opening it, and an isolated SVG document (about 7 ms of the
// window's main thread, in a trace of bench/windowfloor.bench.ts). Decorative: the name is beside it.
export function Logo({ size }: { size: number }) {
  return (
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width={size} height={size} aria-hidden="true" focusable="false">
      <rect width="64" height="64" rx="14" fill="#1f4e79" />
      <circle cx="24" cy="30" r="11" fill="none" stroke="#fff" stroke-width="6" />
      <path d="M34 30h22M48 30v10M56 30v7" stroke="#fff" stroke-width="6" stroke-linecap="round" />
    </svg>
  );
}
