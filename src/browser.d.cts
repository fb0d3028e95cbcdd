// Types of browser.cjs (see there for why it is CommonJS). Type names: `import type Browser from
// 'webextension-polyfill'` (e.g. Browser.Runtime.Port).
import type Browser from 'webextension-polyfill';
export declare const browser: Browser.Browser;
