import { t } from '../../ui/i18n';

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
      <legend>{t('upgradesLegend')}</legend>
      <label class="check">
        <input type="checkbox" checked={on} onChange={(e) => change({ passkeyUpgrades: e.currentTarget.checked })} />
        {t('upgradesCheckbox')}
      </label>
      <p id="upgrades-hint" class="muted hint">
        {t('upgradesHint', t('noticeUndo'))}
      </p>
      {offSites.length === 0 ? null : (
        <ul class="site-list" aria-label={t('sitesWithoutUpgrades')}>
          {offSites.map((s) => (
            <li key={s}><span class="site">{s}</span>
              <button type="button" aria-label={t('allowUpgradesOn', s)} onClick={() => change({ noUpgradeSites: offSites.filter((x) => x !== s) })}>{t('allowAgain')}</button></li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
