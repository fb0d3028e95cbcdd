// The one Vault of this background, opened on first use, and opened again if its connection was
// closed (a newer version of the database took over, or the browser ended the connection).
import { Vault } from '../vault/vault';

let opening: Promise<Vault> | null = null;

export async function vault(): Promise<Vault> {
  const current = opening ? await opening.catch(() => null) : null;
  if (current && !current.isClosed) return current;
  // Only this background writes the database, so it may keep each site's passkeys in memory.
  opening = Vault.open({ cacheSites: true });
  opening.catch(() => { opening = null; });
  return opening;
}
