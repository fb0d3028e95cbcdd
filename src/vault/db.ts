// Opening the vault database: runs the upgrade ladder, and turns "this database is newer than me"
// into a VaultVersionError instead of a bare DOMException (or, worse, an attempt to recreate it).
import { openDB, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { VaultVersionError } from './errors.js';
import { upgrades as defaultUpgrades, type UpgradeStep, type VaultSchema } from './schema.js';

export const DEFAULT_DB_NAME = 'latchkey';

export interface OpenVaultDbOpts {
  name?: string;
  /** Test seam: a longer ladder stands in for a future release. */
  upgrades?: readonly UpgradeStep[];
  /** Called once the connection is gone: closed for a newer version's upgrade, or ended by the browser. */
  onClosed?: () => void;
}

export async function openVaultDb(opts: OpenVaultDbOpts = {}): Promise<IDBPDatabase<VaultSchema>> {
  const { name = DEFAULT_DB_NAME, upgrades = defaultUpgrades, onClosed } = opts;
  const version = upgrades.length;
  let db: IDBPDatabase<VaultSchema>;
  try {
    db = await openDB<VaultSchema>(name, version, {
      upgrade(rawDb, oldVersion, newVersion, tx) {
        // If a step throws, the versionchange transaction aborts and openDB rejects (handled below);
        // idb's own tx.done would then reject with nobody listening, an unhandled rejection.
        tx.done.catch(() => {});
        const target = newVersion ?? version;
        // Step by step; a step that returns an AfterStep runs the rest of the ladder once its own
        // requests are done (from its success handler: an exception there still aborts the upgrade).
        const runFrom = (from: number): void => {
          for (let v = from; v < target; v++) {
            const step = upgrades[v];
            if (!step) throw new Error(`no upgrade step from version ${v}`);
            const after = step(rawDb as IDBPDatabase<unknown>, tx as unknown as IDBPTransaction<unknown, string[], 'versionchange'>);
            if (after) { after(() => runFrom(v + 1)); return; }
          }
        };
        runFrom(oldVersion);
      },
      blocking() {
        // A newer copy of the code (extension update) wants to upgrade; holding on would block it forever.
        db.close();
        onClosed?.();
      },
      terminated() {
        // The browser dropped the connection (e.g. storage cleared); later calls must fail clearly.
        onClosed?.();
      },
    });
  } catch (e) {
    // IndexedDB: opening with a version lower than the stored one fails with VersionError and
    // changes nothing (https://w3c.github.io/IndexedDB/#opening, step 7).
    if ((e as { name?: unknown } | null)?.name === 'VersionError') {
      throw new VaultVersionError(await storedVersion(name), version, { cause: e });
    }
    throw e;
  }
  return db;
}

/** The version on disk, found by opening without a version (which never upgrades). */
async function storedVersion(name: string): Promise<number | undefined> {
  try {
    const db = await openDB(name);
    const v = db.version;
    db.close();
    return v;
  } catch {
    return undefined;
  }
}
