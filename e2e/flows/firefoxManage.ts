// Latchkey's manage page (options/) in Firefox ESR over Marionette, by the names a person reads:
// section headings, field labels, button names. The driver's fillTextbox/clickButton look at the
// whole page, and the page has two "Backup passphrase" fields (Export and Import), so these helpers
// look inside one section (the <section> a heading names) first.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FirefoxDriver, PrefValue } from '../lib/firefox';
import { until } from './firefoxDemoFlow';

const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf';
type ElementRef = { [ELEMENT_KEY]: string };

/** Opens the manage page in a new tab and switches to it; returns the tab's handle. */
export async function openManagePage(ff: FirefoxDriver): Promise<string> {
  const { handle } = await ff.send<{ handle: string }>('WebDriver:NewWindow', { type: 'tab', focus: true });
  await ff.switchToWindow(handle);
  await ff.navigate(`${ff.extensionOrigin}/options/options.html`);
  return handle;
}

// In the page: the section a heading names (the innermost <section> whose aria-labelledby heading,
// or first heading, has that text), then a control in it by its label.
const FIND_IN_SECTION = `(heading, kind, label) => {
  const norm = (s) => (s || '').replace(/\\s+/g, ' ').trim().toLowerCase();
  const visible = (el) => {
    if (el.closest('[hidden], [aria-hidden="true"], [inert]')) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const headingOf = (s) => {
    const id = s.getAttribute('aria-labelledby');
    const h = id ? document.getElementById(id) : s.querySelector('h1, h2, h3, h4');
    return h ? h.textContent : '';
  };
  const sections = [...document.querySelectorAll('section')].filter((s) => norm(headingOf(s)) === norm(heading));
  const section = sections[sections.length - 1];
  if (!section) return null;
  if (kind === 'section') return section;
  const labelText = (el) => [...(el.labels || [])].map((l) => {
    // A label wrapping its input: its own text, without the input's.
    const copy = l.cloneNode(true);
    copy.querySelectorAll('input, select, textarea').forEach((n) => n.remove());
    return copy.textContent;
  }).concat([el.getAttribute('aria-label') || '']);
  if (kind === 'button') {
    const buttons = [...section.querySelectorAll('button')].filter(visible);
    return buttons.find((b) => norm(b.textContent) === norm(label) && !b.disabled) || null;
  }
  if (kind === 'status') return section.querySelector('[role="status"]');
  const selector = kind === 'file' ? 'input[type="file"]' : kind === 'radio' ? 'input[type="radio"]'
    : 'input:not([type="file"]):not([type="radio"]):not([type="checkbox"]), textarea';
  const fields = [...section.querySelectorAll(selector)].filter((el) => kind === 'file' || visible(el));
  return fields.find((el) => labelText(el).some((t) => norm(t) === norm(label))) || null;
}`;

type Kind = 'section' | 'button' | 'status' | 'text' | 'file' | 'radio';

async function findIn(ff: FirefoxDriver, heading: string, kind: Kind, label = '', timeoutMs = 10_000): Promise<ElementRef> {
  return until(`${kind} "${label}" in the "${heading}" section`, async () => {
    const el = await ff.execute<ElementRef | null>(FIND_IN_SECTION, [heading, kind, label]).catch(() => null);
    return el && typeof el === 'object' && ELEMENT_KEY in el ? el : null;
  }, timeoutMs);
}

/** Types into the text field labelled `label` in the section headed `heading` (cleared first). */
export async function fillIn(ff: FirefoxDriver, heading: string, label: string, text: string): Promise<void> {
  const el = await findIn(ff, heading, 'text', label);
  await ff.send('WebDriver:ElementClear', { id: el[ELEMENT_KEY] });
  await ff.send('WebDriver:ElementSendKeys', { id: el[ELEMENT_KEY], text });
}

/** Clicks the button named exactly `name` in the section headed `heading`. */
export async function clickIn(ff: FirefoxDriver, heading: string, name: string): Promise<void> {
  const el = await findIn(ff, heading, 'button', name);
  await ff.send('WebDriver:ElementClick', { id: el[ELEMENT_KEY] });
}

/** Clicks the radio button labelled `label` in the section headed `heading`. */
export async function checkIn(ff: FirefoxDriver, heading: string, label: string): Promise<void> {
  const el = await findIn(ff, heading, 'radio', label);
  await ff.send('WebDriver:ElementClick', { id: el[ELEMENT_KEY] });
}

/** Chooses a file in the <input type=file> labelled `label` (WebDriver sends the path as keys). */
export async function chooseFileIn(ff: FirefoxDriver, heading: string, label: string, file: string): Promise<void> {
  const el = await findIn(ff, heading, 'file', label);
  await ff.send('WebDriver:ElementSendKeys', { id: el[ELEMENT_KEY], text: file });
}

/** Waits until the section's role=status text matches every pattern; returns that text. */
export async function waitForStatusIn(ff: FirefoxDriver, heading: string, patterns: RegExp[], timeoutMs = 20_000): Promise<string> {
  let last = '';
  try {
    return await until(`the "${heading}" status to match ${patterns.join(' and ')}`, async () => {
      const el = await findIn(ff, heading, 'status', '', timeoutMs);
      const text = (await ff.send<{ value: string }>('WebDriver:GetElementText', { id: el[ELEMENT_KEY] }).catch(() => ({ value: '' }))).value;
      last = text;
      return patterns.every((p) => p.test(text)) ? text : null;
    }, timeoutMs);
  } catch (e) {
    const alert = await ff.execute<string>(`() => [...document.querySelectorAll('[role="alert"]')].map((a) => a.textContent).join(' | ')`).catch(() => '');
    throw new Error(`${(e as Error).message} (status: "${last}", alerts: "${alert}")`, { cause: e });
  }
}

/**
 * Prefs that make Firefox save every download into `dir` without asking (a Blob URL and <a
 * download> included), written straight there rather than in a temporary directory first.
 */
export function downloadPrefs(dir: string): Record<string, PrefValue> {
  return {
    'browser.download.folderList': 2,
    'browser.download.dir': dir,
    'browser.download.useDownloadDir': true,
    'browser.download.always_ask_before_handling_new_types': false,
    'browser.download.start_downloads_in_tmp_dir': false,
    'browser.download.manager.addToRecentDocs': false,
    'browser.download.alwaysOpenPanel': false,
    'browser.download.panel.shown': true,
  };
}

/**
 * Waits for one finished download whose name ends with `suffix` in `dir` (no .part file beside
 * it, size above zero and unchanged over two polls); returns its full path.
 */
export async function waitForDownload(dir: string, suffix: string, timeoutMs = 20_000): Promise<string> {
  let lastSize = -1;
  return until(`a finished *${suffix} download in ${dir}`, async () => {
    const names = readdirSync(dir);
    if (names.some((n) => n.endsWith('.part'))) return null;
    const found = names.find((n) => n.endsWith(suffix));
    if (!found) return null;
    const file = join(dir, found);
    const size = statSync(file).size;
    const stable = size > 0 && size === lastSize;
    lastSize = size;
    return stable ? file : null;
  }, timeoutMs);
}
