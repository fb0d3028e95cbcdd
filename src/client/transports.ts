// Which allowCredentials entries are Latchkey's, and what the others say about the site.
//
// WebAuthn L3 §5.8.3: a descriptor's `transports` are "hints as to how the client might communicate
// with the managing authenticator"; they are not a filter. Relying parties get them wrong all the
// time (hard-coded lists, lists lost in a migration, a library's default), so the credential ID
// decides: an ID Latchkey holds is Latchkey's, whatever the hint says, and is offered in the window
// (§6.3.3 step 4: the authenticator looks the IDs up among the credentials it holds). Only a list
// that names none of Latchkey's passkeys goes to the browser without a window (requests.ts).
//
// The entries Latchkey does not hold are some other authenticator's: the site also accepts a
// security key or a phone for this account, which the window says beside "Use another device or
// security key" (popup/screens/GetChoice.tsx).
import type { PublicKeyCredentialDescriptorJSON } from '../messages/wire';

/**
 * The credential IDs of a get()'s allowCredentials that Latchkey may answer for: every entry of
 * type "public-key" (§5.10.3: other types are for other kinds of credential, which the client
 * skips), whatever its transports.
 */
export function allowedIds(allow: readonly PublicKeyCredentialDescriptorJSON[]): Set<string> {
  return new Set(allow.filter((d) => d.type === 'public-key').map((d) => d.id));
}

/**
 * Whether the list also names public-key credentials that Latchkey does not hold: those live on a
 * security key, a phone or another platform authenticator, which the browser's own dialog reaches.
 */
export function namesOtherAuthenticators(allow: readonly PublicKeyCredentialDescriptorJSON[], held: ReadonlySet<string>): boolean {
  return allow.some((d) => d.type === 'public-key' && !held.has(d.id));
}
