/**
 * Firefox driver for the test fixture (./firefox.ts) and Latchkey's own end-to-end suites (through
 * e2e/lib/firefox.ts): Firefox ESR started headless with Marionette, spoken to directly over TCP
 * (./marionette.ts). No geckodriver, no Playwright (neither can drive ESR).
 *
 * Usage:
 *   import { launchFirefox } from '@latchkey/testing/firefox';   // in this repository: e2e/lib/firefox
 *   const ff = await launchFirefox({ extensionDir: 'dist/firefox', virtualAuthenticator: true });
 *   try {
 *     const authId = await ff.addVirtualAuthenticator();
 *     await ff.navigate(`http://localhost:${port}/`);
 *     const r = await ff.executeAsync<{ id: string } | ScriptError>(
 *       `async () => { const c = await navigator.credentials.create({...}); return { id: c.id }; }`);
 *     if (isScriptError(r)) assert.fail(r.__error.name);         // e.g. 'NotAllowedError'
 *     const popup = await ff.waitForNewWindow(before, 10_000);   // a windows.create() popup
 *     await ff.switchToWindow(popup);
 *     await ff.clickButton('Approve');                            // trusted click, like getByRole
 *   } finally {
 *     await ff.quit();                    // always: Marionette:Quit, then SIGTERM/SIGKILL by PID
 *   }
 *
 * Restarting with the same profile (the extension, its IndexedDB and storage.local survive):
 *   const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lk-'));
 *   let ff = await launchFirefox({ profileDir, extensionDir });   // packs + installs the add-on
 *   ...; await ff.quit();                                         // profileDir is kept (caller's)
 *   ff = await launchFirefox({ profileDir });                     // add-on still installed
 *   ...; await ff.quit(); fs.rmSync(profileDir, { recursive: true, force: true });
 *
 * How the extension is installed: `extensionXpi` (an .xpi file, e.g. `npm run package`'s) is installed
 * as it is; `extensionDir` is zipped into an .xpi (fflate) and installed with
 * `Addon:Install {path, temporary: false}` — a normal, persistent install of an unsigned add-on,
 * which ESR allows with `xpinstall.signatures.required=false`. Firefox copies it to
 * `<profile>/extensions/<id>.xpi` and it stays installed across restarts, with its data. Temporary
 * add-ons (`temporary: true`) are uninstalled at shutdown, and their data with them. When the profile
 * already holds a byte-identical xpi (same build; the zip is deterministic), the install is skipped,
 * so a restart does not reload the add-on; a changed build is installed over it as an upgrade
 * (same id, same pinned UUID: data kept).
 *
 * The extension's internal UUID is pinned with the `extensions.webextensions.uuids` pref, so its
 * origin is always `moz-extension://<extensionUuid>` (driver.extensionOrigin).
 *
 * Set FIREFOX_PATH to use another binary, FFLOG=1 to see Firefox's stderr (and console output).
 * Navigating a tab to moz-extension:// URLs or using the chrome context needs `systemAccess: true`
 * (adds `-remote-allow-system-access`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { strFromU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { MarionetteClient, MarionetteError } from './marionette.js';
import { FIREFOX_PATH } from './paths.js';

export const DEFAULT_EXTENSION_ID = 'latchkey@latchkey.dev';
export const DEFAULT_EXTENSION_UUID = '6b1f3c2e-5a7d-4e8b-9c0f-1a2b3c4d5e6f';

export type PrefValue = string | number | boolean;

export interface LaunchOptions {
  /** Profile directory. Reuse the same dir to restart with the same profile; it is kept at quit().
   *  Without it a temporary profile is created and deleted at quit(). */
  profileDir?: string;
  /** Unpacked extension directory (e.g. dist/firefox): packed into an .xpi and installed for good. */
  extensionDir?: string;
  /** An .xpi file installed as it is (instead of extensionDir), e.g. dist/latchkey-firefox-<version>.xpi. */
  extensionXpi?: string;
  /** Gecko id of the extension (browser_specific_settings.gecko.id). Default 'latchkey@latchkey.dev'. */
  extensionId?: string;
  /** Pinned internal UUID, so the origin is moz-extension://<uuid>. Default DEFAULT_EXTENSION_UUID. */
  extensionUuid?: string;
  /** Enable the soft token so Marionette's WebAuthn:AddVirtualAuthenticator can stand in for a key. */
  virtualAuthenticator?: boolean;
  /** Extra prefs written to user.js (win over the defaults). */
  prefs?: Record<string, PrefValue>;
  /** Add -remote-allow-system-access (moz-extension:// navigation, chrome context). */
  systemAccess?: boolean;
  /** Firefox binary. Default $FIREFOX_PATH or /usr/bin/firefox-esr. */
  executablePath?: string;
  /** How long to wait for Marionette to come up (default 60 s). */
  launchTimeoutMs?: number;
  /** Headless (default); false needs a display, e.g. under xvfb-run. */
  headless?: boolean;
  /** Pipe Firefox's stderr to ours and print console output (default: $FFLOG set). */
  log?: boolean;
}

