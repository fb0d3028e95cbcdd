export interface UpgradeSettingsProps {
  on: boolean;
  /** Sites where the person turned upgrades off (from the notice's "Not for this site"). */
  offSites: string[];
  /** Saves a change; throws when it was not saved (the section shows why). */
  onChange: (patch: { passkeyUpgrades?: boolean; noUpgradeSites?: string[] }) => Promise<void>;
}

/**
 * "Passkey upgrades" (conditional create, src/background/passkeyUpgrade.ts): after you sign in with a
 * password, a site may ask for a passkey without a window; Latchkey saves it and says so, with Undo.
 */
export function UpgradeSettings({ on, offSites, onChange }: UpgradeSettingsProps) {
  const change = (patch: Parameters<UpgradeSettingsProps['onChange']>[0]) => { onChange(patch).catch(() => { /* shown by the section */ }); };
  return (
    <fieldset class="field sites-field" aria-describedby="upgrades-hint">
      <legend>Passkey upgrades</legend>
      <label class="check">
        <input type="checkbox" checked={on} onChange={(e) => change({ passkeyUpgrades: e.currentTarget.checked })} />
        Save a passkey when a site offers one right after you sign in with a password
      </label>
      <p id="upgrades-hint" class="muted hint">
        Latchkey saves it without a window and tells you, with Undo. Only within 5 minutes of typing a password on that site, and only while Latchkey is unlocked.
        When this is off, the browser decides.
      </p>
      {offSites.length === 0 ? null : (
        <ul class="site-list" aria-label="Sites without passkey upgrades">
          {offSites.map((s) => (
            <li key={s}><span class="site">{s}</span>
              <button type="button" aria-label={`Allow upgrades on ${s}`} onClick={() => change({ noUpgradeSites: offSites.filter((x) => x !== s) })}>Allow again</button></li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
