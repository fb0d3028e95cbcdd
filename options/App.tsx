// The manage page: locked → PIN; unlocked → passkeys, settings, security, backup. All state comes
// from the background (manage/state); every change goes through options/api.ts.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { NEXT_PAGE, type ManageState, type Settings } from '../src/messages/manage';
import { manage, messageOf } from './api';
import { BackupSection } from './components/BackupSection';
import { LockedScreen } from './components/LockedScreen';
import { NoPinYet } from './components/NoPinYet';
import { Page } from './components/Page';
import { PasskeysSection } from './components/PasskeysSection';
import { SectionNav } from './components/SectionNav';
import { SecuritySection } from './components/SecuritySection';
import { SettingsSection } from './components/SettingsSection';
import { SyncSection } from './components/SyncSection';
import { t } from '../ui/i18n';

/**
 * The first state is asked for as soon as this module runs, before the first render and its
 * effects: the list's first rows then wait on one round trip to the background, not on a frame too.
 */
let firstState: Promise<ManageState> | null = manage({ type: 'manage/state' });
firstState.catch(() => {}); // answered (or refused) in load(); never an unhandled rejection

type Phase =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'ready'; state: ManageState };

type Screen = 'loading' | 'failed' | 'no-pin' | 'locked' | 'manage';

function screenOf(phase: Phase): Screen {
  if (phase.kind !== 'ready') return phase.kind;
  const { vault } = phase.state;
  return !vault.initialized ? 'no-pin' : vault.unlocked ? 'manage' : 'locked';
}

export function App() {
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const heading = useRef<HTMLHeadingElement>(null);
  const lastScreen = useRef<Screen>('loading');
  const settingsQueue = useRef<Promise<unknown>>(Promise.resolve());
  /** Bumped by every load: a list still arriving for an earlier one is dropped. */
  const loads = useRef(0);

  const update = useCallback((f: (s: ManageState) => ManageState) => setPhase((p) => (p.kind === 'ready' ? { kind: 'ready', state: f(p.state) } : p)), []);

  // The first page of the list comes with the state (its first rows show at once); the rest follows
  // in pages of whole sites, each appended as it arrives (sites in order, so shown rows never move).
  const load = useCallback(async () => {
    const run = ++loads.current;
    try {
      const early = firstState;
      firstState = null;
      const state = await (early ?? manage({ type: 'manage/state' }));
      if (run !== loads.current) return;
      setPhase({ kind: 'ready', state });
      for (let after = state.passkeysNext; after !== null;) {
        const page = await manage({ type: 'manage/list', after, limit: NEXT_PAGE });
        if (run !== loads.current) return;
        update((s) => ({ ...s, passkeys: [...s.passkeys, ...page.passkeys], passkeysNext: page.next }));
        after = page.next;
      }
    } catch (e) {
      if (run !== loads.current) return;
      // A list cut short (locked meanwhile, say) is marked complete; recheck shows the locked screen.
      update((s) => ({ ...s, passkeysNext: null }));
      setPhase((p) => (p.kind === 'ready' ? p : { kind: 'failed', message: messageOf(e) }));
    }
  }, [update]);

  /** After a refusal: if Latchkey locked itself meanwhile (auto-lock), show the locked screen. */
  const recheckLock = useCallback(async () => {
    try {
      const state = await manage({ type: 'manage/state' });
      if (!state.vault.unlocked) setPhase({ kind: 'ready', state });
    } catch { /* the refusal itself is already shown */ }
  }, []);
  const guard = useCallback(async <T,>(work: Promise<T>): Promise<T> => {
    try { return await work; } catch (e) { void recheckLock(); throw e; }
  }, [recheckLock]);

  useEffect(() => {
    void load();
    // Back to this tab: passkeys may have been saved, or Latchkey may have locked itself.
    const onVisible = () => { if (document.visibilityState === 'visible') void load(); };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [load]);

  const screen = screenOf(phase);
  // A new screen after the first (e.g. unlocked, or locked by "Lock now"): start reading at its
  // heading. The locked screen puts focus in its PIN box instead.
  useLayoutEffect(() => {
    const before = lastScreen.current;
    lastScreen.current = screen;
    if (before !== screen && before !== 'loading' && screen !== 'locked') heading.current?.focus();
  }, [screen]);

  const saveSettings = (patch: Partial<Settings>): Promise<Settings> => {
    // One change at a time, in order: two quick changes must not overwrite each other.
    const next = settingsQueue.current.catch(() => undefined).then(() => guard(manage({ type: 'manage/settings', settings: patch })));
    settingsQueue.current = next;
    return next.then((settings) => { update((s) => ({ ...s, settings })); return settings; });
  };

  if (phase.kind === 'loading') {
    return <Page title="Latchkey" headingRef={heading}><p class="muted loading" aria-busy="true">{t('loading')}</p></Page>;
  }
  if (phase.kind === 'failed') {
    return (
      <Page title="Latchkey" headingRef={heading}>
        <p role="alert" class="alert">{t('manageLoadFailed', phase.message)}</p>
        <div><button type="button" class="primary" onClick={() => { setPhase({ kind: 'loading' }); void load(); }}>{t('tryAgain')}</button></div>
      </Page>
    );
  }
  const { state } = phase;
  if (screen === 'locked') {
    return (
      <LockedScreen
        initialRetryAfterMs={state.vault.retryAfterMs}
        onUnlock={async (pin) => { await manage({ type: 'manage/unlock', pin }); await load(); }}
      />
    );
  }
  const settings = <SettingsSection settings={state.settings} onSave={saveSettings} />;
  if (screen === 'no-pin') {
    return <Page title={t('manageTitle')} headingRef={heading}><NoPinYet />{settings}</Page>;
  }
  return (
    <Page title={t('manageTitle')} headingRef={heading} nav={<SectionNav />}>
      <PasskeysSection
        passkeys={state.passkeys}
        loading={state.passkeysNext !== null}
        onRename={async (credentialId, label) => {
          await guard(manage({ type: 'manage/rename', credentialId, label }));
          update((s) => ({ ...s, passkeys: s.passkeys.map((p) => (p.credentialId === credentialId ? { ...p, label: label === '' ? null : label } : p)) }));
        }}
        onDelete={async (credentialId) => {
          await guard(manage({ type: 'manage/delete', credentialId }));
          update((s) => ({ ...s, passkeys: s.passkeys.filter((p) => p.credentialId !== credentialId) }));
        }}
        onUnhide={async (credentialId) => {
          await guard(manage({ type: 'manage/unhide', credentialId }));
          update((s) => ({ ...s, passkeys: s.passkeys.map((p) => (p.credentialId === credentialId ? { ...p, hidden: null } : p)) }));
        }}
      />
      {settings}
      <SecuritySection
        onLock={async () => { await manage({ type: 'manage/lock' }); await load(); }}
        onChangePin={async (oldPin, newPin) => { await guard(manage({ type: 'manage/change-pin', oldPin, newPin })); }}
      />
      <BackupSection guard={guard} onImported={load} />
      <SyncSection />
    </Page>
  );
}
