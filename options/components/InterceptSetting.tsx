import { t } from '../../ui/i18n';

export interface InterceptSettingProps {
  on: boolean;
  /** Saves a change; throws when it was not saved (the section shows why). */
  onChange: (interceptAll: boolean) => Promise<void>;
}

/**
 * Chrome only: Latchkey also takes the passkey requests that go past its page script (Chrome's
 * webAuthenticationProxy, src/background/proxy.ts). The cost, said plainly: while on, the browser's
 * own passkeys are not offered under sign-in fields.
 */
export function InterceptSetting({ on, onChange }: InterceptSettingProps) {
  return (
    <fieldset class="field" aria-describedby="intercept-hint">
      <legend>{t('interceptLegend')}</legend>
      <label class="check">
        <input type="checkbox" checked={on} onChange={(e) => { onChange(e.currentTarget.checked).catch(() => { /* shown by the section */ }); }} />
        {t('interceptCheckbox')}
      </label>
      <p id="intercept-hint" class="muted hint">
        {t('interceptHint', t('useAnotherDevice'))}
      </p>
    </fieldset>
  );
}
