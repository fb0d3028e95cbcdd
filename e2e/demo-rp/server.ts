/**
 * The demo relying party: a node:http server with a work account's sign-in and "Security info"
 * pages, where passkeys are added and used through @simplewebauthn/server.
 *
 *   const rp = await startDemoRp({ port: 0, dataFile });   // rp.url = http://localhost:PORT
 *   ...
 *   await rp.close();
 *
 * The RP ID is the hostname of each request's Host header, so one server is several sites:
 * http://localhost:P has RP ID "localhost", http://a.localhost:P has "a.localhost". Passkeys are
 * kept per RP ID; the password account is shared.
 *
 * Routes (JSON API bodies are JSON; errors are `{ error: string }` with a 4xx status):
 *   GET  /                     sign-in page
 *   GET  /security-info        signed-in page (303 to / when signed out)
 *   GET  /playground           bare page for tests that call navigator.credentials themselves
 *   GET  /client.js            the page script
 *   POST /api/login            { email, password } -> { ok, user }
 *   POST /api/logout           -> { ok }
 *   POST /api/register/options -> PublicKeyCredentialCreationOptionsJSON   (signed in)
 *   POST /api/register/verify  { credential, name? } -> { ok, passkey }    (signed in)
 *   POST /api/register/name    { id, name } -> { ok, passkey }             (signed in)
 *   POST /api/login/options    -> PublicKeyCredentialRequestOptionsJSON
 *   POST /api/login/verify     { credential } -> { ok, user, passkey, userVerified }
 *   GET  /api/me               -> { user, session, passkeys }              (signed in)
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { notFoundPage, playgroundPage, securityInfoPage, signInPage } from './pages.js';
import { checkPassword, Store, type StoredPasskey, type StoredSession, type StoredUser } from './store.js';
import {
  authenticationOptions,
  CEREMONY_TIMEOUT_MS,
  registrationOptions,
  verifyAuthentication,
  verifyRegistration,
  type RelyingParty,
} from './webauthn.js';
import { attestationFor, judgePasskey, type PasskeyPolicy } from './policy.js';

export const DEFAULT_DATA_FILE = fileURLToPath(new URL('../.data/demo-rp.json', import.meta.url));
const CLIENT_JS = readFileSync(new URL('./client.js', import.meta.url));
const MAX_BODY_BYTES = 1 << 20;
/** A challenge stays usable a little longer than the ceremony, for the round trip. */
const CHALLENGE_TTL_MS = CEREMONY_TIMEOUT_MS + 30_000;

export interface DemoRp {
  url: string;
  port: number;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** What every handler gets: the site (from Host), the store, and the caller's session. */
interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  rp: RelyingParty;
  store: Store;
  session: StoredSession | undefined;
  policy: PasskeyPolicy;
}

