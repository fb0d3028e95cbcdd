// The browser's own runtime object (browser.* in Firefox, chrome.* in Chromium): sendMessage and
// connect behave alike in both under Manifest V3 (promises), so the window needs no
// webextension-polyfill, which kept 10 KB of script between the window opening and its first answer.
import type Browser from 'webextension-polyfill';

export const runtime: typeof Browser.runtime =
  ((globalThis as { browser?: typeof Browser }).browser ?? (globalThis as unknown as { chrome: typeof Browser }).chrome).runtime;
