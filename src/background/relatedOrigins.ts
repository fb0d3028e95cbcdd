// Related origin requests (WebAuthn L3 §5.11.1 step 2): fetches https://<RP ID>/.well-known/webauthn
// and asks src/client/relatedOrigins.ts whether the caller's origin is listed. Besides sync to the
// person's own server, this is the only network request Latchkey makes (docs/RELATED-ORIGINS.md),
// and it is made only when a page asks for an RP ID that is neither its own domain nor a
// registrable suffix of it: the request a browser's own client would make at that moment.
import { canHaveRelatedOrigins, originIsRelated, parseRelatedOriginsDocument, type RelatedOriginsDocument } from '../client/relatedOrigins';

/** A document is read up to this size; a larger one is refused (a list of origins is a few hundred bytes). */
export const MAX_DOCUMENT_BYTES = 64 * 1024;
/** The fetch gives up after this long (the ceremony's own timeout is longer; a hung server must not hold it). */
export const FETCH_TIMEOUT_MS = 10_000;
/** How long an answer is kept: a short while, so a sign-in right after a sign-up does not fetch again. */
const KEEP_OK_MS = 5 * 60_000;
const KEEP_FAILURE_MS = 60_000;
const MAX_CACHED = 64;

export type RelatedOriginsVerdict = { ok: true } | { ok: false; reason: string };

type Fetcher = (url: string, init: RequestInit) => Promise<Response>;

const cache = new Map<string, { until: number; doc: RelatedOriginsDocument }>();
const inFlight = new Map<string, Promise<RelatedOriginsDocument>>();

/**
 * §5.11.1: whether `callerOrigin` may use `rpId` because the RP ID's well-known document lists it.
 * Never throws: every failure (network, status, type, size, JSON shape) is a verdict the caller
 * turns into SecurityError.
 */
export async function checkRelatedOrigin(callerOrigin: string, rpId: string, fetcher: Fetcher = fetch): Promise<RelatedOriginsVerdict> {
  if (!canHaveRelatedOrigins(rpId)) return { ok: false, reason: `"${rpId}" is not a domain that can list related origins.` };
  const doc = await documentFor(rpId, fetcher);
  if (!doc.ok) return { ok: false, reason: `"${rpId}" does not list this site as a related origin (${doc.reason}).` };
  if (!originIsRelated(callerOrigin, doc.origins)) return { ok: false, reason: `"${rpId}" does not list ${callerOrigin} among its related origins.` };
  return { ok: true };
}

/** Forgets every kept document (tests; and nothing else needs it: entries expire on their own). */
export function forgetRelatedOrigins(): void { cache.clear(); inFlight.clear(); }

async function documentFor(rpId: string, fetcher: Fetcher): Promise<RelatedOriginsDocument> {
  const now = Date.now();
  const kept = cache.get(rpId);
  if (kept && kept.until > now) return kept.doc;
  // Two ceremonies for the same RP ID at once share one request.
  let pending = inFlight.get(rpId);
  if (!pending) {
    pending = fetchDocument(rpId, fetcher).finally(() => inFlight.delete(rpId));
    inFlight.set(rpId, pending);
  }
  const doc = await pending;
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(rpId, { until: Date.now() + (doc.ok ? KEEP_OK_MS : KEEP_FAILURE_MS), doc });
  return doc;
}

async function fetchDocument(rpId: string, fetcher: Fetcher): Promise<RelatedOriginsDocument> {
  // "Requests to this well-known endpoint by WebAuthn Clients MUST be made without credentials,
  // without a referrer, and using the https: scheme. When following redirects, WebAuthn Clients
  // MUST explicitly require all redirects to also use the https: scheme." (§5.11). fetch() does not
  // show the hops of a redirect chain, so Latchkey follows none (redirect: 'error'), which is
  // stricter than the spec, never looser (docs/DIFFERENCES.md).
  let res: Response;
  try {
    res = await fetcher(`https://${rpId}/.well-known/webauthn`, {
      method: 'GET',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      redirect: 'error',
      cache: 'no-store',
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
  } catch {
    return { ok: false, reason: 'the well-known document could not be fetched' };
  }
  if (res.type === 'opaqueredirect' || res.redirected) return { ok: false, reason: 'the well-known document redirects' };
  const body = await readLimited(res);
  if (body === null) return { ok: false, reason: `the well-known document is larger than ${MAX_DOCUMENT_BYTES} bytes or could not be read` };
  return parseRelatedOriginsDocument(res.status, res.headers.get('content-type'), body);
}

/** The body as text, or null when it is larger than MAX_DOCUMENT_BYTES (read no further than that). */
async function readLimited(res: Response): Promise<string | null> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_DOCUMENT_BYTES) { void res.body?.cancel(); return null; }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_DOCUMENT_BYTES) { void reader.cancel(); return null; }
      chunks.push(value);
    }
  } catch {
    return null;
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) { all.set(c, at); at += c.byteLength; }
  try { return new TextDecoder('utf-8', { fatal: true }).decode(all); } catch { return null; }
}