/** What executeAsync returns when the script's promise rejects. */
export interface ScriptError {
  __error: { name: string; message: string };
}

export function isScriptError(v: unknown): v is ScriptError {
  return typeof v === 'object' && v !== null && '__error' in v;
}

export interface VirtualAuthenticatorOptions {
  protocol: 'ctap2' | 'ctap1/u2f' | 'ctap2_1';
  transport: 'usb' | 'nfc' | 'ble' | 'internal' | 'hybrid';
  hasResidentKey: boolean;
  hasUserVerification: boolean;
  isUserConsenting: boolean;
  isUserVerified: boolean;
}

export interface VirtualCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId: string;
  privateKey: string;
  signCount: number;
  userHandle?: string;
}

export interface WaitOptions {
  timeoutMs?: number;
}

export interface ExecuteOptions {
  /** Script timeout (default 30 s). */
  timeoutMs?: number;
}

export interface LaunchTimings {
  /** spawn → Marionette hello + new session. */
  marionetteReadyMs: number;
  /** Packing + Addon:Install (0 when skipped). */
  installMs: number;
  /** Whole launchFirefox() call. */
  totalMs: number;
  /** 'installed', 'unchanged' (identical xpi already in the profile) or 'none'. */
  install: 'installed' | 'unchanged' | 'none';
}

/** A web element reference as Marionette serialises it. */
const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf';
type ElementRef = { [ELEMENT_KEY]: string };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// Processes started by this module. If the test process ends without quit() (a crash, a forgotten
// quit, Ctrl-C, a runner's SIGTERM), they are SIGKILLed with their process group on the way out.
const live = new Set<ChildProcess>();
const ownedProfiles = new Map<ChildProcess, string>(); // temporary profiles to delete with them
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = () => {
    for (const p of live) killGroup(p, 'SIGKILL');
    live.clear();
    for (const dir of ownedProfiles.values()) {
      try {
        fs.rmSync(dir, { recursive: true, force: true });
      } catch {
        /* best effort */
      }
    }
    ownedProfiles.clear();
  };
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      killAll();
      // Keep the default behaviour for this signal when nobody else handles it.
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    });
  }
}

