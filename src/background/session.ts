// The unlocked state. It lives in storage.session: kept in memory by the browser, readable only by
// the extension's own pages and workers, kept while the service worker is stopped and restarted,
// and gone when the browser restarts (DESIGN: "Keys and storage"). It also ends after the idle
// period the person chose (auto-lock): an alarm erases it, and every read checks it as well, so a
// late alarm never leaves the vault usable past its time.
import { browser } from '../browser.cjs';
import { fromBase64url, toBase64url } from '../core/base64url';
import { readSettings } from './settings';

const KEY = 'latchkey.session';
const ALARM = 'latchkey-autolock';

interface Stored { vaultKey: string; pinAt: number; activeAt: number }

export interface Session { vaultKey: Uint8Array; pinAt: number }

// A copy of the stored session in memory: only this background writes it, so after the first read
// (at each worker start) ceremonies do not wait on storage. undefined = not read yet.
let cached: Stored | null | undefined;

async function stored(): Promise<Stored | null> {
  if (cached === undefined) cached = ((await browser.storage.session.get(KEY))[KEY] as Stored | undefined) ?? null;
  return cached;
}

async function store(s: Stored | null): Promise<void> {
  cached = s;
  if (s) await browser.storage.session.set({ [KEY]: s });
  else await browser.storage.session.remove(KEY);
}

async function idleLimitMs(): Promise<number> {
  return (await readSettings()).autoLockMinutes * 60_000;
}

async function scheduleAutoLock(activeAt: number): Promise<void> {
  const limit = await idleLimitMs();
  if (limit <= 0) { await browser.alarms.clear(ALARM); return; }
  browser.alarms.create(ALARM, { when: activeAt + limit });
}

export async function readSession(now = Date.now()): Promise<Session | null> {
  const got = await stored();
  if (!got || typeof got.vaultKey !== 'string') return null;
  const limit = await idleLimitMs();
  if (limit > 0 && now - (got.activeAt ?? got.pinAt) >= limit) {
    await endSession();
    return null;
  }
  return { vaultKey: fromBase64url(got.vaultKey), pinAt: got.pinAt };
}

export async function startSession(vaultKey: Uint8Array, pinAt: number): Promise<void> {
  await store({ vaultKey: toBase64url(vaultKey), pinAt, activeAt: pinAt });
  await scheduleAutoLock(pinAt);
}

/**
 * Counts as activity for auto-lock (a ceremony answered, a manage-page action). Writes at most once
 * per tenth of the idle period (and at least every 5 s), so a busy test suite does not pay a
 * storage write and an alarm per ceremony; the lock may come that much early, never late.
 */
export async function touchSession(now = Date.now()): Promise<void> {
  const got = await stored();
  if (!got) return;
  const limit = await idleLimitMs();
  if (now - got.activeAt < Math.min(5_000, limit / 10)) return;
  await store({ ...got, activeAt: now });
  await scheduleAutoLock(now);
}

const endListeners: (() => void)[] = [];

/** Runs `fn` whenever the vault locks (Lock now, auto-lock), before anything else can use the session. */
export function onSessionEnd(fn: () => void): void {
  endListeners.push(fn);
}

export async function endSession(): Promise<void> {
  for (const fn of endListeners) fn();
  await store(null);
  await browser.alarms.clear(ALARM);
}

/**
 * After a PIN change rotated the vault key: the session, if there is one, holds the new key from
 * now on (the old one no longer opens anything), with the PIN just proved as fresh user
 * verification. What was unsealed under the old key is forgotten, as at lock. @returns whether a
 * session was there to update.
 */
export async function replaceSessionKey(vaultKey: Uint8Array, pinAt: number): Promise<boolean> {
  const got = await stored();
  if (!got) return false;
  for (const fn of endListeners) fn();
  await store({ vaultKey: toBase64url(vaultKey), pinAt, activeAt: pinAt });
  await scheduleAutoLock(pinAt);
  return true;
}

/** Whether the PIN entered at `pinAt` still counts as user verification (the grace period). */
export async function isPinFresh(pinAt: number, now = Date.now()): Promise<boolean> {
  return now - pinAt <= (await readSettings()).uvGraceSeconds * 1000;
}

/** The auto-lock alarm: the read itself ends an expired session; otherwise it is rescheduled. */
export function listenForAutoLock(): void {
  browser.alarms.onAlarm.addListener(async (alarm) => {
    if (alarm.name !== ALARM) return;
    const got = await stored();
    if (!got) return;
    if (await readSession()) await scheduleAutoLock(got.activeAt ?? got.pinAt);
  });
}

/** When auto-lock settings change, the pending alarm follows. */
export async function rescheduleAutoLock(): Promise<void> {
  const got = await stored();
  if (got && (await readSession())) await scheduleAutoLock(got.activeAt ?? got.pinAt);
}
