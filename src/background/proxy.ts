// Chrome's webAuthenticationProxy: the second way Latchkey receives a page's WebAuthn call (Chrome
// only; the first, in every browser, is content/main-world.ts). While an extension is attached,
// Chrome sends it every create() and get() that reaches the browser, whatever realm the page took
// the functions from: a page that calls navigator.credentials.create from a fresh iframe's realm
// goes past main-world's override, but not past the proxy. Its requests name the caller's origin
// (extensions.remoteDesktopClientOverride.origin) and whether it is same-origin with its ancestors.
// Studied in docs/PROXY.md, with what the probes showed in this Chromium.
//
// - A proxied request becomes an ordinary Latchkey ceremony (requests.ts `start`, the same checks,
//   window and core), with a sender made from the request's origin and the tab showing it; the
//   answer goes back with completeCreateRequest / completeGetRequest, as the JSON of the credential
//   (PublicKeyCredential.toJSON's form, which is what Latchkey's results already are).
// - Hand-over without a loop: before main-world hands a call to the browser's own create()/get(),
//   the background detaches (requests.ts asks for that through `beforeHandover`), so that call
//   reaches the browser's own dialog, and attaches again HANDOVER_GAP_MS later: a call already in
//   the browser's hands stays there when the proxy attaches again (docs/PROXY.md, probe 3).
// - A proxied call Latchkey cannot answer in its own window (a cross-origin frame: the request does
//   not say which top-level origin embeds it, which clientDataJSON needs; or the person chose
//   "Use another device or security key") cannot be passed on to the browser's dialog: the API has
//   no way to decline a request. Latchkey detaches for RELEASE_MS and rejects it with NotAllowedError
//   saying so; the site's next try reaches the browser's own dialog.
// - Never one ceremony twice: a call answered by main-world never reaches the browser (and so the
//   proxy) unless handed over, and a hand-over detaches first.
import type Browser from 'webextension-polyfill';
import type { CeremonyRequest, CeremonyResult, FrameFacts } from '../messages/protocol';
import { parseCreationOptions, parseRequestOptions } from '../messages/validate';
import { findByProxyRequest, drop, type Reply, type RequestState } from './ceremonies';
import { readSettings } from './settings';

/** How long after a hand-over the proxy attaches again (the hand-over's call is made within milliseconds). */
export const HANDOVER_GAP_MS = 2_000;
/** How long the proxy stays detached after it had to reject a call it could not answer. */
export const RELEASE_MS = 60_000;

interface ProxyRequest { requestId: number; requestDetailsJson: string }
interface ProxyError { name: string; message: string }
/** The parts of chrome.webAuthenticationProxy Latchkey uses (Chrome 115+; absent in Firefox). */
export interface WebAuthnProxyApi {
  attach(): Promise<void>;
  detach(): Promise<void>;
  onCreateRequest: { addListener(f: (r: ProxyRequest) => void): void };
  onGetRequest: { addListener(f: (r: ProxyRequest) => void): void };
  onIsUvpaaRequest: { addListener(f: (r: { requestId: number }) => void): void };
  onRequestCanceled: { addListener(f: (requestId: number) => void): void };
  completeCreateRequest(d: { requestId: number; responseJson?: string; error?: ProxyError }): Promise<void>;
  completeGetRequest(d: { requestId: number; responseJson?: string; error?: ProxyError }): Promise<void>;
  completeIsUvpaaRequest(d: { requestId: number; isUvpaa: boolean }): Promise<void>;
}

export interface ProxyDeps {
  api: WebAuthnProxyApi;
  /** requests.ts `start`: runs a ceremony for a sender, as for a frame's port. */
  start(port: Browser.Runtime.Port, reply: Reply, request: CeremonyRequest, facts: FrameFacts, state: RequestState): Promise<void>;
  /** The tab showing `origin` (the focused one first), or null. */
  findTab(origin: string): Promise<{ id: number; windowId: number; url: string } | null>;
  wanted(): Promise<boolean>;
}

const NOT_HERE = 'Latchkey passed this request to the browser. Try again to use a security key, a phone or the browser\u2019s own passkeys.';