function killGroup(p: ChildProcess, signal: NodeJS.Signals): void {
  if (p.pid === undefined) return;
  try {
    process.kill(-p.pid, signal); // detached → Firefox leads its own process group (content processes too)
  } catch {
    try {
      p.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Zip a directory into an .xpi, deterministically (fixed mtime, sorted entries). A zip stores local
 * time, and fflate reads the Date's local fields: the date is built from local fields, so the bytes
 * do not depend on the time zone.
 */
export function packXpi(dir: string): Uint8Array {
  const files: Zippable = {};
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const st = fs.statSync(path.join(dir, r));
      if (st.isDirectory()) walk(r);
      else if (st.isFile()) files[r] = [new Uint8Array(fs.readFileSync(path.join(dir, r))), { mtime: new Date(2020, 0, 1) }];
    }
  };
  walk('');
  if (!files['manifest.json']) throw new Error(`${dir} has no manifest.json`);
  return zipSync(files, { level: 6 });
}

/** The existing value of extensions.webextensions.uuids in the profile's prefs.js, if any. */
function existingUuids(profileDir: string): Record<string, string> {
  try {
    const prefs = fs.readFileSync(path.join(profileDir, 'prefs.js'), 'utf8');
    const m = /user_pref\("extensions\.webextensions\.uuids", ("(?:[^"\\]|\\.)*")\);/.exec(prefs);
    if (!m?.[1]) return {};
    const parsed: unknown = JSON.parse(JSON.parse(m[1]) as string);
    return typeof parsed === 'object' && parsed ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

function writeUserJs(profileDir: string, prefs: Record<string, PrefValue>): void {
  const lines = Object.entries(prefs).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`);
  fs.writeFileSync(path.join(profileDir, 'user.js'), lines.join('\n') + '\n');
}

/** Is the given function source a function expression (arrow or `function`) rather than a body? */
function isFunctionSource(src: string): boolean {
  return /^\s*(async\s+)?(function\b|\([^)]*\)\s*=>|[A-Za-z_$][\w$]*\s*=>)/.test(src);
}

export class FirefoxDriver {
  /** The extension's origin, `moz-extension://<uuid>` (no trailing slash). */
  readonly extensionOrigin: string;
  private scriptTimeoutMs = 30_000;
  private quitting: Promise<void> | null = null;

  constructor(
    readonly client: MarionetteClient,
    readonly process: ChildProcess,
    readonly profileDir: string,
    private readonly ownsProfile: boolean,
    readonly extensionId: string,
    readonly extensionUuid: string,
    readonly timings: LaunchTimings,
  ) {
    this.extensionOrigin = `moz-extension://${extensionUuid}`;
  }

  get pid(): number {
    return this.process.pid ?? -1;
  }

  /** Raw Marionette command. */
  send<T = unknown>(command: string, params: Record<string, unknown> = {}, timeoutMs?: number): Promise<T> {
    return this.client.send<T>(command, params, timeoutMs === undefined ? {} : { timeoutMs });
  }

  // ---- navigation -------------------------------------------------------------------------------

  async navigate(url: string): Promise<void> {
    await this.send('WebDriver:Navigate', { url });
  }

  async url(): Promise<string> {
    return (await this.send<{ value: string }>('WebDriver:GetCurrentURL')).value;
  }

  // ---- scripts ----------------------------------------------------------------------------------

  /**
   * Run a synchronous script in the current page and return its (JSON-able) value. `fnSource` is a
   * function expression (`(a, b) => a + b`) called with `args`, or a function body using `return`
   * and `arguments`. DOM elements come back as web element references.
   */
  async execute<T = unknown>(fnSource: string, args: unknown[] = [], o: ExecuteOptions = {}): Promise<T> {
    const script = isFunctionSource(fnSource) ? `return (${fnSource}).apply(null, arguments);` : fnSource;
    await this.setScriptTimeout(o.timeoutMs);
    const r = await this.send<{ value: T }>('WebDriver:ExecuteScript', { script, args }, this.scriptTimeoutMs + 10_000);
    return r.value;
  }

  /**
   * Run an async function (expression like `async (x) => {...}`, or an async function body using
   * `await`/`return`/`arguments`) in the current page and return what its promise resolves to.
   * A rejection is returned as `{ __error: { name, message } }` (see isScriptError), so tests can
   * check DOMException names. A script that runs longer than `timeoutMs` (default 30 s) rejects
   * with MarionetteError('script timeout').
   */
  async executeAsync<T = unknown>(fnSource: string, args: unknown[] = [], o: ExecuteOptions = {}): Promise<T | ScriptError> {
    const fn = isFunctionSource(fnSource) ? fnSource : `async function () {\n${fnSource}\n}`;
    const script = `
      const __done = arguments[arguments.length - 1];
      const __args = Array.prototype.slice.call(arguments, 0, -1);
      Promise.resolve()
        .then(() => (${fn}).apply(null, __args))
        .then(
          (v) => __done(v === undefined ? null : v),
          (e) => __done({ __error: {
            name: String((e && e.name) || 'Error'),
            message: String(e && e.message !== undefined ? e.message : e),
          } }),
        );`;
    await this.setScriptTimeout(o.timeoutMs);
    const r = await this.send<{ value: T | ScriptError }>('WebDriver:ExecuteAsyncScript', { script, args }, this.scriptTimeoutMs + 10_000);
    return r.value;
  }

  private async setScriptTimeout(ms = 30_000): Promise<void> {
    if (ms === this.scriptTimeoutMs) return;
    await this.send('WebDriver:SetTimeouts', { script: ms });
    this.scriptTimeoutMs = ms;
  }

  // ---- windows ----------------------------------------------------------------------------------

  /** Handles of all top-level browsing contexts (tabs and windows, including extension popups). */
  async windowHandles(): Promise<string[]> {
    return this.send<string[]>('WebDriver:GetWindowHandles');
  }

  async currentWindow(): Promise<string> {
    return (await this.send<{ value: string }>('WebDriver:GetWindowHandle')).value;
  }

  async switchToWindow(handle: string): Promise<void> {
    await this.send('WebDriver:SwitchToWindow', { handle, focus: true });
  }

  /** Wait until a handle not in `previousHandles` appears and return it (does not switch to it). */
  async waitForNewWindow(previousHandles: readonly string[], timeoutMs = 10_000): Promise<string> {
    const before = new Set(previousHandles);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const fresh = (await this.windowHandles()).find((h) => !before.has(h));
      if (fresh) return fresh;
      if (Date.now() > deadline) throw new Error(`no new window within ${timeoutMs} ms`);
      await sleep(100);
    }
  }

  /** Wait until `handle` is no longer among the window handles (e.g. a popup that closes itself). */
  async waitForWindowClosed(handle: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.windowHandles()).includes(handle)) {
      if (Date.now() > deadline) throw new Error(`window ${handle} still open after ${timeoutMs} ms`);
      await sleep(100);
    }
  }

  /** Close the current window/tab; returns the remaining handles. Switch to one of them afterwards. */
  async closeWindow(): Promise<string[]> {
    return this.send<string[]>('WebDriver:CloseWindow');
  }

  // ---- elements (getByRole-like, case-insensitive) ------------------------------------------------

  /**
   * Click (a real, trusted WebDriver click) the first visible, enabled <button>, role=button or
   * input[type=button|submit|reset] whose accessible name (aria-labelledby, aria-label, text,
   * value, title) contains `name`, case-insensitively; an exact match wins. Waits for it to appear.
   */
  async clickButton(name: string, o: WaitOptions = {}): Promise<void> {
    const el = await this.waitForElement(FIND_BUTTON, [name], o.timeoutMs ?? 10_000, `button "${name}"`);
    await this.send('WebDriver:ElementClick', { id: el[ELEMENT_KEY] });
  }

  /**
   * Type `text` into the visible text field whose <label> text, aria-labelledby text or aria-label
   * equals `label` (case-insensitive, whitespace-normalised). Clears it first. Real key events.
   */
  async fillTextbox(label: string, text: string, o: WaitOptions = {}): Promise<void> {
    const el = await this.waitForElement(FIND_TEXTBOX, [label], o.timeoutMs ?? 10_000, `textbox "${label}"`);
    const id = el[ELEMENT_KEY];
    await this.send('WebDriver:ElementClear', { id });
    await this.send('WebDriver:ElementSendKeys', { id, text });
  }

  /** Wait until the page's rendered text contains `text` (case-insensitive, whitespace-normalised). */
  async waitForText(text: string, timeoutMs = 10_000): Promise<void> {
    await this.waitForElement(
      `(t) => { const n = (s) => (s || '').replace(/\\s+/g, ' ').trim().toLowerCase();
        return n(document.body ? document.body.innerText : '').includes(n(t)) ? document.body : null; }`,
      [text],
      timeoutMs,
      `text "${text}"`,
    );
  }

  /** Rendered text of the first element matching a CSS selector (waits for it, default 10 s). */
  async textOf(selector: string, o: WaitOptions = {}): Promise<string> {
    const el = await this.waitForElement('(s) => document.querySelector(s)', [selector], o.timeoutMs ?? 10_000, `"${selector}"`);
    return (await this.send<{ value: string }>('WebDriver:GetElementText', { id: el[ELEMENT_KEY] })).value;
  }

  /** Poll a finder script (returns an element or null) until it finds something. */
  private async waitForElement(finder: string, args: unknown[], timeoutMs: number, what: string): Promise<ElementRef> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown = null;
    for (;;) {
      try {
        const el = await this.execute<ElementRef | null>(finder, args);
        if (el && typeof el === 'object' && ELEMENT_KEY in el) return el;
      } catch (err) {
        // The page may be navigating or the window closing; retry until the deadline.
        if (!(err instanceof MarionetteError)) throw err;
        lastError = err;
      }
      if (Date.now() > deadline) {
        throw new Error(`${what} not found within ${timeoutMs} ms on ${await this.url().catch(() => '?')}${lastError ? ` (${String(lastError)})` : ''}`);
      }
      await sleep(100);
    }
  }

  // ---- WebAuthn ---------------------------------------------------------------------------------

  /** Add a virtual authenticator (needs launch option virtualAuthenticator). Returns its id. */
  async addVirtualAuthenticator(o: Partial<VirtualAuthenticatorOptions> = {}): Promise<string> {
    const params: VirtualAuthenticatorOptions = {
      protocol: 'ctap2',
      transport: 'usb',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserConsenting: true,
      isUserVerified: true,
      ...o,
    };
    const r = await this.send<string | { value: string }>('WebAuthn:AddVirtualAuthenticator', { ...params });
    return typeof r === 'string' ? r : r.value;
  }

  async removeVirtualAuthenticator(authenticatorId: string): Promise<void> {
    await this.send('WebAuthn:RemoveVirtualAuthenticator', { authenticatorId });
  }

  async getCredentials(authenticatorId: string): Promise<VirtualCredential[]> {
    const r = await this.send<VirtualCredential[] | { value: VirtualCredential[] }>('WebAuthn:GetCredentials', { authenticatorId });
    return Array.isArray(r) ? r : r.value;
  }

  async removeAllCredentials(authenticatorId: string): Promise<void> {
    await this.send('WebAuthn:RemoveAllCredentials', { authenticatorId });
  }

  // ---- misc -------------------------------------------------------------------------------------

  /** Save a PNG screenshot of the current page's viewport. */
  async screenshot(file: string): Promise<void> {
    const r = await this.send<{ value: string }>('WebDriver:TakeScreenshot', { full: false });
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, Buffer.from(r.value, 'base64'));
  }

  /**
   * End the Firefox process this driver started, then delete the profile only if launchFirefox
   * created it. Safe to call twice.
   *
   * Default (graceful): Marionette:Quit, then wait up to `graceMs` (10 s) for the process to exit —
   * its reply is often lost, so only the exit counts. Then SIGTERM, then SIGKILL to the process
   * group after 5 s. A clean quit matters for restarts: Firefox writes some profile files (the
   * add-on's granted permissions in extension-preferences.json, prefs.js, extensions.json) a second
   * or so after a change, and SIGTERM ends Firefox at once, without its shutdown sequence.
   * `{ graceful: false }` skips Marionette:Quit (like a crash).
   */
  quit(o: { graceful?: boolean; graceMs?: number } = {}): Promise<void> {
    this.quitting ??= (async () => {
      if (o.graceful !== false && !this.client.closed && this.process.exitCode === null && this.process.signalCode === null) {
        const exited = new Promise<void>((r) => this.process.once('exit', () => r()));
        this.client.send('Marionette:Quit', { flags: ['eForceQuit'] }, { timeoutMs: o.graceMs ?? 10_000 }).catch(() => {});
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([exited, new Promise<void>((r) => (timer = setTimeout(r, o.graceMs ?? 10_000)))]);
        clearTimeout(timer);
      }
      this.client.close();
      await endProcess(this.process);
      if (this.ownsProfile) fs.rmSync(this.profileDir, { recursive: true, force: true });
    })();
    return this.quitting;
  }
}

