// A Bitwarden unencrypted JSON export holding one passkey, written the way Bitwarden writes them
// (items[].login.fido2Credentials[]; see src/vault/bitwarden.ts for the format's source), from a
// credential that a virtual authenticator made (its PKCS#8 key, id, user handle and counter).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface VirtualCredentialLike { credentialId: string; privateKey: string; userHandle?: string; signCount: number }

const b64url = (b64: string) => b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export function writeBitwardenExport(dir: string, o: { cred: VirtualCredentialLike; userName: string; siteUrl: string; rpId: string }): string {
  const { cred, userName } = o;
  const bitwarden = {
    encrypted: false,
    folders: [],
    items: [{
      id: 'b1f1e2d3-0000-4000-8000-000000000001', type: 1, name: 'Latchkey Demo', favorite: false,
      login: {
        username: userName, password: null, uris: [{ uri: o.siteUrl }],
        fido2Credentials: [{
          credentialId: `b64.${b64url(cred.credentialId)}`, keyType: 'public-key', keyAlgorithm: 'ECDSA', keyCurve: 'P-256',
          keyValue: b64url(cred.privateKey), rpId: o.rpId, userHandle: b64url(cred.userHandle ?? ''), userName,
          counter: String(cred.signCount), rpName: 'Latchkey Demo', userDisplayName: userName, discoverable: 'true',
          creationDate: new Date().toISOString(),
        }],
      },
    }],
  };
  const file = join(dir, 'bitwarden_export.json');
  writeFileSync(file, JSON.stringify(bitwarden, null, 2));
  return file;
}
