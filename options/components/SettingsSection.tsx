import type { Settings } from '../../src/messages/manage';
import { useFeedback } from '../hooks';
import { messageOf } from '../api';
import { HandoverSites } from './HandoverSites';
import { Messages } from './Messages';
import { UpgradeSettings } from './UpgradeSettings';
import { InterceptSetting } from './InterceptSetting';

export interface SettingsSectionProps {
  settings: Settings;
  /** Saves a change; resolves with the settings as saved, throws with a person-readable message. */
  onSave: (patch: Partial<Settings>) => Promise<Settings>;
}

export interface Choice { value: number; text: string }

export const LOCK_AFTER: Choice[] = [
  { value: 1, text: '1 minute' },
  { value: 5, text: '5 minutes' },
  { value: 15, text: '15 minutes' },
  { value: 60, text: '1 hour' },
  { value: 0, text: 'Only when the browser closes' },
];

export const ASK_PIN_AGAIN: Choice[] = [
  { value: 0, text: 'Every time' },
  { value: 30, text: '30 seconds' },
  { value: 120, text: '2 minutes' },
  { value: 600, text: '10 minutes' },
];

/** The choices, plus the current value when it is not one of them (set some other way), so it shows as it is. */
function withCurrent(choices: Choice[], current: number, unit: 'minutes' | 'seconds'): Choice[] {
  if (choices.some((c) => c.value === current)) return choices;
  return [...choices, { value: current, text: `${current} ${unit}` }];
}

/** "Settings": lock delay, PIN grace period, sites that always use the browser; each change saved at once. */
export function SettingsSection({ settings, onSave }: SettingsSectionProps) {
  const { feedback, show } = useFeedback();
  const save = async (patch: Partial<Settings>) => {
    try {
      await onSave(patch);
      show({ status: 'Saved' });
    } catch (e) {
      show({ alert: `Not saved: ${messageOf(e)}` });
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
        <h2 id="settings-h">Settings</h2>
        {/* Next to the heading: seen from every field of the section. */}
        <Messages status={feedback.status} alert={feedback.alert} />
      </div>
      <div class="field">
        <label for="lock-after">Lock after</label>
        <select id="lock-after" aria-describedby="lock-after-hint" value={String(settings.autoLockMinutes)} onChange={onSelect('autoLockMinutes')}>
          {withCurrent(LOCK_AFTER, settings.autoLockMinutes, 'minutes').map((c) => <option key={c.value} value={String(c.value)}>{c.text}</option>)}
        </select>
        <p id="lock-after-hint" class="muted hint">Latchkey locks itself when you have not used a passkey or this page for this long. It always locks when the browser closes.</p>
      </div>
      <div class="field">
        <label for="ask-pin">Ask for the PIN again after</label>
        <select id="ask-pin" aria-describedby="ask-pin-hint" value={String(settings.uvGraceSeconds)} onChange={onSelect('uvGraceSeconds')}>
          {withCurrent(ASK_PIN_AGAIN, settings.uvGraceSeconds, 'seconds').map((c) => <option key={c.value} value={String(c.value)}>{c.text}</option>)}
        </select>
        <p id="ask-pin-hint" class="muted hint">When a site asks to verify it is you, Latchkey trusts a PIN entered this recently instead of asking again.</p>
      </div>
      <HandoverSites sites={settings.handoverSites} onChange={(handoverSites) => save({ handoverSites })} />
      {process.env.BROWSER === 'chrome' ? <InterceptSetting on={settings.interceptAll} onChange={async (interceptAll) => { await save({ interceptAll }); }} /> : null}
      <UpgradeSettings on={settings.passkeyUpgrades} offSites={settings.noUpgradeSites} onChange={async (patch) => { await save(patch); }} />
    </section>
  );
}