/** SIGTERM, SIGKILL to the process group after `graceMs`, and wait for the exit. */
async function endProcess(p: ChildProcess, graceMs = 5_000): Promise<void> {
  const exited = p.exitCode !== null || p.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => p.once('exit', () => r()));
  if (p.exitCode === null && p.signalCode === null) {
    try {
      p.kill('SIGTERM');
    } catch {
      /* gone */
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
  }
  // Whatever is left of the group (the main process if it ignored SIGTERM, stray content processes).
  killGroup(p, 'SIGKILL');
  await exited;
  live.delete(p);
  ownedProfiles.delete(p);
}

// Finder scripts (run in the page with WebDriver:ExecuteScript; return an element or null).
const DOM_HELPERS = `
  const norm = (s) => (s || '').replace(/\\s+/g, ' ').trim().toLowerCase();
  const visible = (el) => {
    if (el.closest('[hidden], [aria-hidden="true"], [inert]')) return false;
    const st = getComputedStyle(el);
    if (st.visibility === 'hidden' || st.display === 'none') return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const byIds = (el, attr) => (el.getAttribute(attr) || '').split(/\\s+/).filter(Boolean)
    .map((id) => { const t = document.getElementById(id); return t ? t.textContent : ''; }).join(' ');
`;

const FIND_BUTTON = `(name) => {
  ${DOM_HELPERS}
  const want = norm(name);
  const accName = (el) => {
    const lb = byIds(el, 'aria-labelledby'); if (norm(lb)) return lb;
    const al = el.getAttribute('aria-label'); if (norm(al)) return al;
    if (el instanceof HTMLInputElement) return el.value || el.title;
    const txt = el.innerText || el.textContent; if (norm(txt)) return txt;
    const img = el.querySelector('img[alt]'); if (img) return img.getAttribute('alt');
    return el.title || '';
  };
  const enabled = (el) => !el.disabled && el.getAttribute('aria-disabled') !== 'true';
  const all = [...document.querySelectorAll('button, [role="button"], input[type="button"], input[type="submit"], input[type="reset"]')]
    .filter(visible);
  const named = all.filter((el) => norm(accName(el)).includes(want));
  const exact = named.filter((el) => norm(accName(el)) === want);
  return [...exact, ...named].find(enabled) || null;
}`;

