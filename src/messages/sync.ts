// The sync protocol (options/ and action/ -> background). Only Latchkey's own manage page may
// change sync; the toolbar popup may read its status. Secrets go one way: the app password and the
// pairing words come in from the manage page; the pairing words go back out only to it.

export interface SyncStatus {
  /** Sync is configured on this device. */
  enabled: boolean;
  folderUrl: string | null;
  userName: string | null;
  /** What sync is doing: off, waiting for the vault to be unlocked, running, done, or failed. */
  state: 'off' | 'locked' | 'syncing' | 'synced' | 'error';
  /** The last sync that finished (ms since epoch), or null. */
  lastSyncAt: number | null;
  /** One sentence for a person: "Synced at 14:02.", or what went wrong and that nothing was lost. */
  message: string;
  /** While syncing: how far along (the first sync of a large vault takes a while). */
  progress: { phase: 'download' | 'upload'; done: number; total: number } | null;
}

export interface SyncServerFields { folderUrl: string; userName: string; appPassword: string }

export type SyncRequest =
  | { type: 'sync/status' }
  /** First device: turn sync on with an empty folder; answers the pairing words. */
  | ({ type: 'sync/enable' } & SyncServerFields)
  /** Another device: join with the pairing words shown on the first. */
  | ({ type: 'sync/join'; words: string } & SyncServerFields)
  | { type: 'sync/now' }
  | { type: 'sync/pairing' }
  | { type: 'sync/disable' };

export interface SyncAnswers {
  'sync/status': SyncStatus;
  'sync/enable': { words: string };
  'sync/join': SyncStatus;
  'sync/now': SyncStatus;
  'sync/pairing': { words: string };
  'sync/disable': SyncStatus;
}

export const SYNC_MESSAGE_TYPES: readonly SyncRequest['type'][] = ['sync/status', 'sync/enable', 'sync/join', 'sync/now', 'sync/pairing', 'sync/disable'];

export function isSyncRequest(m: unknown): m is SyncRequest {
  const t = (m as { type?: unknown } | null)?.type;
  return typeof t === 'string' && (SYNC_MESSAGE_TYPES as readonly string[]).includes(t);
}

/** The origin pattern sync asks for as an optional host permission: the server's one origin. */
export function originPattern(folderUrl: string): string {
  const u = new URL(folderUrl);
  return `${u.protocol}//${u.hostname}/*`;
}
