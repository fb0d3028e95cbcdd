// Wrong-PIN throttling: pure functions over the "lockout" meta record, so the schedule is testable
// without a database. Nothing is ever deleted because of wrong PINs; only waiting grows.

export interface LockoutState {
  /** Consecutive wrong PINs (an attempt in progress counts until it is known to be right). */
  failures: number;
  /** Clock time of the latest counted attempt, or null when failures is 0. */
  lastFailureAt: number | null;
}

export const NO_FAILURES: LockoutState = Object.freeze({ failures: 0, lastFailureAt: null });

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
 * Time left before a PIN may be tried. Capped at the full delay so a clock that jumps backwards
 * (lastFailureAt in the "future") cannot lock the person out for longer than the schedule says.
 */
export function retryAfterMs(state: LockoutState, now: number): number {
  const delay = retryDelayMs(state.failures);
  if (delay === 0 || state.lastFailureAt === null) return 0;
  const left = state.lastFailureAt + delay - now;
  return Math.max(0, Math.min(delay, left));
}

/**
 * Reads the stored record. Someone able to edit it can also copy the database and guess offline, so
 * this only guards against crashes on a damaged record, not against tampering.
 */
export function normalizeLockout(v: unknown): LockoutState {
  const r = (v ?? {}) as Partial<LockoutState>;
  const failures = typeof r.failures === 'number' && Number.isSafeInteger(r.failures) && r.failures > 0 ? r.failures : 0;
  const lastFailureAt = typeof r.lastFailureAt === 'number' && Number.isFinite(r.lastFailureAt) ? r.lastFailureAt : null;
  return failures === 0 ? NO_FAILURES : { failures, lastFailureAt };
}
