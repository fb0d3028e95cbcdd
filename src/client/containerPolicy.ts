// Whether an <iframe>'s `allow` attribute lets the document inside it use a WebAuthn feature.
// WebAuthn L3 §5.9 "Permissions Policy integration" defines the features "publickey-credentials-create"
// and "publickey-credentials-get", both with the default allowlist 'self'; §5.10 "Using Web
// Authentication within iframe elements" says a cross-origin frame needs them in `allow`.
//
// Used only where the browser does not tell extensions its own verdict (Firefox has no
// document.featurePolicy): the parent frame's isolated content script reads the attribute of the
// very element its child lives in, and the background combines the answers up to the top
// (src/background/frames.ts). Firefox applies `allow` attributes and ignores the Permissions-Policy
// HTTP header (checked in Firefox ESR 153), so the attributes alone decide there, as here.
//
// Permissions Policy, "parse policy directive" and "define an inherited policy for feature in
// container at origin" (https://w3c.github.io/webappsec-permissions-policy/).

export type WebAuthnFeature = 'publickey-credentials-create' | 'publickey-credentials-get';

export interface Container {
  /** The `allow` attribute as written, or null when absent (or not an <iframe>). */
  allow: string | null;
  /** The origin of the document holding the <iframe> ('self' in the attribute). */
  parentOrigin: string;
  /** The origin the frame was declared with: its `src` ('src' in the attribute); parentOrigin for srcdoc or none. */
  declaredOrigin: string;
}

/**
 * The allowlist the attribute declares for `feature`: '*' (all), a list of origins, or null when
 * the attribute does not name the feature (then the default allowlist 'self' applies).
 */
export function declaredAllowlist(c: Container, feature: WebAuthnFeature): '*' | string[] | null {
  if (c.allow === null) return null;
  for (const directive of c.allow.split(';')) {
    const tokens = directive.trim().split(/[\t\n\f\r ]+/).filter((t) => t !== '');
    if (tokens.length === 0 || tokens[0]!.toLowerCase() !== feature) continue;
    // The first directive for a feature counts ("if policy[feature] exists, continue").
    const values = tokens.slice(1);
    if (values.length === 0) return [c.declaredOrigin]; // no allowlist: 'src'
    const origins: string[] = [];
    for (const value of values) {
      const v = value.toLowerCase();
      if (v === '*') return '*';
      if (v === "'self'") origins.push(c.parentOrigin);
      else if (v === "'src'") origins.push(c.declaredOrigin);
      else if (v === "'none'") continue;
      else {
        const origin = originOf(value);
        if (origin !== null) origins.push(origin);
      }
    }
    return origins;
  }
  return null;
}

/** Whether the container lets a document of `childOrigin` use `feature` (the parent's own state aside). */
export function containerAllows(c: Container, feature: WebAuthnFeature, childOrigin: string): boolean {
  const list = declaredAllowlist(c, feature);
  if (list === '*') return true;
  if (list !== null) return list.includes(childOrigin);
  return childOrigin === c.parentOrigin; // default allowlist 'self' (§5.9)
}

/** A serialised, non-opaque origin, or null. */
export function originOf(url: string, base?: string): string | null {
  try {
    const origin = new URL(url, base).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}
