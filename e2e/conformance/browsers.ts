// The four browsers of the conformance run: Chromium and Firefox, each with Latchkey and without it.
// Every one has the browser's own virtual authenticator (internal transport, resident keys, user
// verification, presence answered automatically): without Latchkey it answers every call; with
// Latchkey it answers the calls Latchkey hands over to the browser (an algorithm Latchkey does not
// make, a get() with no Latchkey passkey), exactly as it would for a person's security key.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_PATH, launchChromium } from '../lib/chromium';
import { isScriptError, launchFirefox } from '../lib/firefox';
import { launchLatchkeyFirefox } from '../../testing/firefox';
import { createLatchkeyHandle } from '../../testing/handle';
import { batchScript, type Case } from './cases';

export type Outcome = unknown;
export type Outcomes = Record<string, Outcome>;

/** One browser to run cases in. */
export interface CaseRunner {
  /** Runs the cases in order, in as few page calls as the virtual authenticator allows. */
  run(cases: readonly Case[]): Promise<Outcomes>;
  /** Forgets every credential (the virtual authenticator's, and Latchkey's when present). */
  clear(): Promise<void>;
  close(): Promise<void>;
}

/** A blank page on http://localhost (a secure context), the origin every case runs on. */
export async function startBlankSite(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    // Cross-origin isolated, so that SharedArrayBuffer exists and the cases can pass one.
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    res.end('<!doctype html><html><head><title>Conformance</title></head><body></body></html>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://localhost:${port}/`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const AUTHENTICATOR = {
  protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true,
  isUserVerified: true, automaticPresenceSimulation: true,
} as const;

// The CDP authenticator keeps a handful of resident credentials only: clear it between chunks.
const CHUNK = 8;
function chunks<T>(list: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

export async function chromiumRunner(url: string, withLatchkey: boolean): Promise<CaseRunner> {
  let closeBrowser: () => Promise<void>;
  let page: Page;
  let clearLatchkey = async () => {};
  if (withLatchkey) {
    const b = await launchChromium();
    closeBrowser = b.close;
    const auto = await b.context.newPage();
    await auto.goto(`chrome-extension://${b.extensionId}/automation/automation.html`);
    const latchkey = createLatchkeyHandle((n, a) => auto.evaluate(([n, a]) =>
      (window as unknown as { latchkeyAutomation: { call(n: string, a: unknown): Promise<unknown> } }).latchkeyAutomation.call(n, a), [n, a ?? {}] as const));
    await latchkey.skipPin();
    await latchkey.approveAll();
    clearLatchkey = async () => { await latchkey.clearPasskeys(); };
    page = await b.context.newPage();
  } else {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--disable-background-networking', '--disable-component-update', '--no-first-run'] });
    closeBrowser = () => browser.close();
    page = await (await browser.newContext()).newPage();
  }
  await page.goto(url);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', { options: { ...AUTHENTICATOR } });
  const clear = async () => { await cdp.send('WebAuthn.clearCredentials', { authenticatorId }); await clearLatchkey(); };
  return {
    async run(cases) {
      const out: Outcomes = {};
      for (const chunk of chunks(cases)) {
        await cdp.send('WebAuthn.clearCredentials', { authenticatorId });
        Object.assign(out, await page.evaluate(`(${batchScript(chunk)})()`) as Outcomes);
      }
      return out;
    },
    clear,
    close: closeBrowser,
  };
}

// Firefox asks the person before it passes on an authenticator's attestation; its own tests skip
// the question with this pref (otherwise attestation "direct" waits forever in headless mode).
const FIREFOX_PREFS = { 'security.webauth.webauthn_testing_allow_direct_attestation': true };

export async function firefoxRunner(url: string, withLatchkey: boolean): Promise<CaseRunner> {
  let driver: Awaited<ReturnType<typeof launchFirefox>>;
  let clearLatchkey = async () => {};
  if (withLatchkey) {
    const l = await launchLatchkeyFirefox({ virtualAuthenticator: true, prefs: FIREFOX_PREFS });
    driver = l.driver;
    await l.latchkey.skipPin();
    await l.latchkey.approveAll();
    clearLatchkey = async () => { await l.latchkey.clearPasskeys(); };
  } else {
    driver = await launchFirefox({ virtualAuthenticator: true, prefs: FIREFOX_PREFS });
  }
  const ff = driver;
  await ff.navigate(url);
  const { automaticPresenceSimulation: _, ...ffOptions } = AUTHENTICATOR;
  const authenticatorId = await ff.addVirtualAuthenticator(ffOptions);
  return {
    async run(cases) {
      const out: Outcomes = {};
      for (const chunk of chunks(cases)) {
        await ff.removeAllCredentials(authenticatorId);
        const r = await ff.executeAsync<Outcomes>(batchScript(chunk), [], { timeoutMs: 120_000 });
        if (isScriptError(r)) throw new Error(`batch failed in Firefox: ${r.__error.name}: ${r.__error.message}`);
        Object.assign(out, r);
      }
      return out;
    },
    clear: async () => { await ff.removeAllCredentials(authenticatorId); await clearLatchkey(); },
    close: () => ff.quit(),
  };
}

/** Runs get() cases first (nothing stored anywhere), then create() cases; returns every outcome. */
export async function runAll(runner: CaseRunner, cases: readonly Case[]): Promise<Outcomes> {
  await runner.clear();
  const gets = await runner.run(cases.filter((c) => c.op === 'get'));
  await runner.clear();
  const creates = await runner.run(cases.filter((c) => c.op === 'create'));
  return { ...gets, ...creates };
}
