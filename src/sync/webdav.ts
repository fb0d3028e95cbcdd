// A small WebDAV client over plain fetch (docs/SYNC.md says why not the `webdav` package): GET,
// conditional PUT, PROPFIND depth 0, MKCOL. Every request goes to the one configured origin, under
// the configured folder, with no cookies and no redirects (an Authorization header must never follow
// a redirect elsewhere). Errors come out as SyncHttpError with a message a person understands.

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface DavOptions {
  /** The folder, e.g. https://cloud.example/remote.php/dav/files/ann/Latchkey/ */
  folderUrl: string;
  userName: string;
  appPassword: string;
  fetch?: FetchLike;
  /** Called with every request and its bytes on the wire (bodies), for the benchmark and the status. */
  onRequest?: (r: { method: string; path: string; status: number; sent: number; received: number }) => void;
}

/**
 * `etag` without a weak mark; `weak` when the server marked it weak. Apache's mod_dav marks the ETag
 * of a file changed within the last second weak, and If-Match compares strongly (RFC 9110 §13.1.1):
 * a PUT conditional on it fails until that second is over, so the engine waits that long first.
 */
export type GetResult = { status: 200; bytes: Uint8Array; etag: string | null; weak?: boolean } | { status: 304 } | { status: 404 };
export type PutResult = { status: 'ok'; etag: string | null } | { status: 'conflict' };

export class SyncHttpError extends Error {
  override name = 'SyncHttpError';
  constructor(readonly status: number, message: string, options?: { cause?: unknown }) { super(message, options); }
}

/** The folder URL a person typed, normalized: https (or http to this computer only), ending in "/". */
export function checkFolderUrl(raw: string): URL {
  let u: URL;
  try { u = new URL(raw.trim()); } catch { throw new SyncHttpError(0, 'Enter the full address of the WebDAV folder, starting with https://'); }
  const loopback = u.hostname === 'localhost' || u.hostname === '127.0.0.1' || u.hostname === '[::1]';
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) {
    throw new SyncHttpError(0, 'The server address must start with https:// (plain http only for a server on this computer), so the app password and your data cannot be read on the way.');
  }
  if (u.username || u.password) throw new SyncHttpError(0, 'Put the user name and app password in their own boxes, not in the address.');
  u.hash = ''; u.search = '';
  if (!u.pathname.endsWith('/')) u.pathname += '/';
  return u;
}

/** Plain words for an HTTP status, for the person reading the sync status. */
export function describeStatus(status: number, what: string): string {
  switch (status) {
    case 401: return 'The sync server did not accept the user name or app password (401). Check them, then turn sync on again.';
    case 403: return `The sync server does not allow Latchkey to ${what} (403 Forbidden). Check that the folder exists and that this account may write to it.`;
    case 404: return 'The sync folder was not found on the server (404). Check the server address.';
    case 405: case 501: return 'This address does not look like a WebDAV folder (the server refused WebDAV). Check the server address.';
    case 507: return 'The sync server is full (507 Insufficient Storage). Free some space there: nothing was lost, and Latchkey will try again.';
    default:
      return status >= 500
        ? `The sync server had a problem (HTTP ${status}). Nothing was lost; Latchkey will try again.`
        : `The sync server answered HTTP ${status} when Latchkey tried to ${what}.`;
  }
}

export class WebDav {
  readonly folder: URL;
  readonly origin: string;
  #auth: string;
  #fetch: FetchLike;
  #onRequest: DavOptions['onRequest'];

  constructor(o: DavOptions) {
    this.folder = checkFolderUrl(o.folderUrl);
    this.origin = this.folder.origin;
    this.#auth = `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(`${o.userName}:${o.appPassword}`)))}`;
    this.#fetch = o.fetch ?? ((url, init) => fetch(url, init));
    this.#onRequest = o.onRequest;
  }

  /** A path inside the folder only: letters, digits, "/" and "." — never "..", never another origin. */
  url(path: string): string {
    if (!/^[a-z0-9][a-z0-9/._-]*$/i.test(path) || path.includes('..')) throw new Error(`bad sync path "${path}"`);
    const u = new URL(path, this.folder);
    if (u.origin !== this.origin || !u.pathname.startsWith(this.folder.pathname)) throw new Error(`sync path "${path}" leaves the folder`);
    return u.href;
  }

