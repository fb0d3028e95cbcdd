import { t } from '../../ui/i18n';

/** Not initialized: there is nothing to lock yet. */
export function NoPinYet() {
  return (
    <div class="card">
      <p><strong>{t('noPinYet')}</strong> {t('noPasskeysSoFar')}</p>
      <p class="muted">{t('noPinHint')}</p>
    </div>
  );
}