/** The proxy's state: attached or not, and why not (hand-overs in flight, a release). */
export class WebAuthnProxy {
  private attached = false;
  private holds = 0;
  private releasedUntil = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly d: ProxyDeps) {
    // Listeners at the worker's start, so that a request wakes it (MV3).
    d.api.onCreateRequest.addListener((r) => { void this.onRequest('create', r); });
    d.api.onGetRequest.addListener((r) => { void this.onRequest('get', r); });
    d.api.onIsUvpaaRequest.addListener((r) => {
      // Latchkey is a user-verifying platform authenticator (the PIN), as main-world answers too.
      void d.api.completeIsUvpaaRequest({ requestId: r.requestId, isUvpaa: true }).catch(() => {});
    });
    d.api.onRequestCanceled.addListener((requestId) => { void findByProxyRequest(requestId).then((c) => { if (c) drop(c); }); });
  }

  isAttached(): boolean { return this.attached; }

  /** Attaches or detaches to match the setting and any hold; one change at a time. */
  sync(): Promise<void> {
    const run = this.queue.then(async () => {
      const want = this.holds === 0 && Date.now() >= this.releasedUntil && (await this.d.wanted());
      if (want === this.attached) return;
      try {
        await (want ? this.d.api.attach() : this.d.api.detach());
        this.attached = want;
      } catch (e) {
        // "already attached" after a worker restart (the attachment outlives the worker), or another
        // extension holds the proxy (one at a time): say so once, keep the content-script path.
        const msg = (e as Error)?.message ?? String(e);
        if (want && /already/i.test(msg)) this.attached = true;
        else console.warn(`Latchkey: webAuthenticationProxy ${want ? 'attach' : 'detach'} failed: ${msg}`);
      }
    });
    this.queue = run.catch(() => {});
    return run;
  }

  /** Before a hand-over reaches the browser: detached until HANDOVER_GAP_MS after the last one. */
  async beforeHandover(): Promise<void> {
    if (!this.attached && this.holds === 0) return;
    this.holds++;
    await this.sync();
    setTimeout(() => { this.holds--; void this.sync(); }, HANDOVER_GAP_MS);
  }

  private release(): void {
    this.releasedUntil = Date.now() + RELEASE_MS;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = null; void this.sync(); }, RELEASE_MS + 10);
    void this.sync();
  }

  private complete(op: 'create' | 'get', requestId: number, r: { responseJson: string } | { error: ProxyError }): void {
    const done = op === 'create' ? this.d.api.completeCreateRequest({ requestId, ...r }) : this.d.api.completeGetRequest({ requestId, ...r });
    void done.catch(() => { /* the request was canceled meanwhile */ });
  }

  private async onRequest(op: 'create' | 'get', r: ProxyRequest): Promise<void> {
    const fail = (name: string, message: string) => this.complete(op, r.requestId, { error: { name, message } });
    let details: Record<string, unknown>;
    try { details = JSON.parse(r.requestDetailsJson) as Record<string, unknown>; } catch { fail('NotAllowedError', 'Latchkey could not read this request.'); return; }
    const ext = (details.extensions ?? {}) as Record<string, unknown>;
    const override = ext.remoteDesktopClientOverride as { origin?: unknown; sameOriginWithAncestors?: unknown } | undefined;
    const origin = typeof override?.origin === 'string' ? override.origin : null;
    if (!origin) { fail('NotAllowedError', 'Latchkey could not tell which site asked.'); return; }
    if (override?.sameOriginWithAncestors !== true) {
      // clientDataJSON would need the top-level origin (§5.8.1 topOrigin), which the request lacks.
      this.release();
      fail('NotAllowedError', NOT_HERE);
      return;
    }
    const { remoteDesktopClientOverride: _, ...pageExtensions } = ext;
    const options = { ...details, extensions: pageExtensions };
    let request: CeremonyRequest;
    try {
      request = op === 'create' ? { op, options: parseCreationOptions(options) } : { op, options: parseRequestOptions(options) };
    } catch {
      fail('NotAllowedError', 'Latchkey could not read this request.');
      return;
    }
    const tab = await this.d.findTab(origin);
    if (!tab) { this.release(); fail('NotAllowedError', NOT_HERE); return; }
    const sender = { id: undefined, origin, url: tab.url, frameId: 0, tab: { id: tab.id, windowId: tab.windowId, url: tab.url } };
    const port = { name: 'latchkey-proxy', sender } as unknown as Browser.Runtime.Port;
    const facts: FrameFacts = { origin, ancestorOrigins: [], policy: null, parentFrameId: null, activation: true };
    const state: RequestState = { ceremony: null, gone: false };
    const reply: Reply = {
      post: (m) => {
        if (m.kind === 'started' && state.ceremony) { state.ceremony.proxyRequestId = r.requestId; return; }
        if (m.kind !== 'result') return;
        const result: CeremonyResult = m.result;
        if (result.status === 'created' || result.status === 'asserted') this.complete(op, r.requestId, { responseJson: JSON.stringify(result.credential) });
        else if (result.status === 'error') fail(result.name, result.message);
        else { this.release(); fail('NotAllowedError', NOT_HERE); } // a hand-over: see the header
      },
    };
    try {
      await this.d.start(port, reply, request, facts, state);
    } catch {
      fail('UnknownError', 'Latchkey failed to start the ceremony.');
    }
  }
}

/** The API, where the browser has it (Chrome with the permission); null in Firefox. */
export function proxyApi(): WebAuthnProxyApi | null {
  const c = (globalThis as { chrome?: { webAuthenticationProxy?: WebAuthnProxyApi } }).chrome;
  return process.env.BROWSER === 'chrome' ? c?.webAuthenticationProxy ?? null : null;
}

export async function proxyWanted(): Promise<boolean> {
  return (await readSettings()).interceptAll;
}
