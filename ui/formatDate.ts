// Dates for both pages (the ceremony window and the manage page): "3 Mar 2025", "Never used", "Used 5 minutes ago".

export interface DateOptions {
  /** BCP 47 locale; "en-GB" (3 Mar 2025, unambiguous in English) when left out. */
  locale?: string;
  /** IANA time zone; the browser's when left out (tests pin it). */
  timeZone?: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter({ locale, timeZone }: DateOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${timeZone ?? ''}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale ?? 'en-GB', { year: 'numeric', month: 'short', day: 'numeric', ...(timeZone ? { timeZone } : {}) });
    formatters.set(key, f);
  }
  return f;
}

/** A calendar date, e.g. "3 Mar 2025". */
export function formatDate(ms: number, opts: DateOptions = {}): string {
  return formatter(opts).format(ms);
}

/** "Created 3 Mar 2025". */
export function describeCreated(createdAt: number, opts: DateOptions = {}): string {
  return `Created ${formatDate(createdAt, opts)}`;
}

/** "Never used", "Used just now", "Used 5 minutes ago", "Used 3 hours ago", "Used 2 days ago", "Used 3 Mar 2025". */
export function describeLastUsed(lastUsedAt: number | null, now: number, opts: DateOptions = {}): string {
  if (lastUsedAt === null) return 'Never used';
  const s = Math.max(0, Math.round((now - lastUsedAt) / 1000));
  if (s < 60) return 'Used just now';
  const m = Math.round(s / 60);
  if (m < 60) return `Used ${m} minute${m === 1 ? '' : 's'} ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `Used ${h} hour${h === 1 ? '' : 's'} ago`;
  const d = Math.round(h / 24);
  if (d < 7) return `Used ${d} day${d === 1 ? '' : 's'} ago`;
  return `Used ${formatDate(lastUsedAt, opts)}`;
}

/** A machine-readable date for <time dateTime>. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString();
}

/** "30 s", "2 min 5 s": the wait after wrong PINs. */
export function describeWait(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  if (total < 60) return `${total} s`;
  const m = Math.floor(total / 60);
  const s = total % 60;
  return s === 0 ? `${m} min` : `${m} min ${s} s`;
}
