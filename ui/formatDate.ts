// Dates for both pages (the ceremony window and the manage page): "3 Mar 2025", "Never used",
// "Used 5 minutes ago", in the person's language (ui/i18n.ts) with Intl's conventions for it.
import { t, uiLocale } from './i18n';

export interface DateOptions {
  /** BCP 47 locale; the UI's (ui/i18n.ts uiLocale) when left out, English as en-GB (3 Mar 2025, unambiguous). */
  locale?: string;
  /** IANA time zone; the browser's when left out (tests pin it). */
  timeZone?: string;
}

/** The locale for dates: English is written day month year (en-GB), whatever the region, so no date reads two ways. */
function dateLocale(locale = uiLocale()): string {
  return /^en\b/i.test(locale) ? 'en-GB' : locale;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter({ locale, timeZone }: DateOptions): Intl.DateTimeFormat {
  const loc = dateLocale(locale);
  const key = `${loc}|${timeZone ?? ''}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(loc, { year: 'numeric', month: 'short', day: 'numeric', ...(timeZone ? { timeZone } : {}) });
    formatters.set(key, f);
  }
  return f;
}

/** A calendar date, e.g. "3 Mar 2025", "3. März 2025", "3 mars 2025". */
export function formatDate(ms: number, opts: DateOptions = {}): string {
  return formatter(opts).format(ms);
}

/** "Created 3 Mar 2025". */
export function describeCreated(createdAt: number, opts: DateOptions = {}): string {
  return t('createdOn', formatDate(createdAt, opts));
}

const relative = new Map<string, Intl.RelativeTimeFormat>();
/** "5 minutes ago", "vor 5 Minuten", "il y a 5 minutes". */
function ago(n: number, unit: 'minute' | 'hour' | 'day', opts: DateOptions): string {
  const loc = opts.locale ?? uiLocale();
  let f = relative.get(loc);
  if (!f) {
    f = new Intl.RelativeTimeFormat(loc, { numeric: 'always' });
    relative.set(loc, f);
  }
  return f.format(-n, unit);
}

/** "Never used", "Used just now", "Used 5 minutes ago", "Used 3 hours ago", "Used 2 days ago", "Used 3 Mar 2025". */
export function describeLastUsed(lastUsedAt: number | null, now: number, opts: DateOptions = {}): string {
  if (lastUsedAt === null) return t('neverUsed');
  const s = Math.max(0, Math.round((now - lastUsedAt) / 1000));
  if (s < 60) return t('usedJustNow');
  const m = Math.round(s / 60);
  if (m < 60) return t('usedAgo', ago(m, 'minute', opts));
  const h = Math.round(m / 60);
  if (h < 24) return t('usedAgo', ago(h, 'hour', opts));
  const d = Math.round(h / 24);
  if (d < 7) return t('usedAgo', ago(d, 'day', opts));
  return t('usedOn', formatDate(lastUsedAt, opts));
}

/** A machine-readable date for <time dateTime>. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString();
}

/** "30 s", "2 min 5 s": the wait after wrong PINs. */
export function describeWait(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  if (total < 60) return t('waitSeconds', total);
  const m = Math.floor(total / 60);
  const s = total % 60;
  return s === 0 ? t('waitMinutes', m) : t('waitMinutesSeconds', m, s);
}
