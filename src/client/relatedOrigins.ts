// Related origin requests: WebAuthn L3 §5.11 and §5.11.1 "Validating Related Origins".
// An origin may use an RP ID that is not its own domain nor a registrable suffix of it when the RP
// ID's well-known document (https://<RP ID>/.well-known/webauthn) lists that origin. This file is
// the pure part: which RP IDs may be looked up, what the fetched document must look like
// (step 2's sub-steps) and the walk over its origins with the label limit (steps 3-5). The fetch
// itself (the only network request Latchkey makes besides sync) is src/background/relatedOrigins.ts.
import { publicSuffix } from '../lazy/load.cjs';
import { isIpAddress } from './checkRpId';

/**
 * §5.11.1 step 1: "Let maxLabels be the maximum number of registrable origin labels allowed." The
 * spec: clients "MUST support at least five" and "SHOULD limit ... with a recommended maximum of
 * 5"; Chrome and Firefox use 5.
 */
export const MAX_LABELS = 5;

/**
 * Whether an RP ID is worth a related-origins lookup: a valid domain (what the URL parser writes
 * back unchanged as a host, so already lower case and ASCII), not an IP address, and with a
 * registrable domain (a public suffix such as `com` or `github.io` names no relying party).
 */
export function canHaveRelatedOrigins(rpId: string): boolean {
  let host: string;
  try { host = new URL(`https://${rpId}`).hostname; } catch { return false; }
  if (host !== rpId || isIpAddress(host)) return false;
  return registrableOriginLabel(host) !== null;
}

/**
 * The "registrable origin label" of a domain (§5.11.1): the first label of its registrable domain,
 * e.g. `example` for `www.example.co.uk`; null when the domain has none (a public suffix, an IP).
 * The Public Suffix List with its private section, as src/client/checkRpId.ts uses it.
 */
export function registrableOriginLabel(domain: string): string | null {
  const parsed = publicSuffix().parse(domain, { allowPrivateDomains: true });
  if (parsed.isIp || !parsed.domain) return null;
  const label = parsed.domain.slice(0, parsed.domain.indexOf('.'));
  return label === '' ? null : label;
}

export type RelatedOriginsDocument = { ok: true; origins: string[] } | { ok: false; reason: string };

/**
 * §5.11.1 step 2.1-2.3: the response must have status 200 (after redirects) and a content type of
 * application/json; its body must be a JSON object whose `origins` member is an array of strings.
 * Anything else: the caller throws SecurityError.
 */
export function parseRelatedOriginsDocument(status: number, contentType: string | null, body: string): RelatedOriginsDocument {
  if (status !== 200) return { ok: false, reason: `the well-known document answered ${status}, not 200` };
  // A MIME type's essence is what comes before any parameter (`application/json; charset=utf-8`).
  const essence = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (essence !== 'application/json') return { ok: false, reason: `the well-known document is ${essence || 'untyped'}, not application/json` };
  let doc: unknown;
  try { doc = JSON.parse(body); } catch { return { ok: false, reason: 'the well-known document is not valid JSON' }; }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return { ok: false, reason: 'the well-known document is not a JSON object' };
  const origins = (doc as { origins?: unknown }).origins;
  if (!Array.isArray(origins) || !origins.every((o) => typeof o === 'string')) {
    return { ok: false, reason: 'the well-known document has no "origins" array of strings' };
  }
  return { ok: true, origins };
}

/**
 * §5.11.1 steps 3-5: walks the listed origins in order, counting distinct registrable origin labels;
 * once MAX_LABELS labels have been seen, entries under a new label are skipped. True when the
 * caller's origin is among the entries considered.
 */
export function originIsRelated(callerOrigin: string, origins: readonly string[], maxLabels = MAX_LABELS): boolean {
  const labelsSeen = new Set<string>();
  for (const item of origins) {
    // Step 4.1: parse; a failure is skipped.
    let url: URL;
    try { url = new URL(item); } catch { continue; }
    // Step 4.2: the effective domain of the URL's origin; an opaque origin (no host) is skipped.
    const domain = url.hostname;
    if (!domain) continue;
    // Steps 4.3-4.4: its registrable origin label; none (an IP, a public suffix) is skipped.
    const label = registrableOriginLabel(domain);
    if (label === null) continue;
    // Step 4.5: past the limit, only labels already seen still count.
    if (labelsSeen.size >= maxLabels && !labelsSeen.has(label)) continue;
    // Step 4.6: same origin (scheme, host and port) as the caller.
    if (url.origin === callerOrigin) return true;
    // Step 4.7.
    if (labelsSeen.size < maxLabels) labelsSeen.add(label);
  }
  return false; // step 5
}
