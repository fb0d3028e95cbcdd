// The manage page's input rules, person-readable: PINs, backup passphrases, site names, files.

export const MIN_PIN_LENGTH = 4;
export const MIN_PASSPHRASE_LENGTH = 8;

/** null when the new PIN can be used, else why not. */
export function checkNewPin(pin: string, confirm: string): string | null {
  if (pin.length < MIN_PIN_LENGTH) return `Use at least ${MIN_PIN_LENGTH} characters for the new PIN.`;
  if (pin !== confirm) return 'The new PINs are not the same.';
  return null;
}

/** null when the passphrase can be used for a backup, else why not. */
export function checkPassphrase(passphrase: string, confirm: string): string | null {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) return `Use at least ${MIN_PASSPHRASE_LENGTH} characters for the backup passphrase.`;
  if (passphrase !== confirm) return 'The backup passphrases are not the same.';
  return null;
}

/** The same rule as the background's (src/background/settings.ts isSiteName): an RP ID host name. */
const SITE_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

export type SiteInput = { ok: true; site: string } | { ok: false; problem: string };

/**
 * What the person typed as a site, as an RP ID: trimmed, lower-cased, without a trailing dot; a
 * pasted address ("https://example.com/login") gives its host name; international names become
 * their A-label form (as RP IDs are).
 */
export function parseSiteInput(input: string, existing: readonly string[] = []): SiteInput {
  const raw = input.trim();
  if (raw === '') return { ok: false, problem: 'Enter a site, for example example.com.' };
  let host = raw;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    try { host = new URL(raw).hostname; } catch { return { ok: false, problem: `${raw} is not a site name. Enter a host name such as example.com.` }; }
  } else if (/[^a-z0-9.-]/i.test(raw)) {
    // International names (bücher.example) become A-labels; anything else with odd characters is refused.
    if (/[\s/:@?#[\]\\]/.test(raw)) return { ok: false, problem: `${raw} is not a site name. Enter a host name such as example.com.` };
    try { host = new URL(`https://${raw}`).hostname; } catch { return { ok: false, problem: `${raw} is not a site name. Enter a host name such as example.com.` }; }
  }
  host = host.toLowerCase().replace(/\.$/, '');
  if (!SITE_NAME.test(host)) return { ok: false, problem: `${raw} is not a site name. Enter a host name such as example.com.` };
  if (existing.includes(host)) return { ok: false, problem: `${host} is already in the list.` };
  return { ok: true, site: host };
}
