/** "Used 5 minutes ago", "Never used": short words for dates in the account list. */
export function describeLastUsed(lastUsedAt: number | null, now: number): string {
  if (lastUsedAt === null) return 'Never used';
  const s = Math.max(0, Math.round((now - lastUsedAt) / 1000));
  if (s < 60) return 'Used just now';
  const m = Math.round(s / 60);
  if (m < 60) return `Used ${m} minute${m === 1 ? '' : 's'} ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `Used ${h} hour${h === 1 ? '' : 's'} ago`;
  const d = Math.round(h / 24);
  return `Used ${d} day${d === 1 ? '' : 's'} ago`;
}
