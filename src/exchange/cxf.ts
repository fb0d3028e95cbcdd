// The FIDO Alliance Credential Exchange Format (CXF), version 1.0: its JSON data model for
// passkeys and the account and item around them. References are to the CXF Review Draft of
// 2025-03-13 (fidoalliance.org/specs/cx/cxf-v1.0-rd-20250313.html) and to its open
// implementations read for this module: Bitwarden's `credential-exchange-format` crate (Rust
// types, field by field), Apple's ASImportableCredential.Passkey / ASImportableItem, and
// KeePassXC's CXF export.
//
//   Header { version {major, minor}, exporterRpId, exporterDisplayName, timestamp (UNIX s), accounts }
//   Account { id (b64url, <= 64 bytes), username, email, fullName?, collections [], items [], extensions? }
//   Item { id, creationAt?, modifiedAt?, title, subtitle?, favorite?, scope? {urls, androidApps},
//          credentials [{ type, ... }], tags?, extensions? }
//   Passkey credential ("type": "passkey") { credentialId (b64url of rawId), rpId, username,
//          userDisplayName, userHandle (b64url of user.id), key (b64url of PKCS#8 DER), fido2Extensions? }
//
// Binary members are base64url without padding (CXF "B64Url"). Unknown credential types and
// unknown extensions are ignored, as the format requires of importers; items holding no passkey
// (passwords, cards, notes) are not Latchkey's and are passed over silently.
import type { ExportedPasskey } from '../vault/vault.js';
import { fromBase64url, lenientBase64, pkcs8FromSecret, toBase64url } from './keys.js';
import { nameOf, Skip, toExported } from './passkey.js';
import { ExchangeFileError, pace, type ForeignExport, type ForeignImport, type OnProgress, type Skipped } from './types.js';

/** The CXF version written and the major version read (a new major is an incompatible format). */
export const CXF_VERSION = { major: 1, minor: 0 } as const;

/**
 * Latchkey's own item extension (CXF "Extension": an object tagged by `name`; importers ignore
 * names they do not know): what CXF has no member for, so Latchkey -> CXF -> Latchkey keeps it.
 */
const LATCHKEY_EXTENSION = 'latchkey-passkey';

const NOT_CXF = 'This file is not a CXF (Credential Exchange Format) file.';

export interface CxfOptions {
  now?: number;
  /** Account username (CXF Account.username: "a pseudonym defined by the user"); default ''. */
  accountName?: string;
}

/**
 * A CXF document holding `items`. CXF "Passkey" note: passkeys with a non-zero signature counter
 * MUST be excluded from an export and the person told; they come back in `excluded`.
 */
export function serializeCxf(items: ExportedPasskey[], o: CxfOptions = {}): ForeignExport<string> {
  const now = o.now ?? Date.now();
  const excluded: Skipped[] = [];
  const out: unknown[] = [];
  for (const p of items) {
    if (p.signCount !== 0) {
      excluded.push({ name: nameOf(p.rpId, p.userName), reason: 'Its signature counter is not zero, and the CXF format does not carry such passkeys (the site would see its counter go back).' });
      continue;
    }
    const secret = fromBase64url(p.privateKey);
    const key = pkcs8FromSecret(p.alg as -7 | -8, secret, fromBase64url(p.publicKey));
    secret.fill(0);
    const seconds = Math.floor(p.createdAt / 1000);
    out.push({
      // Item.id: "machine generated and an opaque byte sequence with a maximum size of 64 bytes".
      id: toBase64url(crypto.getRandomValues(new Uint8Array(16))),
      creationAt: seconds,
      modifiedAt: Math.floor((p.lastUsedAt ?? p.createdAt) / 1000),
      title: p.label ?? p.rpId,
      // Item.scope: where the credentials are presented; a passkey's own rpId binds it anyway.
      scope: { urls: [`https://${p.rpId}`], androidApps: [] },
      credentials: [{
        type: 'passkey',
        credentialId: p.credentialId,
        rpId: p.rpId,
        username: p.userName,
        userDisplayName: p.userDisplayName,
        userHandle: p.userHandle,
        key: toBase64url(key),
      }],
      extensions: [{
        name: LATCHKEY_EXTENSION,
        backupEligible: p.backupEligible, backupState: p.backupState,
        createdAt: p.createdAt, lastUsedAt: p.lastUsedAt, label: p.label,
      }],
    });
    key.fill(0);
  }
  const header = {
    version: CXF_VERSION,
    // Header.exporterRpId: "the name of the exporting app as a relying party identifier".
    exporterRpId: 'latchkey.dev',
    exporterDisplayName: 'Latchkey',
    timestamp: Math.floor(now / 1000),
    accounts: [{
      id: toBase64url(crypto.getRandomValues(new Uint8Array(16))),
      username: o.accountName ?? '', email: '', collections: [], items: out,
    }],
  };
  return { file: `${JSON.stringify(header, null, 2)}\n`, count: out.length, excluded };
}

