import { t } from '../../ui/i18n';

/** Links to the page's sections: the passkey list can be long, the settings come after it. */
export function SectionNav() {
  return (
    <nav class="sections" aria-label={t('onThisPage')}>
      <a href="#passkeys">{t('yourPasskeys')}</a>
      <a href="#settings">{t('settings')}</a>
      <a href="#security">{t('security')}</a>
      <a href="#backup">{t('navBackup')}</a>
      <a href="#sync">{t('sync')}</a>
    </nav>
  );
}
