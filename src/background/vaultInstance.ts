// The one Vault of this background, opened on first use.
import { Vault } from '../vault/vault';

let opening: Promise<Vault> | null = null;

export function vault(): Promise<Vault> {
  opening ??= Vault.open().catch((e: unknown) => { opening = null; throw e; });
  return opening;
}
