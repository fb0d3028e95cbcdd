// The largeBlob extension (WebAuthn L3 §10.1.5). Latchkey's passkeys have no large-blob storage, so
// the client steps that need no authenticator are all there is: the spec's NotSupportedErrors, the
// "required" case handed to the browser (whose authenticators may have it), and honest outputs
// (supported: false, written: false, no blob). Pure functions: the page side runs them
// (src/content/convert.ts, main-world.ts); the background never sees largeBlob.
import type { AuthenticationExtensionsLargeBlobInputsJSON, PublicKeyCredentialDescriptorJSON } from '../messages/wire';

// DOMException is read where an error is thrown, not captured at load: in the page, reading a Web
// IDL interface at load costs every page (see src/content/main-world.ts).

/**
 * §10.1.5 client extension processing (registration), step 1: "If read or write is present, return
 * a DOMException whose name is NotSupportedError."
 */
export function checkLargeBlobAtCreate(lb: AuthenticationExtensionsLargeBlobInputsJSON | undefined): void {
  if (lb && (lb.read !== undefined || lb.write !== undefined)) {
    throw new DOMException('largeBlob: read and write belong to get(), not create()', 'NotSupportedError');
  }
}

/**
 * §10.1.5 client extension processing (authentication): step 1, "If support is present, return a
 * DOMException whose name is NotSupportedError"; step 2, read and write both present: the same;
 * write: allowCredentials must name exactly one credential, else NotSupportedError.
 */
export function checkLargeBlobAtGet(lb: AuthenticationExtensionsLargeBlobInputsJSON | undefined, allow: PublicKeyCredentialDescriptorJSON[]): void {
  if (!lb) return;
  if (lb.support !== undefined) throw new DOMException('largeBlob: support belongs to create(), not get()', 'NotSupportedError');
  if (lb.read !== undefined && lb.write !== undefined) throw new DOMException('largeBlob: read and write together', 'NotSupportedError');
  if (lb.write !== undefined && allow.length !== 1) throw new DOMException('largeBlob: write needs exactly one allowCredentials entry', 'NotSupportedError');
}

/**
 * §10.1.5 registration step 2: with support "required" the client must not create the credential on
 * an authenticator without large-blob storage. Latchkey has none, so such a create() is the
 * browser's (its security keys or platform authenticator may have it).
 */
export function largeBlobRequired(lb: AuthenticationExtensionsLargeBlobInputsJSON | undefined): boolean {
  return lb?.support === 'required';
}

/** The client extension output Latchkey gives (§10.1.5 AuthenticationExtensionsLargeBlobOutputs). */
export function largeBlobOutput(op: 'create' | 'get', lb: AuthenticationExtensionsLargeBlobInputsJSON | undefined): Record<string, boolean> | undefined {
  if (!lb) return undefined;
  // Registration: "supported" is true only if the credential can store a blob; Latchkey's cannot.
  if (op === 'create') return { supported: false };
  // Authentication: read finds no blob (the output has no "blob"); a write does not happen.
  return lb.write !== undefined ? { written: false } : {};
}
