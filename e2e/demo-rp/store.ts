/**
 * The demo relying party's whole state (users, their passkeys, sessions) in one JSON file.
 *
 * Every change rewrites the file atomically: the new text goes to a temporary file in the same
 * directory, is flushed, and is then renamed over the old one. rename() within one file system
 * replaces the target in a single step, so a crash or kill leaves the old state or the new, never
 * half a file, and a restarted server loses nothing that was acknowledged to a browser.
 * The state is small, so synchronous writes are fine and keep changes from interleaving.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, o: object) => Promise<Buffer>;

export const SEED_EMAIL = 'demo@latchkey.test';
export const SEED_PASSWORD = 'correct horse battery staple';
/** Sessions older than this are dropped when the file is loaded. */
const SESSION_MAX_AGE_MS = 24 * 60 * 60 * 1000;

export interface StoredPasskey {
  /** Credential id, base64url. */
  id: string;
  /** COSE public key, base64url. */
  publicKey: string;
  /** The RP ID it was registered for: a.localhost and b.localhost keep separate passkeys. */
  rpID: string;
  counter: number;
  transports: string[];
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  /** Whether the authenticator verified the user (UV flag) in the latest ceremony with it. */
  uv: boolean;
  /** The UV flag at registration. */
  uvAtCreation: boolean;
  /** BE flag: the passkey may be synced. */
  backupEligible: boolean;
  /** BS flag: the passkey is currently backed up. */
  backedUp: boolean;
  aaguid: string;
  /** COSE algorithm id of the public key (-7 ES256, -8 EdDSA, -257 RS256). */
  algorithm: number | null;
}

export interface StoredUser {
  /** WebAuthn user handle, base64url of 16 random bytes. */
  id: string;
  email: string;
  /** `scrypt$N$r$p$salt$hash` (base64url parts). */
  passwordHash: string;
  passkeys: StoredPasskey[];
}

export interface PendingChallenge {
  value: string;
  kind: 'registration' | 'authentication';
  expiresAt: number;
}

export interface StoredSession {
  id: string;
  createdAt: number;
  userId: string | null;
  method: 'password' | 'passkey' | null;
  /** For a passkey sign-in: whether the user was verified. */
  uv: boolean | null;
  challenge: PendingChallenge | null;
}

export interface StoreData {
  version: 1;
  users: StoredUser[];
  sessions: Record<string, StoredSession>;
}

/** The two file operations of an atomic write; a seam so tests can watch them. */
export interface AtomicWriteIO {
  writeFile(path: string, text: string): void;
  rename(from: string, to: string): void;
}

const realIO: AtomicWriteIO = {
  // flush: fsync before the rename, so the renamed file has its bytes even after a power cut.
  writeFile: (path, text) => writeFileSync(path, text, { encoding: 'utf8', flush: true }),
  rename: (from, to) => renameSync(from, to),
};

/** Writes `text` to `file` all at once: temp file in the same directory, then rename. */
export function writeFileAtomic(file: string, text: string, io: AtomicWriteIO = realIO): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true });
  // Same directory, so the rename never crosses file systems (which would not be atomic).
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    io.writeFile(tmp, text);
    io.rename(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const [N, r, p] = [16384, 8, 1];
  const hash = await scrypt(password, salt, 32, { N, r, p });
  return ['scrypt', N, r, p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

export async function checkPassword(password: string, stored: string): Promise<boolean> {
  const [kind, N, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const got = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(N), r: Number(r), p: Number(p),
  });
  return timingSafeEqual(got, expected);
}

export class Store {
  private constructor(
    readonly file: string,
    private data: StoreData,
    private readonly io: AtomicWriteIO,
  ) {}

  /**
   * Loads the file, or creates it with the seeded account. A file that exists but does not parse
   * is an error, not a reason to start over: silently replacing it would lose passkeys.
   */
  static async open(file: string, io: AtomicWriteIO = realIO): Promise<Store> {
    let data: StoreData;
    if (existsSync(file)) {
      data = JSON.parse(readFileSync(file, 'utf8')) as StoreData;
      if (data.version !== 1) throw new Error(`${file}: unknown store version ${String(data.version)}`);
    } else {
      data = { version: 1, users: [], sessions: {} };
    }
    const store = new Store(file, data, io);
    const now = Date.now();
    for (const [id, s] of Object.entries(data.sessions)) {
      if (now - s.createdAt > SESSION_MAX_AGE_MS) delete data.sessions[id];
    }
    if (!store.userByEmail(SEED_EMAIL)) {
      data.users.push({
        id: randomBytes(16).toString('base64url'),
        email: SEED_EMAIL,
        passwordHash: await hashPassword(SEED_PASSWORD),
        passkeys: [],
      });
    }
    store.save();
    return store;
  }

  /** Applies a change to the state and writes it before returning. */
  update<T>(change: (data: StoreData) => T): T {
    const result = change(this.data);
    this.save();
    return result;
  }

  private save(): void {
    writeFileAtomic(this.file, JSON.stringify(this.data, null, 2) + '\n', this.io);
  }

  userByEmail(email: string): StoredUser | undefined {
    const wanted = email.trim().toLowerCase();
    return this.data.users.find((u) => u.email.toLowerCase() === wanted);
  }

  userById(id: string): StoredUser | undefined {
    return this.data.users.find((u) => u.id === id);
  }

  /** Finds a passkey by credential id, with its owner. */
  passkey(credentialId: string): { user: StoredUser; passkey: StoredPasskey } | undefined {
    for (const user of this.data.users) {
      const passkey = user.passkeys.find((p) => p.id === credentialId);
      if (passkey) return { user, passkey };
    }
    return undefined;
  }

  session(id: string | undefined): StoredSession | undefined {
    return id === undefined ? undefined : this.data.sessions[id];
  }

  newSession(fields: Partial<StoredSession> = {}): StoredSession {
    const session: StoredSession = {
      id: randomBytes(24).toString('base64url'),
      createdAt: Date.now(),
      userId: null,
      method: null,
      uv: null,
      challenge: null,
      ...fields,
    };
    this.update((d) => { d.sessions[session.id] = session; });
    return session;
  }

  deleteSession(id: string): void {
    this.update((d) => { delete d.sessions[id]; });
  }
}
