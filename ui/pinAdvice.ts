// What a PIN protects, in plain words, for the screens that set one (the ceremony window's first
// use, the manage page's Change PIN). Latchkey accepts any PIN of 4 characters or more
// (src/vault/checkPinPolicy.ts says why short ones are warned about, not refused); this says what a
// short one is worth against whom.
//
// Two attackers: someone at this computer goes through Latchkey, which makes them wait after 3 wrong
// PINs (up to an hour per try; src/vault/lockout.ts). Someone who copies the browser's files tries
// PINs on their own machines, where only the cost of Argon2id per guess slows them down.
import { plural, t } from './i18n';

/**
 * Seconds one guess costs on one core (Argon2id 64 MiB, t=3, p=1), measured on this project's 2-core
 * AMD EPYC machine with bench/vault.bench.ts (docs/security/vault.md has the figures). Faster
 * machines, many cores or GPUs divide it; it is here only to give the order of magnitude.
 */
export const SECONDS_PER_GUESS = 0.35;

/** Below this many guesses a copy of the profile is opened within ~10,000 core-years: warn. */
const STRONG_GUESSES = 1e12;

/** Always shown where a PIN is chosen. */
export function pinAdvice(): string {
  return t('pinAdvice');
}

/**
 * How many PINs of this kind there are: the size of the smallest usual character set the PIN is made
 * of, to the power of its length (characters after NFC, as the vault counts them). A person's choice
 * is rarely uniform, so this is an upper bound: real PINs fall sooner.
 */
export function estimateGuesses(pin: string): number {
  const chars = [...pin.normalize('NFC')];
  const set = chars.every((c) => c >= '0' && c <= '9') ? 10
    : chars.every((c) => /[a-z ]/.test(c)) || chars.every((c) => /[A-Z ]/.test(c)) ? 27
      : chars.every((c) => /[A-Za-z ]/.test(c)) ? 53
        : chars.every((c) => /[A-Za-z0-9 ]/.test(c)) ? 63
          : chars.every((c) => c >= ' ' && c <= '~') ? 95 : 200;
  return set ** chars.length;
}

/** "about 20 minutes", "about 4 days", "about 30 years": the time to try every PIN of this kind on one core. */
export function describeGuessTime(guesses: number): string {
  const s = guesses * SECONDS_PER_GUESS;
  // Each key written out, so ui/i18n.test.ts sees it used ("about an hour" is guessHoursOne).
  const units: Array<[number, (n: number) => string]> = [
    [365 * 86_400, (n) => plural('guessYears', n)], [86_400, (n) => plural('guessDays', n)], [3600, (n) => plural('guessHours', n)],
    [60, (n) => plural('guessMinutes', n)], [1, (n) => plural('guessSeconds', n)],
  ];
  for (const [size, say] of units) {
    if (s >= size) return say(Math.round(s / size));
  }
  return t('guessUnderSecond');
}

/**
 * For the PIN being typed: null when it is long enough (or not yet 4 characters, which the form
 * refuses anyway), else a sentence saying how long a copy of the browser's files would hold.
 */
export function weakPinWarning(pin: string): string | null {
  if ([...pin.normalize('NFC')].length < 4) return null;
  const guesses = estimateGuesses(pin);
  if (guesses >= STRONG_GUESSES) return null;
  return t('weakPin', describeGuessTime(guesses));
}
