// Bitwarden's unencrypted JSON export, written so that a person can take their passkeys (back) to
// Bitwarden, and read by Latchkey's own importer (src/vault/bitwarden.ts, whose header cites the
// Bitwarden client sources both follow):
//   { encrypted: false, folders: [], items: [{ id, organizationId, folderId, type: 1 (login),
//     reprompt, name, notes, favorite, login: { uris: [{ match, uri }], username, password, totp,
//     fido2Credentials: [Fido2CredentialExport] }, collectionIds, revisionDate, creationDate, deletedDate }] }
// Fido2CredentialExport (libs/common/src/models/export/fido2-credential.export.ts): credentialId,
// keyType "public-key", keyAlgorithm "ECDSA", keyCurve "P-256", keyValue (base64url PKCS#8),
// rpId, userHandle (base64url), userName, counter (decimal string), rpName, userDisplayName,
// discoverable ("true"), creationDate (ISO 8601).
// Bitwarden makes and signs with P-256 keys only, so an Ed25519 passkey cannot go there: it is
// left out and reported. Its credential ids are GUIDs for passkeys it made, and "b64." + base64url
// for any other (credential-id-utils.ts), which is what Latchkey writes.
import type { ExportedPasskey } from '../vault/vault.js';
import { BackupFormatError, parseBitwardenExport } from '../vault/vault.js';
import { fromBase64url, pkcs8FromSecret, toBase64url } from './keys.js';
import { nameOf } from './passkey.js';
import { ExchangeFileError, type ForeignExport, type ForeignImport, type Skipped } from './types.js';

function uuid(): string {
  return crypto.randomUUID();
}

export function serializeBitwarden(items: ExportedPasskey[], o: { now?: number } = {}): ForeignExport<string> {
  const now = new Date(o.now ?? Date.now()).toISOString();
  const excluded: Skipped[] = [];
  const out: unknown[] = [];
  for (const p of items) {
    if (p.alg !== -7) {
      excluded.push({ name: nameOf(p.rpId, p.userName), reason: 'It is an Ed25519 (EdDSA) passkey; Bitwarden keeps only P-256 (ES256) passkeys.' });
      continue;
    }
    const secret = fromBase64url(p.privateKey);
    const der = pkcs8FromSecret(-7, secret, fromBase64url(p.publicKey));
    secret.fill(0);
    const created = new Date(p.createdAt).toISOString();
    out.push({
      id: uuid(), organizationId: null, folderId: null, type: 1, reprompt: 0,
      name: p.label ?? p.rpId, notes: null, favorite: false,
      login: {
        uris: [{ match: null, uri: `https://${p.rpId}` }],
        username: p.userName, password: null, totp: null,
        fido2Credentials: [{
          credentialId: `b64.${p.credentialId}`,
          keyType: 'public-key', keyAlgorithm: 'ECDSA', keyCurve: 'P-256',
          keyValue: toBase64url(der),
          rpId: p.rpId, userHandle: p.userHandle, userName: p.userName,
          // Bitwarden keeps counting from here (its authenticator increments it).
          counter: String(p.signCount),
          rpName: p.rpId, userDisplayName: p.userDisplayName, discoverable: 'true', creationDate: created,
        }],
      },
      collectionIds: null, revisionDate: now, creationDate: created, deletedDate: null,
    });
    der.fill(0);
  }
  return { file: `${JSON.stringify({ encrypted: false, folders: [], items: out }, null, 2)}\n`, count: out.length, excluded };
}

/** Latchkey's Bitwarden importer, with its format error turned into the exchange's. */
export function parseBitwarden(text: string): ForeignImport {
  try {
    const r = parseBitwardenExport(text);
    // An item named after its site (what Latchkey writes for a passkey without a name) is no name
    // the person chose.
    for (const p of r.items) if (p.label === p.rpId) p.label = null;
    return r;
  } catch (e) {
    if (e instanceof BackupFormatError) throw new ExchangeFileError('wrong-format', (e as Error).message, { cause: e });
    throw e;
  }
}
