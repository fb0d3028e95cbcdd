// The manage page's input rules, person-readable: PINs, backup passphrases, site names, files.
import { plural, t } from '../ui/i18n';

export const MIN_PIN_LENGTH = 4;
export const MIN_PASSPHRASE_LENGTH = 8;

/** null when the new PIN can be used, else why not. */
export function checkNewPin(pin: string, confirm: string): string | null {
  if (pin.length < MIN_PIN_LENGTH) return plural('newPinTooShort', MIN_PIN_LENGTH);
  if (pin !== confirm) return t('newPinsDiffer');
  return null;
}

/**
 * null when the passphrase can be used, else why not: said of a backup's passphrase, or (`of: 'file'`)
 * of an exported file's, which is not always a backup.
 */
export function checkPassphrase(passphrase: string, confirm: string, of: 'backup' | 'file' = 'backup'): string | null {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    return of === 'backup' ? plural('backupPassphraseTooShort', MIN_PASSPHRASE_LENGTH) : plural('passphraseTooShort', MIN_PASSPHRASE_LENGTH);
  }
  if (passphrase !== confirm) return of === 'backup' ? t('backupPassphrasesDiffer') : t('passphrasesDiffer');
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
  if (raw === '') return { ok: false, problem: t('siteEmpty') };
  const notASite = { ok: false, problem: t('siteInvalid', raw) } as const;
  let host = raw;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    try { host = new URL(raw).hostname; } catch { return notASite; }
  } else if (/[^a-z0-9.-]/i.test(raw)) {
    // International names (bücher.example) become A-labels; anything else with odd characters is refused.
    if (/[\s/:@?#[\]\\]/.test(raw)) return notASite;
    try { host = new URL(`https://${raw}`).hostname; } catch { return notASite; }
  }
  host = host.toLowerCase().replace(/\.$/, '');
  if (!SITE_NAME.test(host)) return notASite;
  if (existing.includes(host)) return { ok: false, problem: t('siteDuplicate', host) };
  return { ok: true, site: host };
}