const FIND_TEXTBOX = `(label) => {
  ${DOM_HELPERS}
  const want = norm(label);
  const names = (el) => {
    const out = [byIds(el, 'aria-labelledby'), el.getAttribute('aria-label')];
    for (const l of el.labels || []) out.push(l.textContent);
    return out.filter((s) => norm(s));
  };
  const fields = [...document.querySelectorAll(
    'input:not([type]), input[type="text"], input[type="search"], input[type="email"], input[type="password"], ' +
    'input[type="tel"], input[type="url"], input[type="number"], textarea, [role="textbox"], [contenteditable=""], [contenteditable="true"]')]
    .filter(visible);
  return fields.find((el) => names(el).some((n) => norm(n) === want)) || null;
}`;

/**
 * Start Firefox ESR headless with Marionette, open a session, install the extension (if given) and
 * return the driver. Always pair with `await driver.quit()` (in finally / after()).
 */
export async function launchFirefox(o: LaunchOptions = {}): Promise<FirefoxDriver> {
  const t0 = Date.now();
  const extensionId = o.extensionId ?? DEFAULT_EXTENSION_ID;
  const extensionUuid = o.extensionUuid ?? DEFAULT_EXTENSION_UUID;
  const executable = o.executablePath ?? FIREFOX_PATH;
  const log = o.log ?? !!process.env.FFLOG;
  const ownsProfile = !o.profileDir;
  const profileDir = o.profileDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'latchkey-ff-'));
  fs.mkdirSync(profileDir, { recursive: true });
  const port = await freePort();

  const prefs: Record<string, PrefValue> = {
    'marionette.port': port,
    'remote.prefs.recommended': true,
    // quiet start-up
    'browser.shell.checkDefaultBrowser': false,
    'browser.startup.homepage_override.mstone': 'ignore',
    'browser.startup.page': 0,
    'browser.aboutwelcome.enabled': false,
    'datareporting.policy.dataSubmissionEnabled': false,
    'datareporting.healthreport.uploadEnabled': false,
    'toolkit.telemetry.reportingpolicy.firstRun': false,
    'app.update.disabledForTesting': true,
    // after a SIGKILL: no session restore, no safe-mode prompt
    'browser.sessionstore.resume_from_crash': false,
    'toolkit.startup.max_resumed_crashes': -1,
    'browser.tabs.warnOnClose': false,
    // unsigned add-on installed for good (ESR honours this pref)
    'xpinstall.signatures.required': false,
    'extensions.update.enabled': false,
    'extensions.webextensions.uuids': JSON.stringify({ ...existingUuids(profileDir), [extensionId]: extensionUuid }),
    ...(o.virtualAuthenticator
      ? { 'security.webauth.webauthn_enable_softtoken': true, 'security.webauth.webauthn_enable_usbtoken': false }
      : {}),
    ...(log ? { 'devtools.console.stdout.content': true, 'devtools.console.stdout.chrome': true } : {}),
    ...o.prefs,
  };
  writeUserJs(profileDir, prefs);

  const args = [
    ...(o.systemAccess ? ['-remote-allow-system-access'] : []),
    ...(o.headless === false ? [] : ['--headless']),
    '--marionette',
    '--no-remote',
    '--profile',
    profileDir,
    'about:blank',
  ];
  installExitHook();
  const proc = spawn(executable, args, {
    detached: true, // own process group, so quit() can end the content processes too
    stdio: ['ignore', log ? 'inherit' : 'ignore', log ? 'inherit' : 'pipe'],
    env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1' },
  });
  live.add(proc);
  if (ownsProfile) ownedProfiles.set(proc, profileDir);
  let stderrTail = '';
  proc.stderr?.on('data', (d: Buffer) => {
    stderrTail = (stderrTail + d.toString()).slice(-4000);
  });
  let spawnError: Error | null = null;
  proc.once('error', (e) => (spawnError = e));

  const fail = async (err: unknown): Promise<never> => {
    await endProcess(proc);
    if (ownsProfile) fs.rmSync(profileDir, { recursive: true, force: true });
    const msg = err instanceof Error ? err.message : String(err);
    throw new Error(`launchFirefox: ${msg}${stderrTail ? `\n--- firefox stderr (tail) ---\n${stderrTail}` : ''}`, { cause: err });
  };

  let client: MarionetteClient;
  try {
    client = await MarionetteClient.connect({
      port,
      timeoutMs: o.launchTimeoutMs ?? 60_000,
      shouldRetry: () => spawnError === null && proc.exitCode === null && proc.signalCode === null,
    });
  } catch (err) {
    return fail(spawnError ?? err);
  }
  let install: LaunchTimings['install'] = 'none';
  let installMs = 0;
  let marionetteReadyMs = 0;
  try {
    await client.send('WebDriver:NewSession', { acceptInsecureCerts: true });
    marionetteReadyMs = Date.now() - t0;
    if (o.extensionDir && o.extensionXpi) throw new Error('give extensionDir or extensionXpi, not both');
    const t1 = Date.now();
    const xpi = o.extensionXpi ? new Uint8Array(fs.readFileSync(o.extensionXpi)) : o.extensionDir ? packXpi(o.extensionDir) : null;
    if (xpi) {
      install = await installExtension(client, profileDir, xpi, extensionId, o.extensionXpi);
      installMs = Date.now() - t1;
    }
  } catch (err) {
    client.close();
    return fail(err);
  }
  return new FirefoxDriver(client, proc, profileDir, ownsProfile, extensionId, extensionUuid, {
    marionetteReadyMs,
    installMs,
    totalMs: Date.now() - t0,
    install,
  });
}

