// Types for scripts/build.mjs (a plain Node script, so `npm run build` needs no TypeScript tooling).
export const root: string;
export const BROWSERS: readonly ['chrome', 'firefox'];
export const FLAVOURS: readonly ['release', 'testing'];
export type Browser = 'chrome' | 'firefox';
export type Flavour = 'release' | 'testing';
export function distDir(browser: Browser, flavour: Flavour): string;
export function version(): string;
export function manifestFor(browser: Browser): Record<string, unknown> & { version: string };
export function buildExtension(o: { browser: Browser; flavour: Flavour; outDir?: string; quiet?: boolean }): Promise<{ file: string; bytes: number }[]>;
export function targetsFromArgs(args: string[]): { browser: Browser; flavour: Flavour }[];
