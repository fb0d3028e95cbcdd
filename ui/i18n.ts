// The words of every page, in the person's language: the browser's own extension i18n
// (_locales/<lang>/messages.json, chosen by the browser from its UI language, English when it has
// none of ours; docs/I18N.md). getMessage is synchronous in both browsers, so a screen renders in
// one pass, as before.
//
// The browser's object is read directly (browser.i18n in Firefox, chrome.i18n in Chromium), not
// through webextension-polyfill: the ceremony window, the autofill list and the notice do without
// the polyfill to keep their first answer fast (popup/runtime.ts), and i18n needs no promises.
//
// Outside a browser (the unit tests, under Node), the English file is read from disk and applied
// with the browser's rules, and a missing key throws: a test then fails instead of showing a key.

interface I18nApi {
  getMessage(key: string, substitutions?: string | string[]): string;
  getUILanguage(): string;
}

type Messages = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;

/** Applies messages.json's rules as the browsers do: $NAME$ is its placeholder's content, $1..$9 a substitution, $$ a dollar. */
export function formatMessage(messages: Messages, key: string, substitutions: readonly string[]): string {
  const entry = messages[key];
  if (!entry) return '';
  const placeholders = new Map(Object.entries(entry.placeholders ?? {}).map(([name, p]) => [name.toLowerCase(), p.content]));
  const numbered = (s: string) => s.replace(/\$(\d)/g, (_, d: string) => substitutions[Number(d) - 1] ?? '');
  return entry.message
    .replace(/\$\$|\$([A-Za-z0-9_@]+)\$|\$(\d)/g, (all, name: string | undefined, digit: string | undefined) => {
      if (all === '$$') return '$';
      if (digit) return substitutions[Number(digit) - 1] ?? '';
      const content = placeholders.get(name!.toLowerCase());
      return content === undefined ? all : numbered(content);
    });
}

/** The English file, for Node (tests): looked for from the working directory up, as a test may run from a subfolder. */
function nodeEnglish(): I18nApi | null {
  const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  if (!getBuiltin) return null;
  const fs = getBuiltin('node:fs') as typeof import('node:fs');
  const path = getBuiltin('node:path') as typeof import('node:path');
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    const file = path.join(dir, '_locales', 'en', 'messages.json');
    if (fs.existsSync(file)) {
      const messages = JSON.parse(fs.readFileSync(file, 'utf8')) as Messages;
      return {
        getMessage: (key, subs) => {
          if (!messages[key]) throw new Error(`no message "${key}" in _locales/en/messages.json`);
          return formatMessage(messages, key, subs === undefined ? [] : Array.isArray(subs) ? subs : [subs]);
        },
        getUILanguage: () => 'en',
      };
    }
    if (path.dirname(dir) === dir) return null;
  }
}

let api: I18nApi | null | undefined;
function i18n(): I18nApi | null {
  if (api === undefined) {
    const g = globalThis as { browser?: { i18n?: I18nApi }; chrome?: { i18n?: I18nApi } };
    api = g.browser?.i18n ?? g.chrome?.i18n ?? nodeEnglish();
  }
  return api;
}

/**
 * The message `key` in the person's language, with its placeholders filled from `substitutions`
 * in order. A key the browser does not know gives the key itself (and a warning), never an empty
 * line; under Node it throws. ui/i18n.test.ts checks that every key used exists in every language.
 */
export function t(key: string, ...substitutions: (string | number)[]): string {
  const subs = substitutions.map((s) => (typeof s === 'number' ? formatNumber(s) : s));
  const m = i18n()?.getMessage(key, subs) ?? '';
  if (m !== '') return m;
  console.warn(`Latchkey: no message "${key}"`);
  return key;
}

/**
 * The language of the messages actually shown ("en", "de", "fr"): each messages.json says its own
 * (key `lang`), because the browser falls back to English for a UI language Latchkey has no file
 * for, and numbers, dates and plural rules must follow the words, not the browser.
 */
export function messagesLanguage(): string {
  const own = i18n()?.getMessage('lang');
  return own || 'en';
}

let cachedLocale: string | undefined;
/**
 * The BCP 47 locale for Intl: the browser's UI language when it is a variant of the messages'
 * language (de-AT, fr-CH keep their own conventions), else the messages' language.
 */
export function uiLocale(): string {
  if (cachedLocale === undefined) {
    const lang = messagesLanguage();
    const ui = (i18n()?.getUILanguage() ?? '').replace(/_/g, '-');
    let locale = lang;
    try {
      if (ui && new Intl.Locale(ui).language === lang) locale = Intl.getCanonicalLocales(ui)[0] ?? lang;
    } catch { /* not a valid tag: the messages' language */ }
    cachedLocale = locale;
  }
  return cachedLocale;
}

let numbers: Intl.NumberFormat | undefined;
/** A number as the person writes it: 1,200 / 1.200 / 1 200. */
export function formatNumber(n: number): string {
  numbers ??= new Intl.NumberFormat(uiLocale());
  return numbers.format(n);
}

let rules: Intl.PluralRules | undefined;
/**
 * The message for a count: `${keyBase}One` or `${keyBase}Other`, by the plural rules of the
 * messages' language (French counts 0 and 1 as singular, English and German only 1). The count,
 * formatted, is the first substitution; `more` follow. Every language has just these two forms;
 * the rare extra categories of some locales (French "many" for millions) take the Other form.
 */
export function plural(keyBase: string, n: number, ...more: (string | number)[]): string {
  rules ??= new Intl.PluralRules(messagesLanguage());
  return t(`${keyBase}${rules.select(n) === 'one' ? 'One' : 'Other'}`, formatNumber(n), ...more);
}

/**
 * A message with markup inside (a site name in <span class="site">, a word in <strong>): the
 * message is split at its placeholders and each gets the matching part, in the order given, so a
 * language may move them around. Returns text and parts, for a JSX child list.
 */
export function withParts<P>(key: string, ...parts: P[]): (string | P)[] {
  // Private-use characters no message contains mark where each part goes.
  const marks = parts.map((_, i) => `\uE000${i}\uE001`);
  const text = t(key, ...marks);
  const out: (string | P)[] = [];
  for (const [i, piece] of text.split(/\uE000(\d)\uE001/).entries()) {
    if (i % 2 === 0) { if (piece !== '') out.push(piece); } else out.push(parts[Number(piece)]!);
  }
  return out;
}

/**
 * The words of a page's static HTML, shown before its script ran: each element with data-i18n gets
 * that message as its text, data-i18n-label as its aria-label; the page's lang follows the messages.
 */
export function translateStatic(doc: Document = document): void {
  doc.documentElement.lang = messagesLanguage();
  for (const el of doc.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset.i18n!);
  for (const el of doc.querySelectorAll<HTMLElement>('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel!));
}
