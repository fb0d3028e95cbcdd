// Wrong-PIN throttling: pure functions over the "lockout" meta record, so the schedule is testable
// without a database. Nothing is ever deleted because of wrong PINs; only waiting grows.
//
// Which clock: the wall clock (Date.now()) can be moved by whoever controls the computer, and
// moving it forward would skip the wait. So each counted attempt also stores a monotonic reading
// (performance.now(), which only moves forward) with the id of the worker life it was read in. While
// the same life checks, the wait counts down by the STRICTER of the two clocks: the smaller elapsed
// time. A wall clock moved back never shortens a wait (negative elapsed time counts as none). What
// remains (docs/security/vault.md): performance.now() starts again with each service worker, so
// after the worker restarted only the wall clock is left to measure the time between attempts.

export interface LockoutState {
  /** Consecutive wrong PINs (an attempt in progress counts until it is known to be right). */
  failures: number;
  /** Wall-clock time (ms since epoch) of the latest counted attempt, or null when failures is 0. */
  lastFailureAt: number | null;
  /** The monotonic clock's reading at that attempt and the worker life it belongs to; null if unknown. */
  mono?: { life: string; at: number } | null;
}

/** A monotonic clock: `now()` never goes back within one `life` (one worker, one JS realm). */
export interface MonotonicClock {
  readonly life: string;
  now(): number;
}

/** performance.now() of this realm, with a random id standing for this worker's life. */
export const realmClock: MonotonicClock = Object.freeze({
  life: Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join(''),
  now: () => performance.now(),
});

export const NO_FAILURES: LockoutState = Object.freeze({ failures: 0, lastFailureAt: null, mono: null });

/** Failures that cost no waiting: typos happen. */
export const FREE_FAILURES = 3;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
/** Waits after the 4th, 5th, ... wrong PIN; the last one repeats (capped at one hour). */
const SCHEDULE_MS = [30 * SECOND, 1 * MINUTE, 2 * MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, 60 * MINUTE];

/** How long to wait after `failures` consecutive wrong PINs before the next try. */
export function retryDelayMs(failures: number): number {
  if (failures <= FREE_FAILURES) return 0;
  return SCHEDULE_MS[Math.min(failures - FREE_FAILURES, SCHEDULE_MS.length) - 1] ?? 0;
}

/**
 * Time left before a PIN may be tried, from the wall clock `now` and, when the attempt was counted
 * in this same worker life, the monotonic reading `mono` (the stricter of the two counts). Never
 * more than the full delay, never less because a clock moved.
 */
export function retryAfterMs(state: LockoutState, now: number, mono?: { life: string; now: number }): number {
  const delay = retryDelayMs(state.failures);
  if (delay === 0 || state.lastFailureAt === null) return 0;
  let elapsed = Math.max(0, now - state.lastFailureAt);
  const at = state.mono;
  if (mono && at && at.life === mono.life) elapsed = Math.min(elapsed, Math.max(0, mono.now - at.at));
  return Math.max(0, Math.min(delay, delay - elapsed));
}

/**
 * Reads the stored record. Someone able to edit it can also copy the database and guess offline, so
 * this only guards against crashes on a damaged record, not against tampering.
 */
export function normalizeLockout(v: unknown): LockoutState {
  const r = (v ?? {}) as Partial<LockoutState>;
  const failures = typeof r.failures === 'number' && Number.isSafeInteger(r.failures) && r.failures > 0 ? r.failures : 0;
  const lastFailureAt = typeof r.lastFailureAt === 'number' && Number.isFinite(r.lastFailureAt) ? r.lastFailureAt : null;
  const m = r.mono as { life?: unknown; at?: unknown } | null | undefined;
  const mono = m && typeof m.life === 'string' && typeof m.at === 'number' && Number.isFinite(m.at) ? { life: m.life, at: m.at } : null;
  return failures === 0 ? NO_FAILURES : { failures, lastFailureAt, mono };
}