export async function startDemoRp(o: { port?: number; host?: string; dataFile?: string; policy?: PasskeyPolicy } = {}): Promise<DemoRp> {
  const store = await Store.open(o.dataFile ?? DEFAULT_DATA_FILE);
  const policy = o.policy ?? {};
  const server = createServer((req, res) => {
    handle(req, res, store, policy).catch((e: unknown) => {
      const status = e instanceof HttpError ? e.status : 500;
      if (status === 500) console.error('demo-rp:', e);
      if (!res.headersSent) sendJson(res, status, { error: e instanceof Error ? e.message : String(e) });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    port,
    close: () => new Promise<void>((resolve, reject) => {
      server.close((e) => (e ? reject(e) : resolve()));
      // Keep-alive connections from browsers would otherwise hold close() open.
      server.closeAllConnections();
    }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, store: Store, policy: PasskeyPolicy): Promise<void> {
  const host = req.headers.host;
  if (!host) throw new HttpError(400, 'Missing Host header');
  const base = new URL(`http://${host}`);
  const rp: RelyingParty = { rpID: base.hostname, origin: base.origin };
  const path = new URL(req.url ?? '/', base).pathname;
  const ctx: Ctx = { req, res, rp, store, session: store.session(cookies(req)['sid']), policy };

  if (req.method === 'GET' || req.method === 'HEAD') {
    switch (path) {
      case '/': return sendHtml(res, 200, signInPage());
      case '/playground': return sendHtml(res, 200, playgroundPage());
      case '/client.js': return send(res, 200, 'text/javascript; charset=utf-8', CLIENT_JS);
      case '/security-info': {
        const user = signedInUser(ctx);
        if (!user) return redirect(res, '/');
        return sendHtml(res, 200, securityInfoPage({ user, session: ctx.session!, passkeys: sitePasskeys(user, rp) }));
      }
      case '/api/me': return sendJson(res, 200, me(ctx));
    }
    return sendHtml(res, 404, notFoundPage());
  }

  if (req.method !== 'POST') throw new HttpError(405, `Method ${req.method} not allowed`);
  // localhost and a.localhost are the same site, so SameSite=Lax alone does not stop one from
  // posting to the other with the cookie: refuse any other origin a browser declares.
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== rp.origin) throw new HttpError(403, `Requests from ${origin} are refused`);
  const body = await readJson(req);
  switch (path) {
    case '/api/login': return login(ctx, body);
    case '/api/logout': return logout(ctx);
    case '/api/register/options': return registerOptions(ctx);
    case '/api/register/verify': return registerVerify(ctx, body);
    case '/api/register/name': return registerName(ctx, body);
    case '/api/login/options': return loginOptions(ctx);
    case '/api/login/verify': return loginVerify(ctx, body);
  }
  throw new HttpError(404, `No route POST ${path}`);
}

// --- handlers -------------------------------------------------------------------------------

async function login(ctx: Ctx, body: Record<string, unknown>): Promise<void> {
  const email = typeof body['email'] === 'string' ? body['email'] : '';
  const password = typeof body['password'] === 'string' ? body['password'] : '';
  const user = ctx.store.userByEmail(email);
  if (!user || !(await checkPassword(password, user.passwordHash))) {
    throw new HttpError(401, 'Wrong email or password.');
  }
  startSession(ctx, { userId: user.id, method: 'password', uv: null });
  sendJson(ctx.res, 200, { ok: true, user: { id: user.id, email: user.email } });
}

function logout(ctx: Ctx): void {
  if (ctx.session) ctx.store.deleteSession(ctx.session.id);
  ctx.res.setHeader('set-cookie', 'sid=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0');
  sendJson(ctx.res, 200, { ok: true });
}

async function registerOptions(ctx: Ctx): Promise<void> {
  const user = requireUser(ctx);
  const options = await registrationOptions({
    rp: ctx.rp,
    userId: user.id,
    email: user.email,
    exclude: sitePasskeys(user, ctx.rp).map((p) => ({ id: p.id, transports: p.transports })),
    attestation: attestationFor(ctx.policy),
  });
  setChallenge(ctx, ctx.session!, 'registration', options.challenge);
  sendJson(ctx.res, 200, options);
}

async function registerVerify(ctx: Ctx, body: Record<string, unknown>): Promise<void> {
  const user = requireUser(ctx);
  const expectedChallenge = takeChallenge(ctx, 'registration');
  const response = credentialOf(body) as unknown as RegistrationResponseJSON;
  const created = await verifyRegistration({ rp: ctx.rp, response, expectedChallenge }).catch(verifyFailed);
  if (ctx.store.passkey(created.id)) throw new HttpError(400, 'This passkey is already registered.');
  // The organisation's passkey policy (policy.ts): the response verified; the site may still refuse it.
  const refusal = judgePasskey(ctx.policy, created);
  if (refusal) throw new HttpError(403, refusal);
  const { uv, fmt: _fmt, ...rest } = created;
  const passkey: StoredPasskey = {
    ...rest,
    rpID: ctx.rp.rpID,
    name: cleanName(body['name']) ?? 'Passkey',
    createdAt: new Date().toISOString(),
    lastUsedAt: null,
    uv,
    uvAtCreation: uv,
  };
  ctx.store.update(() => { user.passkeys.push(passkey); });
  sendJson(ctx.res, 200, { ok: true, passkey });
}

function registerName(ctx: Ctx, body: Record<string, unknown>): void {
  const user = requireUser(ctx);
  const passkey = user.passkeys.find((p) => p.id === body['id']);
  if (!passkey) throw new HttpError(404, 'No such passkey on this account.');
  const name = cleanName(body['name']);
  if (!name) throw new HttpError(400, 'Give the passkey a name (1 to 64 characters).');
  ctx.store.update(() => { passkey.name = name; });
  sendJson(ctx.res, 200, { ok: true, passkey });
}

async function loginOptions(ctx: Ctx): Promise<void> {
  const options = await authenticationOptions(ctx.rp);
  const session = ctx.session ?? startSession(ctx, {});
  setChallenge(ctx, session, 'authentication', options.challenge);
  sendJson(ctx.res, 200, options);
}

async function loginVerify(ctx: Ctx, body: Record<string, unknown>): Promise<void> {
  const expectedChallenge = takeChallenge(ctx, 'authentication');
  const response = credentialOf(body) as unknown as AuthenticationResponseJSON;
  // Discoverable sign-in: the credential id names the passkey, the user handle its account.
  const found = typeof response.id === 'string' ? ctx.store.passkey(response.id) : undefined;
  if (!found || found.passkey.rpID !== ctx.rp.rpID) {
    throw new HttpError(400, 'This passkey is not registered at this site.');
  }
  const { user, passkey } = found;
  const userHandle = response.response?.userHandle;
  if (userHandle !== undefined && userHandle !== user.id) {
    throw new HttpError(400, "The passkey's user handle does not match its account.");
  }
  const result = await verifyAuthentication({ rp: ctx.rp, response, expectedChallenge, passkey }).catch(verifyFailed);
  ctx.store.update(() => {
    passkey.counter = result.newCounter;
    passkey.lastUsedAt = new Date().toISOString();
    passkey.uv = result.uv;
    passkey.backupEligible = result.backupEligible;
    passkey.backedUp = result.backedUp;
  });
  startSession(ctx, { userId: user.id, method: 'passkey', uv: result.uv });
  sendJson(ctx.res, 200, {
    ok: true, user: { id: user.id, email: user.email }, passkey, userVerified: result.uv,
  });
}

function me(ctx: Ctx): object {
  const user = requireUser(ctx);
  return {
    user: { id: user.id, email: user.email },
    session: { method: ctx.session!.method, uv: ctx.session!.uv },
    rpID: ctx.rp.rpID,
    passkeys: sitePasskeys(user, ctx.rp),
  };
}

// --- sessions and challenges ----------------------------------------------------------------

function signedInUser(ctx: Ctx): StoredUser | undefined {
  const id = ctx.session?.userId;
  return id ? ctx.store.userById(id) : undefined;
}

function requireUser(ctx: Ctx): StoredUser {
  const user = signedInUser(ctx);
  if (!user) throw new HttpError(401, 'Not signed in.');
  return user;
}

/** A new session id at every sign-in, so an id known before sign-in is worth nothing after. */
function startSession(ctx: Ctx, fields: Partial<StoredSession>): StoredSession {
  if (ctx.session) ctx.store.deleteSession(ctx.session.id);
  const session = ctx.store.newSession(fields);
  ctx.session = session;
  ctx.res.setHeader('set-cookie', `sid=${session.id}; Path=/; HttpOnly; SameSite=Lax`);
  return session;
}

function setChallenge(ctx: Ctx, session: StoredSession, kind: 'registration' | 'authentication', value: string): void {
  ctx.store.update(() => { session.challenge = { value, kind, expiresAt: Date.now() + CHALLENGE_TTL_MS }; });
}

/** Removes the session's challenge before checking anything: each one can be tried once only. */
function takeChallenge(ctx: Ctx, kind: 'registration' | 'authentication'): string {
  const session = ctx.session;
  const challenge = session?.challenge;
  if (!session || !challenge) throw new HttpError(400, 'No ceremony in progress: ask for new options.');
  ctx.store.update(() => { session.challenge = null; });
  if (challenge.kind !== kind) throw new HttpError(400, `The pending challenge is for ${challenge.kind}, not ${kind}.`);
  if (Date.now() > challenge.expiresAt) throw new HttpError(400, 'The challenge has expired: try again.');
  return challenge.value;
}

// --- helpers --------------------------------------------------------------------------------

function sitePasskeys(user: StoredUser, rp: RelyingParty): StoredPasskey[] {
  return user.passkeys.filter((p) => p.rpID === rp.rpID);
}

function credentialOf(body: Record<string, unknown>): Record<string, unknown> {
  // Accept { credential: {...} } (what the page sends) or the credential JSON itself.
  const c = body['credential'] ?? body;
  if (!c || typeof c !== 'object' || typeof (c as { id?: unknown }).id !== 'string') {
    throw new HttpError(400, 'Missing credential.');
  }
  return c as Record<string, unknown>;
}

function verifyFailed(e: unknown): never {
  throw new HttpError(400, `Verification failed: ${e instanceof Error ? e.message : String(e)}`);
}

function cleanName(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const name = v.trim().replace(/\s+/g, ' ');
  return name.length >= 1 && name.length <= 64 ? name : undefined;
}

function cookies(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'Request body too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch { /* answered below */ }
  throw new HttpError(400, 'The body must be a JSON object');
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    'content-type': type,
    // Every answer depends on the session or the store: never reuse one.
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  send(res, status, 'text/html; charset=utf-8', html);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { location, 'cache-control': 'no-store' });
  res.end();
}