/** True when the parsed JSON has the shape of a CXF header (used to tell formats apart). */
export function looksLikeCxf(raw: unknown): boolean {
  const h = raw as { version?: { major?: unknown }; accounts?: unknown } | null;
  return h !== null && typeof h === 'object' && typeof h.version?.major === 'number' && Array.isArray(h.accounts);
}

/**
 * The passkeys of a CXF document (already parsed JSON).
 * @throws ExchangeFileError 'wrong-format' when it is not CXF, 'unsupported' for another major version.
 */
export async function parseCxf(raw: unknown, o: { now?: number; onProgress?: OnProgress } = {}): Promise<ForeignImport> {
  const now = o.now ?? Date.now();
  if (!looksLikeCxf(raw)) throw new ExchangeFileError('wrong-format', NOT_CXF);
  const header = raw as { version: { major: number; minor?: unknown }; accounts: unknown[] };
  if (header.version.major !== CXF_VERSION.major) {
    throw new ExchangeFileError('unsupported', `This CXF file is version ${header.version.major}.${String(header.version.minor ?? 0)}; Latchkey reads version 1.`);
  }
  // Every passkey credential with the item it sits in.
  const found: { item: Record<string, unknown>; cred: Record<string, unknown> }[] = [];
  for (const account of header.accounts) {
    const items = (account as { items?: unknown } | null)?.items;
    if (!Array.isArray(items)) throw new ExchangeFileError('damaged', 'This CXF file is damaged: an account has no list of items.');
    for (const item of items) {
      const creds = (item as { credentials?: unknown } | null)?.credentials;
      if (!Array.isArray(creds)) continue;
      for (const c of creds) {
        if (c !== null && typeof c === 'object' && (c as { type?: unknown }).type === 'passkey') {
          found.push({ item: item as Record<string, unknown>, cred: c as Record<string, unknown> });
        }
      }
    }
  }
  const out: ForeignImport = { items: [], skipped: [] };
  for (let i = 0; i < found.length; i++) {
    const { item, cred } = found[i]!;
    try {
      out.items.push(convert(item, cred, now));
    } catch (e) {
      if (!(e instanceof Skip)) throw e;
      out.skipped.push({ name: nameOf(cred.rpId, cred.username, typeof item.title === 'string' ? item.title : 'An item'), reason: e.message });
    }
    await pace(i + 1, found.length, o.onProgress);
  }
  return out;
}

function bytes(v: unknown, what: string): Uint8Array {
  if (typeof v !== 'string' || v === '') throw new Skip(`It has no ${what}.`);
  try {
    return fromBase64url(v);
  } catch {
    // Tolerated: padded or standard base64 from a lax exporter.
    try { return lenientBase64(v); } catch { throw new Skip(`Its ${what} is not base64url.`); }
  }
}

function convert(item: Record<string, unknown>, c: Record<string, unknown>, now: number): ExportedPasskey {
  const ext = Array.isArray(item.extensions)
    ? (item.extensions.find((e) => (e as { name?: unknown } | null)?.name === LATCHKEY_EXTENSION) as Record<string, unknown> | undefined)
    : undefined;
  const seconds = typeof item.creationAt === 'number' && Number.isFinite(item.creationAt) ? item.creationAt * 1000 : now;
  const title = typeof item.title === 'string' ? item.title : '';
  const pkcs8 = bytes(c.key, 'private key');
  try {
    return toExported({
      credentialId: bytes(c.credentialId, 'credential id'),
      rpId: c.rpId,
      userHandle: bytes(c.userHandle, 'user handle'),
      userName: c.username,
      userDisplayName: c.userDisplayName,
      pkcs8,
      // CXF carries no backup flags. Passkeys exchanged by password managers are synced ones
      // (BE=1, BS=1, WebAuthn L3 §6.1.3); a Latchkey file says what the site saw.
      backupEligible: typeof ext?.backupEligible === 'boolean' ? ext.backupEligible : true,
      backupState: typeof ext?.backupState === 'boolean' ? ext.backupState : true,
      // CXF "Passkey": importers MUST set the counter to zero and never increment it.
      signCount: 0,
      createdAt: typeof ext?.createdAt === 'number' ? ext.createdAt : seconds,
      lastUsedAt: typeof ext?.lastUsedAt === 'number' ? ext.lastUsedAt : null,
      label: ext ? ext.label : title !== c.rpId ? title : null,
    });
  } finally {
    pkcs8.fill(0);
  }
}
