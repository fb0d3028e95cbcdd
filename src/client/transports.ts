// Which allowCredentials entries could name a Latchkey passkey. Latchkey is a platform
// authenticator reached with the client device's own means ("internal", §5.8.4), and its passkeys
// report exactly that from getTransports(). An entry whose transports hint is given and names only
// ways to reach another device (usb, nfc, ble, smart-card, hybrid) points at a security key or a
// phone: §5.8.3 lets the client use the hint to pick the authenticator, so Latchkey leaves it to
// the browser. An entry with no hint (or an empty one) may be anything, Latchkey included.
import type { PublicKeyCredentialDescriptorJSON } from '../messages/wire';

export function mayBeLatchkeys(d: PublicKeyCredentialDescriptorJSON): boolean {
  if (d.type !== 'public-key') return false;
  const t = d.transports;
  return !t || t.length === 0 || t.includes('internal');
}
