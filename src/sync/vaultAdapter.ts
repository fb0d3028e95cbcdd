// The vault as the sync engine uses it, through the Vault's public methods only (the background's
// one Vault, or a Vault in Node for the benchmark). Settings come in as two functions, since they
// live in extension storage in the background.
import { toBase64url } from '../core/base64url';
import type { Vault } from '../vault/vault';
import type { SyncVault } from './engine';

export function syncVaultOf(vault: () => Promise<Vault>, vaultKey: Uint8Array, sites: { get(): Promise<string[]>; set(s: string[]): Promise<void> }): SyncVault {
  return {
    list: async () => (await vault()).listAll(),
    async privateKey(id) {
      const k = await (await vault()).unwrapPrivateKey(vaultKey, id);
      try { return toBase64url(k); } finally { k.fill(0); }
    },
    importPasskeys: async (items) => { await (await vault()).importPasskeys(vaultKey, items); },
    rename: async (id, label) => { await (await vault()).renamePasskey(id, label); },
    delete: async (id) => { await (await vault()).deletePasskey(id); },
    recordLastUsed: async (uses) => { await (await vault()).recordLastUsed(uses); },
    updateUserDetails: async (rpId, handle, name, displayName) => { await (await vault()).updateUserDetails(rpId, handle, name, displayName); },
    hide: async (rpId, id, at) => { await (await vault()).hideUnknownCredential(rpId, id, at); },
    unhide: async (id) => { await (await vault()).unhidePasskey(id); },
    markUsed: async (id, at) => { await (await vault()).markUsed(id, at); },
    handoverSites: () => sites.get(),
    setHandoverSites: (s) => sites.set(s),
  };
}
