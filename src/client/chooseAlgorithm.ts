// Which algorithm a new Latchkey passkey uses: the client's walk over pubKeyCredParams (§5.1.3
// step 10, "credTypesAndPubKeyAlgs") and the authenticator's pick from it (§6.3.2 step 2: "the
// first item … that this authenticator supports"). The site lists its preference, most preferred
// first, so the site's order decides (DESIGN.md: ES256 and EdDSA, in the order the site lists them).
import type { PublicKeyCredentialParametersJSON } from '../messages/wire';

/** COSE algorithms Latchkey can create: ES256 and EdDSA (Ed25519). */
export type SupportedAlg = -7 | -8;

const SUPPORTED: ReadonlySet<number> = new Set<SupportedAlg>([-7, -8]);

/**
 * The first entry of type "public-key" whose alg Latchkey supports, or null when there is none (the
 * request then goes to the browser). An empty list means the defaults ES256 then RS256 (§5.1.3
 * step 10), so ES256 (-7). Entries of other types are skipped, as the client ignores them.
 */
export function chooseAlgorithm(params: readonly PublicKeyCredentialParametersJSON[]): SupportedAlg | null {
  if (params.length === 0) return -7;
  for (const p of params) {
    if (p.type === 'public-key' && SUPPORTED.has(p.alg)) return p.alg as SupportedAlg;
  }
  return null;
}
