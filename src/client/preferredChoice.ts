// Which choice the ceremony window focuses first, from the site's hints. §5.8.7: hints are in
// decreasing order of preference; unknown values are ignored. "client-device" means a platform
// authenticator (Latchkey stands in for one); "security-key" and "hybrid" mean another device,
// which the browser's own dialog offers.
export function preferredChoice(hints: readonly string[]): 'latchkey' | 'browser' {
  for (const h of hints) {
    if (h === 'client-device') return 'latchkey';
    if (h === 'security-key' || h === 'hybrid') return 'browser';
  }
  return 'latchkey';
}