  async #request(method: string, path: string, headers: Record<string, string>, body?: Uint8Array): Promise<Response> {
    const url = path === '' ? this.folder.href : this.url(path);
    const init: RequestInit = {
      method, headers: { Authorization: this.#auth, ...headers },
      ...(body ? { body: body as BodyInit } : {}),
      credentials: 'omit', redirect: 'error', cache: 'no-store', referrerPolicy: 'no-referrer',
    };
    try {
      return await this.#fetch(url, init);
    } catch {
      // Once more: a kept-alive connection the server closed while idle fails the first request
      // on it. Safe for every request here: GET, PROPFIND and MKCOL change nothing twice, and a PUT
      // is conditional (if the first one landed, the second gets a 412, which the engine handles).
      try {
        return await this.#fetch(url, init);
      } catch (cause) {
        throw new SyncHttpError(0, `The sync server at ${this.origin} could not be reached (is it running, and is the address right?). ` +
          'Your passkeys are safe on this device; Latchkey will try again.', { cause });
      }
    }
  }

  async #done(method: string, path: string, res: Response, sent: number): Promise<Uint8Array> {
    const bytes = new Uint8Array(await res.arrayBuffer().catch(() => new ArrayBuffer(0)));
    this.#onRequest?.({ method, path, status: res.status, sent, received: bytes.length });
    return bytes;
  }

  async get(path: string, ifNoneMatch?: string | null): Promise<GetResult> {
    const res = await this.#request('GET', path, ifNoneMatch ? { 'If-None-Match': ifNoneMatch } : {});
    const bytes = await this.#done('GET', path, res, 0);
    if (res.status === 304) return { status: 304 };
    if (res.status === 404) return { status: 404 };
    if (res.status !== 200) throw new SyncHttpError(res.status, describeStatus(res.status, 'read the sync data'));
    const raw = res.headers.get('ETag');
    const weak = raw?.startsWith('W/') ?? false;
    return { status: 200, bytes, etag: raw && weak ? raw.slice(2) : raw, weak };
  }

  /** Conditional PUT: If-Match on the ETag read before, or If-None-Match: * for a new file. 412 = conflict. */
  async put(path: string, body: Uint8Array, cond: { ifMatch: string } | { ifNoneMatch: '*' }): Promise<PutResult> {
    const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream' };
    if ('ifMatch' in cond) headers['If-Match'] = cond.ifMatch; else headers['If-None-Match'] = '*';
    const res = await this.#request('PUT', path, headers, body);
    await this.#done('PUT', path, res, body.length);
    if (res.status === 412) return { status: 'conflict' };
    if (res.status !== 200 && res.status !== 201 && res.status !== 204) throw new SyncHttpError(res.status, describeStatus(res.status, 'save the sync data'));
    return { status: 'ok', etag: res.headers.get('ETag') };
  }

  /** PROPFIND depth 0: whether the folder (or a path in it) exists as a collection. Checks the credentials too. */
  async exists(path = ''): Promise<boolean> {
    const body = new TextEncoder().encode('<?xml version="1.0" encoding="utf-8"?><propfind xmlns="DAV:"><prop><resourcetype/></prop></propfind>');
    const res = await this.#request('PROPFIND', path, { Depth: '0', 'Content-Type': 'application/xml; charset=utf-8' }, body);
    await this.#done('PROPFIND', path, res, body.length);
    if (res.status === 207 || res.status === 200) return true;
    if (res.status === 404) return false;
    throw new SyncHttpError(res.status, describeStatus(res.status, 'open the sync folder'));
  }

  /** MKCOL; an existing collection (405) is fine. */
  async mkcol(path = ''): Promise<void> {
    const res = await this.#request('MKCOL', path, {});
    await this.#done('MKCOL', path, res, 0);
    if (res.status === 201 || res.status === 405) return;
    throw new SyncHttpError(res.status, describeStatus(res.status, 'create the sync folder'));
  }
}
