// Small hooks the sections share: an announced message, a countdown, a busy flag around a request.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { messageOf, ManageError } from './api';

export interface Feedback {
  /** Shown in role=status. */
  status: string;
  /** Shown in role=alert. */
  alert: string;
}

const NONE: Feedback = { status: '', alert: '' };

/**
 * A status or alert message. A repeated "Saved" is cleared first and set again a moment later, so
 * screen readers announce it each time.
 */
export function useFeedback() {
  const [feedback, setFeedback] = useState<Feedback>(NONE);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const show = useCallback((next: Partial<Feedback>) => {
    clearTimeout(timer.current);
    setFeedback(NONE);
    timer.current = setTimeout(() => setFeedback({ ...NONE, ...next }), 60);
  }, []);
  const clear = useCallback(() => { clearTimeout(timer.current); setFeedback(NONE); }, []);
  return { feedback, show, clear };
}

/** Seconds left until `until` (a Date.now() time), ticking once a second; 0 when there is nothing to wait for. */
export function useSecondsUntil(until: number): number {
  const left = () => Math.max(0, Math.ceil((until - Date.now()) / 1000));
  const [, tick] = useState(0);
  useEffect(() => {
    if (left() === 0) return;
    const t = setInterval(() => {
      tick((n) => n + 1);
      if (left() === 0) clearInterval(t);
    }, 250);
    return () => clearInterval(t);
  }, [until]);
  return left();
}

/** The time until which a request refused with retryAfterMs must wait (0 when it need not). */
export function waitUntilOf(e: unknown): number {
  return e instanceof ManageError && e.retryAfterMs ? Date.now() + e.retryAfterMs : 0;
}

/**
 * Runs one request at a time: busy while it runs; a second one asked meanwhile is ignored. Resolves
 * true when the work succeeded; otherwise its message went to onError.
 */
export function useBusy() {
  const [busy, setBusy] = useState(false);
  const running = useRef(false);
  const run = useCallback(async (work: () => Promise<void>, onError: (message: string, e: unknown) => void): Promise<boolean> => {
    if (running.current) return false;
    running.current = true;
    setBusy(true);
    try {
      await work();
      return true;
    } catch (e) {
      onError(messageOf(e), e);
      return false;
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);
  return { busy, run };
}
