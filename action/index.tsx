// The toolbar popup: whether Latchkey is locked, "Lock now", and the way to the manage page.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { browser } from '../src/browser.cjs';
import { manage, messageOf } from '../options/api';
import { sync } from '../options/syncApi';
import { Logo } from '../ui/Logo';
import { t, translateStatic } from '../ui/i18n';

type State = { kind: 'loading' } | { kind: 'ready'; initialized: boolean; unlocked: boolean } | { kind: 'error'; message: string };

function ActionPopup() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const load = () => manage({ type: 'manage/state' }).then(
    (s) => setState({ kind: 'ready', initialized: s.vault.initialized, unlocked: s.vault.unlocked }),
    (e: unknown) => setState({ kind: 'error', message: messageOf(e) }),
  );
  const [syncLine, setSyncLine] = useState('');
  useEffect(() => {
    void load();
    sync({ type: 'sync/status' }).then((s) => setSyncLine(s.enabled ? t('actionSync', s.message) : ''), () => {});
  }, []);
  const lock = async () => { await manage({ type: 'manage/lock' }).catch(() => {}); await load(); };
  const openManage = async () => { await browser.runtime.openOptionsPage(); window.close(); };
  const status = state.kind === 'loading' ? t('loading')
    : state.kind === 'error' ? state.message
    : !state.initialized ? t('actionNoPin')
    : state.unlocked ? t('actionUnlocked') : t('actionLocked');
  return (
    <>
      <header><Logo size={22} />Latchkey</header>
      <p role="status">{status}</p>
      {syncLine ? <p class="sync-line" data-testid="sync-line">{syncLine}</p> : null}
      {state.kind === 'ready' && state.unlocked ? <button type="button" onClick={lock}>{t('lockNow')}</button> : null}
      <button type="button" onClick={openManage}>{t('managePasskeys')}</button>
    </>
  );
}

translateStatic(); // the page's lang
render(<ActionPopup />, document.getElementById('app')!);
