// Shared by the exchange tests only (not bundled): a vault in fake-indexeddb with known passkeys.
import { toBase64url } from '../core/base64url.js';
import { generateEd25519KeyPair } from '../core/ed25519.js';
import { generateES256KeyPair } from '../core/es256.js';
import { Vault, type NewPasskey } from '../vault/vault.js';

export const CHEAP_KDF = { algorithm: 'argon2id', memoryKiB: 1024, iterations: 1, parallelism: 1 } as const;
export const PIN = '2468';

let n = 0;
export function randomId(bytes = 16): string {
  return toBase64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

export function passkey(over: Partial<NewPasskey> = {}): { passkey: NewPasskey; privateKey: Uint8Array } {
  const { privateKey, publicKey } = over.alg === -8 ? generateEd25519KeyPair() : generateES256KeyPair();
  return {
    privateKey,
    passkey: {
      credentialId: randomId(), rpId: 'example.com', userHandle: randomId(32), userName: 'ada@example.com',
      userDisplayName: 'Ada Lovelace', alg: -7, publicKey: toBase64url(publicKey), backupEligible: false, backupState: false,
      createdAt: 1_700_000_000_000, ...over,
    },
  };
}

/** A new vault (its own database) with its key, unlocked. */
export async function openVault(label: string): Promise<{ vault: Vault; key: Uint8Array }> {
  const vault = await Vault.open({ dbName: `latchkey-exchange-${label}-${process.pid}-${++n}`, kdf: CHEAP_KDF });
  const key = await vault.initialize(PIN);
  return { vault, key };
}

/** Three passkeys: ES256 with a name, EdDSA, ES256 on another site with backup flags set. */
export async function seedVault(vault: Vault, key: Uint8Array): Promise<void> {
  const a = passkey({ rpId: 'shop.example', userName: 'ada', label: 'My shop' });
  const b = passkey({ rpId: 'mail.example', alg: -8, userName: 'ada@mail.example', userDisplayName: 'Ada L.' });
  const c = passkey({ rpId: 'bank.example', userName: 'a.lovelace', backupEligible: true, backupState: true, createdAt: 1_650_000_000_000 });
  for (const p of [a, b, c]) await vault.addPasskey(key, p.passkey, p.privateKey);
}
