// Which RP IDs an origin may use. https://w3c.github.io/webauthn/#rp-id and §5.1.3 step 8 /
// §5.1.4.1 step 7: the RP ID must be the caller's effective domain or a registrable domain suffix of
// it (https://html.spec.whatwg.org/#is-a-registrable-domain-suffix-of-or-is-equal-to), decided with
// the Public Suffix List, private section included. IP addresses and opaque origins are refused.
import { publicSuffix } from '../lazy/load.cjs';

/**
 * `related`: the one failure where a client that supports related origin requests looks further
 * (§5.1.3 step 8 / §5.1.4.1 step 7: the RP ID is neither the origin's effective domain nor a
 * registrable suffix of it), src/background/relatedOrigins.ts.
 */
export type RpIdCheck = { ok: true; rpId: string } | { ok: false; reason: string; related?: true };

/** Secure contexts Latchkey serves: https, and http on localhost and its subdomains. */
export function isServedOrigin(origin: string): boolean {
  let url: URL;
  try { url = new URL(origin); } catch { return false; }
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname.endsWith('.localhost'));
}

export function checkRpId(origin: string, requested: string | undefined): RpIdCheck {
  if (!isServedOrigin(origin)) return { ok: false, reason: `The origin ${origin} is not a secure context Latchkey serves.` };
  const host = new URL(origin).hostname;
  if (isIpAddress(host)) return { ok: false, reason: 'An IP address cannot be a relying party ID.' };
  // Default: the caller's effective domain (§5.1.3 step 8 / §5.1.4.1 step 7).
  if (requested === undefined) return { ok: true, rpId: host };
  const rpId = requested.toLowerCase();
  if (rpId !== requested) return { ok: false, reason: `"${requested}" is not a valid domain for this origin.` };
  if (rpId === host) return { ok: true, rpId };
  // A registrable domain suffix: dot-bounded, and not itself a public suffix (private section included).
  if (!host.endsWith(`.${rpId}`)) return { ok: false, reason: `"${requested}" is not a registrable domain suffix of ${host}.`, related: true };
  // Only this case needs the Public Suffix List: it is loaded here, at its first use (load.cjs).
  const parsed = publicSuffix().parse(rpId, { allowPrivateDomains: true });
  if (rpId === 'localhost') return { ok: true, rpId };
  if (parsed.isIp || !parsed.domain || parsed.publicSuffix === rpId) {
    return { ok: false, reason: `"${requested}" is a public suffix and cannot be a relying party ID.` };
  }
  return { ok: true, rpId };
}

/**
 * Whether a URL's hostname (already canonical: the URL parser wrote it) is an IP address. The URL
 * standard's host parser reads any host whose last label is a number as IPv4 and writes it back in
 * dotted decimal (https://url.spec.whatwg.org/#concept-host-parser, "ends in a number"), and writes
 * IPv6 in brackets; so these two forms are all there is to recognise.
 */
export function isIpAddress(hostname: string): boolean {
  return hostname.startsWith('[') || /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname);
}