/**
 * Install the xpi permanently, unless the profile holds the identical one. `file`: the .xpi on disk
 * (given to Addon:Install as it is); without it the bytes are written to a temporary file first.
 */
async function installExtension(
  client: MarionetteClient,
  profileDir: string,
  xpi: Uint8Array,
  extensionId: string,
  file?: string,
): Promise<'installed' | 'unchanged'> {
  const manifestBytes = unzipSync(xpi, { filter: (f) => f.name === 'manifest.json' })['manifest.json'];
  if (!manifestBytes) throw new Error('the extension has no manifest.json');
  const manifest = JSON.parse(strFromU8(manifestBytes)) as { browser_specific_settings?: { gecko?: { id?: string } } };
  const declared = manifest.browser_specific_settings?.gecko?.id;
  if (declared !== extensionId) {
    throw new Error(`manifest gecko id ${declared ?? '(none)'} differs from extensionId ${extensionId}`);
  }
  const installed = path.join(profileDir, 'extensions', `${extensionId}.xpi`);
  const digest = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
  if (fs.existsSync(installed) && digest(fs.readFileSync(installed)) === digest(xpi)) return 'unchanged';
  const tmp = file ? null : path.join(os.tmpdir(), `latchkey-${process.pid}-${Date.now()}.xpi`);
  if (tmp) fs.writeFileSync(tmp, xpi);
  const source = tmp ?? path.resolve(file as string);
  try {
    const r = await client.send<{ value: string } | string>('Addon:Install', { path: source, temporary: false }, { timeoutMs: 60_000 });
    const id = typeof r === 'string' ? r : r.value;
    if (id !== extensionId) throw new Error(`Addon:Install installed ${id}, expected ${extensionId}`);
  } finally {
    if (tmp) fs.rmSync(tmp, { force: true });
  }
  return 'installed';
}
