import type { Settings } from '../../src/messages/manage';
import { useFeedback } from '../hooks';
import { messageOf } from '../api';
import { HandoverSites } from './HandoverSites';
import { Messages } from './Messages';
import { UpgradeSettings } from './UpgradeSettings';
import { InterceptSetting } from './InterceptSetting';
import { plural, t } from '../../ui/i18n';

export interface SettingsSectionProps {
  settings: Settings;
  /** Saves a change; resolves with the settings as saved, throws with a person-readable message. */
  onSave: (patch: Partial<Settings>) => Promise<Settings>;
}

export interface Choice { value: number; text: string }

/** The lock delays offered, in minutes (0: only when the browser closes). Made at each render: the words are the UI's. */
export const lockAfterChoices = (): Choice[] => [
  { value: 1, text: plural('minutes', 1) },
  { value: 5, text: plural('minutes', 5) },
  { value: 15, text: plural('minutes', 15) },
  { value: 60, text: plural('hours', 1) },
  { value: 0, text: t('lockOnClose') },
];

/** The PIN grace periods offered, in seconds (0: every time). */
export const askPinAgainChoices = (): Choice[] => [
  { value: 0, text: t('everyTime') },
  { value: 30, text: plural('seconds', 30) },
  { value: 120, text: plural('minutes', 2) },
  { value: 600, text: plural('minutes', 10) },
];

/** The choices, plus the current value when it is not one of them (set some other way), so it shows as it is. */
function withCurrent(choices: Choice[], current: number, unit: 'minutes' | 'seconds'): Choice[] {
  if (choices.some((c) => c.value === current)) return choices;
  return [...choices, { value: current, text: unit === 'minutes' ? plural('minutes', current) : plural('seconds', current) }];
}

/** "Settings": lock delay, PIN grace period, sites that always use the browser; each change saved at once. */
export function SettingsSection({ settings, onSave }: SettingsSectionProps) {
  const { feedback, show } = useFeedback();
  const save = async (patch: Partial<Settings>) => {
    try {
      await onSave(patch);
      show({ status: t('saved') });
    } catch (e) {
      show({ alert: t('notSaved', messageOf(e)) });
      throw e;
    }
  };
  const onSelect = (key: 'autoLockMinutes' | 'uvGraceSeconds') => (e: Event) => {
    const value = Number((e.currentTarget as HTMLSelectElement).value);
    save({ [key]: value }).catch(() => { /* shown */ });
  };
  return (
    <section id="settings" aria-labelledby="settings-h" class="card">
      <div class="section-head">
        <h2 id="settings-h">{t('settings')}</h2>
        {/* Next to the heading: seen from every field of the section. */}
        <Messages status={feedback.status} alert={feedback.alert} />
      </div>
      <div class="field">
        <label for="lock-after">{t('lockAfter')}</label>
        <select id="lock-after" aria-describedby="lock-after-hint" value={String(settings.autoLockMinutes)} onChange={onSelect('autoLockMinutes')}>
          {withCurrent(lockAfterChoices(), settings.autoLockMinutes, 'minutes').map((c) => <option key={c.value} value={String(c.value)}>{c.text}</option>)}
        </select>
        <p id="lock-after-hint" class="muted hint">{t('lockAfterHint')}</p>
      </div>
      <div class="field">
        <label for="ask-pin">{t('askPinAgain')}</label>
        <select id="ask-pin" aria-describedby="ask-pin-hint" value={String(settings.uvGraceSeconds)} onChange={onSelect('uvGraceSeconds')}>
          {withCurrent(askPinAgainChoices(), settings.uvGraceSeconds, 'seconds').map((c) => <option key={c.value} value={String(c.value)}>{c.text}</option>)}
        </select>
        <p id="ask-pin-hint" class="muted hint">{t('askPinHint')}</p>
      </div>
      <HandoverSites sites={settings.handoverSites} onChange={(handoverSites) => save({ handoverSites })} />
      {process.env.BROWSER === 'chrome' ? <InterceptSetting on={settings.interceptAll} onChange={async (interceptAll) => { await save({ interceptAll }); }} /> : null}
      <UpgradeSettings on={settings.passkeyUpgrades} offSites={settings.noUpgradeSites} onChange={async (patch) => { await save(patch); }} />
    </section>
  );
}
