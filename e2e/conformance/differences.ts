// Where Latchkey's outcome differs from the browser's own, on purpose, and why (docs/DIFFERENCES.md,
// same ids). The conformance test expects exactly these two outcomes for these cases in these
// browsers: a listed case still fails when either Latchkey's outcome or the browser's changes.

export type Browser = 'chromium' | 'firefox';

export interface Difference {
  /** The row of docs/DIFFERENCES.md. */
  id: string;
  case: string;
  browser: Browser;
  latchkey: unknown;
  native: unknown;
}

/** The summary of a created credential (cases.ts `summarize`), with the members that vary given. */
function created(o: { alg?: number; fmt?: string } = {}) {
  return {
    credential: true, type: 'public-key', idIsRawId: true, attachment: 'platform',
    clientData: { type: 'webauthn.create', challenge: 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc', origin: '(this origin)', crossOrigin: false },
    extensions: {}, response: 'attestation', alg: o.alg ?? -7, fmt: o.fmt ?? 'none',
  };
}
const error = (name: string) => ({ error: name });

const list: Difference[] = [];
const both = (d: Omit<Difference, 'browser'>) => { list.push({ ...d, browser: 'chromium' }, { ...d, browser: 'firefox' }); };

// D6: a 0-byte user.id (§5.1.3 step 5).
both({ id: 'D6', case: 'create: user.id of 0 bytes', latchkey: error('TypeError'), native: created() });

// D7: Chromium gives up at once on a timeout of 0 (which NaN, Infinity, null and 'abc' become);
// Latchkey corrects it into its range (§5.1.3 step 6).
for (const what of ['0', 'NaN', 'a string', 'Infinity', 'null']) {
  list.push({ id: 'D7', case: `create: timeout ${what}`, browser: 'chromium', latchkey: created(), native: error('NotAllowedError') });
}

// D8: attestation "indirect", "direct", "enterprise": Latchkey has no attestation key, its statement
// is "none" (§6.5.3 None, §8.7). Chromium's virtual authenticator gives "packed"; Firefox asks the
// person first (a prompt that a headless test cannot answer: the case's 3 s limit ends it).
for (const name of ['attestation indirect', 'attestation direct', 'attestation enterprise', 'attestationFormats packed, attestation direct']) {
  list.push({ id: 'D8', case: `create: ${name}`, browser: 'chromium', latchkey: created(), native: created({ fmt: 'packed' }) });
  list.push({ id: 'D8', case: `create: ${name}`, browser: 'firefox', latchkey: created(), native: { timeout: true } });
}

// D9: EdDSA. Firefox's virtual authenticator has ES256 only; Latchkey makes Ed25519 keys and takes
// the first algorithm of the site's list that it supports (§6.3.2 step 2).
list.push({ id: 'D9', case: 'create: pubKeyCredParams EdDSA only', browser: 'firefox', latchkey: created({ alg: -8 }), native: error('NotAllowedError') });
list.push({ id: 'D9', case: 'create: pubKeyCredParams EdDSA then ES256', browser: 'firefox', latchkey: created({ alg: -8 }), native: created({ alg: -7 }) });
list.push({ id: 'D9', case: 'create: pubKeyCredParams an unknown type then EdDSA', browser: 'firefox', latchkey: created({ alg: -8 }), native: error('NotAllowedError') });
list.push({ id: 'D9', case: 'create: pubKeyCredParams a generator', browser: 'firefox', latchkey: created({ alg: -8 }), native: created({ alg: -7 }) });

// D10: authenticatorAttachment "platform": Latchkey is a platform authenticator (§6.2.1); Firefox
// does not count its virtual authenticator as one, whatever its transport.
list.push({ id: 'D10', case: 'create: authenticatorSelection attachment platform', browser: 'firefox', latchkey: created(), native: error('NotAllowedError') });

// D11: mediation "silent" on create(): nothing in Credential Management's create() or WebAuthn
// §5.1.3 refuses it (only "conditional" has a meaning there); Firefox says NotSupportedError.
list.push({ id: 'D11', case: 'create: mediation silent', browser: 'firefox', latchkey: created(), native: error('NotSupportedError') });

// D12: credProps with residentKey "discouraged": Latchkey's passkeys are always client-side
// discoverable, which "discouraged" accepts (§5.4.6), and credProps says so (§10.1.3: rk).
// Chromium's authenticator makes a non-discoverable credential and leaves rk out; Firefox leaves
// credProps out altogether.
const withCredProps = (rk: boolean | undefined) => ({ ...created(), extensions: { credProps: rk === undefined ? {} : { rk } } });
list.push({ id: 'D12', case: 'create: credProps with residentKey discouraged', browser: 'chromium', latchkey: withCredProps(true), native: withCredProps(undefined) });
list.push({ id: 'D12', case: 'create: credProps with residentKey discouraged', browser: 'firefox', latchkey: withCredProps(true), native: created() });

// D13 (gone): appid given to create() is NotSupportedError in Latchkey too now (§10.1.1 client
// processing: "If present in a create() call, return … NotSupportedError"), as in both browsers.

// D14: passkey autofill aborted. Chromium's own client (its virtual authenticator holding no
// credential) ends the conditional get() with NotAllowedError before the page aborts; Latchkey keeps
// it pending (no timeout applies to conditional mediation, §5.1.4.1, and an answer must not reveal
// that no passkey exists) until the abort, then rejects with the signal's reason (an AbortError).
list.push({ id: 'D14', case: 'get: mediation conditional, then aborted', browser: 'chromium', latchkey: error('AbortError'), native: error('NotAllowedError') });

// D15: largeBlob with support "preferred" in Firefox, which does not implement the extension (no
// output). §10.1.5 (registration, client extension output): `supported` says whether the new
// credential can store a large blob; Latchkey's cannot, so it says false, as Chromium does.
list.push({ id: 'D15', case: 'create: extensions largeBlob support preferred', browser: 'firefox', latchkey: { ...created(), extensions: { largeBlob: { supported: false } } }, native: created() });

// D16: appidExclude on an http://localhost page. §10.1.2 runs the FIDO FacetID check, which lets an
// AppID that is not an https URL through when it matches the caller's FacetID (its origin);
// Chromium refuses it (SecurityError). Latchkey holds no credential registered under any AppID, so
// it has nothing to exclude and goes on, with no output, as Firefox does.
list.push({ id: 'D16', case: 'create: extensions appidExclude this origin', browser: 'chromium', latchkey: created(), native: error('SecurityError') });

// D17: credProtect "userVerificationOptional", enforced. CTAP 2.1 §12.1: that level is a
// credential's state when the extension is absent, so any authenticator meets it; Latchkey's passkeys
// are at that level and it makes the credential. Chromium refuses (NotSupportedError) because its
// virtual authenticator (CTAP 2.0) has no credProtect; Firefox agrees with Latchkey.
list.push({ id: 'D17', case: 'create: extensions credProtect optional, enforced', browser: 'chromium', latchkey: created(), native: error('NotSupportedError') });

export const DIFFERENCES: readonly Difference[] = list;

export function differenceFor(caseName: string, browser: Browser): Difference | undefined {
  return list.find((d) => d.case === caseName && d.browser === browser);
}
